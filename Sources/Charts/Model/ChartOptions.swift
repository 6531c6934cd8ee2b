/// How a chart is drawn: its size, its character set, colour and the words it uses.
///
/// Charts never look at the terminal or the environment; the caller decides the width (from
/// `--width`, `COLUMNS` or the terminal), whether to use colour (`--no-color`, `NO_COLOR`) and
/// ASCII, and passes them here.
package struct ChartOptions: Codable, Hashable, Sendable {
    /// The most columns any line may take; every line of the chart fits within it.
    package var width: Int
    /// The plot rows per panel (at least 3).
    package var height: Int
    /// Whether to draw with 7-bit ASCII only; text with other characters is transliterated
    /// (`æ ø å` become `ae oe aa`).
    package var ascii: Bool
    /// Whether to add ANSI colour (SGR) to the symbols. Colour only repeats what the shapes say.
    package var color: Bool
    /// The words the chart uses for its legend, notes and months.
    package var labels: ChartLabels

    /// 80 columns, 12 rows per panel, Unicode, no colour, English.
    package static let `default` = ChartOptions()

    /// Creates options.
    package init(
        width: Int = 80, height: Int = 12, ascii: Bool = false, color: Bool = false,
        labels: ChartLabels = .english
    ) {
        self.width = width
        self.height = height
        self.ascii = ascii
        self.color = color
        self.labels = labels
    }
}
