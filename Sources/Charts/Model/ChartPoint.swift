import Foundation

/// A value that places one score on a chart: the day it was given, the score, and whether a flag
/// marks it.
///
/// The renderer reads `date` as a calendar day in a fixed UTC Gregorian calendar, so pass the day
/// at UTC midnight (`2026-03-14T00:00:00Z`); a time of day is ignored, so two administrations on
/// the same day share a column.
package struct ChartPoint: Codable, Hashable, Sendable {
    /// The calendar day of the administration, at UTC midnight.
    package var date: Date
    /// The score, in the units of the panel's `yRange`.
    package var value: Double
    /// Whether a flag marks this administration; drawn with its own symbol (`▲`, ASCII `!`).
    package var flagged: Bool

    /// Creates a point.
    package init(date: Date, value: Double, flagged: Bool = false) {
        self.date = date
        self.value = value
        self.flagged = flagged
    }
}
