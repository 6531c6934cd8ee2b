/// A named line of scores on a panel, such as the ORS total or one GBO goal.
///
/// Each series in a panel gets its own marker shape (`● ◆ ■ ○ ◇ □`, ASCII `* o # x % @`) and its
/// own legend entry.
package struct ChartSeries: Codable, Hashable, Sendable {
    /// The name shown in the legend, such as "ORS" or the goal in the citizen's own words.
    package var name: String
    /// The scores, in any order; the renderer places them by date.
    package var points: [ChartPoint]

    /// Creates a series.
    package init(name: String, points: [ChartPoint]) {
        self.name = name
        self.points = points
    }
}
