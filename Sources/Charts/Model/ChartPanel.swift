/// One instrument's plot: a title, the instrument's full score range, its series and its
/// reference marks. Panels in one chart share the date axis.
package struct ChartPanel: Codable, Hashable, Sendable {
    /// The line above the plot, such as "ORS (0–40)".
    package var title: String
    /// The instrument's full score range (0...40 for ORS), not the range of the data, so a chart
    /// never exaggerates a small change. Values outside it are drawn at the nearest edge.
    package var yRange: ClosedRange<Double>
    /// The lines of scores; GBO has one per goal.
    package var series: [ChartSeries]
    /// The clinical cut-off, drawn as a labelled horizontal line.
    package var cutoff: ChartLine?
    /// The reliable-change band around intake, drawn shaded (`░`, ASCII `.`).
    package var reliableBand: ChartBand?
    /// The expected band, drawn as its two edges (`·`, ASCII `~`).
    package var expectedBand: ChartBand?

    /// Creates a panel.
    package init(
        title: String, yRange: ClosedRange<Double>, series: [ChartSeries], cutoff: ChartLine? = nil,
        reliableBand: ChartBand? = nil, expectedBand: ChartBand? = nil
    ) {
        self.title = title
        self.yRange = yRange
        self.series = series
        self.cutoff = cutoff
        self.reliableBand = reliableBand
        self.expectedBand = expectedBand
    }
}
