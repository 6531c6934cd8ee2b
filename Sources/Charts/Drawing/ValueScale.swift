import Foundation
import Support

/// Maps scores to plot rows (row 0 at the bottom) and picks the labelled ticks.
///
/// The lowest and highest score of the range get the bottom and top rows, so 0 and the maximum
/// are always visible. With a cut-off, the mapping is bent by at most one row so that the row of
/// the cut-off holds exactly the cut-off: a point above the line is above the cut-off, a point
/// below it is below, and a point on it equals it ("clinical" and "functional" are strict).
struct ValueScale: Hashable, Sendable {
    var low: Double
    var high: Double
    var rows: Int
    var cutoff: Double?

    init(range: ClosedRange<Double>, rows: Int, cutoff: Double?) {
        precondition(
            range.lowerBound.isFinite && range.upperBound.isFinite, "a panel's yRange must be finite")
        low = range.lowerBound
        high = range.upperBound
        self.rows = rows
        self.cutoff = cutoff.flatMap { range.contains($0) ? $0 : nil }
    }

    private var span: Double {
        high > low ? high - low : 1
    }

    private func linearRow(_ value: Double) -> Int {
        let position = ((value - low) / span * Double(rows - 1)).rounded()
        return min(max(Int(saturating: position), 0), rows - 1)
    }

    /// The row of the cut-off line, if the panel has one inside its range; never the top or
    /// bottom row unless the cut-off is the end of the range, so there is room on both sides.
    var cutoffRow: Int? {
        guard let cutoff else { return nil }
        let row = linearRow(cutoff)
        if row == rows - 1, cutoff < high { return rows - 2 }
        if row == 0, cutoff > low { return 1 }
        return row
    }

    /// The row that shows `value`.
    func row(_ value: Double) -> Int {
        let row = linearRow(value)
        guard let cutoff, let cutoffRow else { return row }
        if abs(value - cutoff) < 1e-9 { return cutoffRow }
        if value > cutoff, row <= cutoffRow { return min(cutoffRow + 1, rows - 1) }
        if value < cutoff, row >= cutoffRow { return max(cutoffRow - 1, 0) }
        return row
    }

    /// The labelled scores and their rows, bottom first: round steps at least two rows apart, and
    /// always the ends of the range.
    func ticks() -> [(row: Int, value: Double)] {
        let rowsPerUnit = Double(rows - 1) / span
        let step = Self.niceSteps(around: span).first { $0 * rowsPerUnit >= 2 } ?? span
        var values: [Double] = [low]
        var multiple = (low / step).rounded(.up) * step
        while multiple < high - 1e-9 {
            if multiple > low + 1e-9 { values.append(multiple) }
            multiple += step
        }
        let lowRow = row(low)
        let highRow = row(high)
        var ticks: [(row: Int, value: Double)] = []
        for value in values {
            let row = row(value)
            if value != low, abs(row - lowRow) < 2 || abs(row - highRow) < 2 { continue }
            if let last = ticks.last, last.row == row { continue }
            ticks.append((row, value))
        }
        if high > low { ticks.append((highRow, high)) }
        return ticks
    }

    private static func niceSteps(around span: Double) -> [Double] {
        // A span of 1e308 must not give a range of powers that overflows.
        let exponent = min(max(Int(saturating: log10(span).rounded(.down)), -300), 300)
        var steps: [Double] = []
        for power in (exponent - 3)...(exponent + 1) {
            let scale = pow(10, Double(power))
            steps += [1, 2, 2.5, 5].map { $0 * scale }
        }
        return steps
    }
}
