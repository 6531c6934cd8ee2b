import Storage

/// The readings of one instrument in a case's history, in order, indexed from 0: the session
/// number of `series[index]` is `index + 1`.
///
/// A view into the history's readings rather than a copy, so asking for a series costs no
/// allocation; `Array(series)` makes a copy when one is needed.
package struct ReadingSeries: RandomAccessCollection, Sendable {
    private let readings: [Reading]
    private let positions: [Int32]

    init(readings: [Reading], positions: [Int32]) {
        self.readings = readings
        self.positions = positions
    }

    package var startIndex: Int { 0 }

    package var endIndex: Int { positions.count }

    package subscript(position: Int) -> Reading {
        // Yielded in place, so reading one field (`series[index].total`) copies no reading.
        _read { yield readings[Int(positions[position])] }
    }

    /// The rating of the goal `goalID` at each reading that rates it, with the reading's place in
    /// the series, in order: each reading's `part(goalID)` that is not nil.
    ///
    /// A goal's ratings are read for the goal rules and for the team's figures of every case; the
    /// readings of one table are read in it with its arrays taken once, not once per reading.
    package func ratings(of goalID: String) -> [(index: Int, value: Double)] {
        // A loop rather than a map to labelled tuples, which goes through a dynamic cast.
        var rated: [(index: Int, value: Double)] = []
        rated.reserveCapacity(count)
        var index = 0
        while index < count {
            guard let owner = readings[Int(positions[index])].table else {
                if let value = self[index].part(goalID) { rated.append((index: index, value: value)) }
                index += 1
                continue
            }
            let table = owner.rows
            while index < count, let row = readings[Int(positions[index])].row(in: owner) {
                if let value = table.part(goalID, row) { rated.append((index: index, value: value)) }
                index += 1
            }
        }
        return rated
    }
}
