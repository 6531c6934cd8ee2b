/// A horizontal reference line across a panel, such as a clinical cut-off.
package struct ChartLine: Codable, Hashable, Sendable {
    /// The score the line marks; a point with exactly this value is drawn on the line.
    package var value: Double
    /// The legend text, such as "clinical cut-off 25"; the value itself also appears on the y axis.
    package var label: String

    /// Creates a reference line.
    package init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}
