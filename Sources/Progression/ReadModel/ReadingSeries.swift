import Storage

/// The readings of one instrument in a case's history, in order, indexed from 0: the session
/// number of `series[index]` is `index + 1`.
///
/// A view into the history's readings rather than a copy, so asking for a series costs no
/// allocation. `series[index]` makes the reading; `entry(index)` gives what the rules read of it
/// (day, time, total, age) without making it, which is how the flag rules and the figures read.
package struct ReadingSeries: RandomAccessCollection, Sendable {
    private let readings: CaseReadings
    private let positions: [Int32]

    init(_ readings: CaseReadings, positions: [Int32]) {
        self.readings = readings
        self.positions = positions
    }

    package var startIndex: Int { 0 }

    package var endIndex: Int { positions.count }

    package subscript(position: Int) -> Reading {
        readings.reading(Int(positions[position]))
    }

    /// What the rules read of the reading at `position`: what `self[position]` says of its day,
    /// time recorded, total and age.
    @inline(__always)
    package func entry(_ position: Int) -> ReadingEntry {
        readings.entries[Int(positions[position])]
    }

    /// The id of the reading at `position`: `self[position].identifier`.
    func identifier(_ position: Int) -> ReadingID {
        readings.identifier(Int(positions[position]))
    }

    /// The totals in order (nil where a measurement has none): `map(\.total)`.
    package var totals: [Double?] { indices.map { entry($0).total } }

    /// The rating of the goal `goalID` at each reading that rates it, with the reading's place in
    /// the series, in order: each reading's `part(goalID)` that is not nil.
    package func ratings(of goalID: String) -> [(index: Int, value: Double)] {
        readings.ratings(of: goalID, positions)
    }
}
