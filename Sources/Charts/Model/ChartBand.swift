/// A range of scores drawn behind the series: the reliable-change band around intake, or an
/// expected band that changes from session to session.
package struct ChartBand: Codable, Hashable, Sendable {
    /// Where a band lies over time.
    package enum Extent: Codable, Hashable, Sendable {
        /// The same low and high at every date on the axis.
        case constant(low: Double, high: Double)
        /// A low and high at given dates, joined by straight lines between them and not drawn
        /// before the first date or after the last.
        case varying([ChartBandPoint])
    }

    /// The legend text, such as "reliable change from intake (±5)".
    package var label: String
    /// Where the band lies.
    package var extent: Extent

    /// Creates a band with the same low and high at every date, such as intake ± the reliable
    /// change.
    package init(label: String, low: Double, high: Double) {
        self.label = label
        self.extent = .constant(low: low, high: high)
    }

    /// Creates a band with a low and high per date, such as the expected range per session.
    package init(label: String, points: [ChartBandPoint]) {
        self.label = label
        self.extent = .varying(points)
    }
}
