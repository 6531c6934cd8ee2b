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
}
