import Support

/// Draws a series as one line of levels for team lists, such as `▁▂▄▆█`.
package enum Sparkline {
    private static let blocks: [Unicode.Scalar] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    private static let digits: [Unicode.Scalar] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]

    /// Returns one character per value, or per group of values when there are more than `width`.
    ///
    /// Levels are measured against the instrument's full `range`, not the data's own minimum and
    /// maximum, so a case that stays high and one that stays low look different. Longer series are
    /// split into `width` consecutive groups of nearly equal size, each drawn at its mean. Values
    /// outside `range` are drawn at its nearest end; values that are not finite are ignored.
    ///
    /// - Parameters:
    ///   - values: The scores, oldest first.
    ///   - range: The instrument's full score range, such as `0...40`.
    ///   - width: The most characters to return.
    ///   - ascii: Whether to use the digits `0`–`9` (0 lowest) instead of the eight block heights.
    /// - Returns: `min(values.count, width)` characters, or an empty string.
    package static func render(
        _ values: [Double], range: ClosedRange<Double>, width: Int, ascii: Bool = false
    ) -> String {
        precondition(range.lowerBound.isFinite && range.upperBound.isFinite, "the range must be finite")
        let values = values.filter(\.isFinite)
        let count = min(values.count, max(width, 0))
        guard count > 0 else { return "" }
        let levels = ascii ? digits : blocks
        let span = range.upperBound > range.lowerBound ? range.upperBound - range.lowerBound : 1
        var line = ""
        for group in 0..<count {
            let slice = values[(group * values.count / count)..<((group + 1) * values.count / count)]
            let mean = slice.reduce(0, +) / Double(slice.count)
            let fraction = min(max((mean - range.lowerBound) / span, 0), 1)
            let level = Int(saturating: (fraction * Double(levels.count - 1)).rounded())
            line.unicodeScalars.append(levels[min(max(level, 0), levels.count - 1)])
        }
        return line
    }
}
