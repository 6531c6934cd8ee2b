import Foundation

/// The low and high edge of a band on one day.
package struct ChartBandPoint: Codable, Hashable, Sendable {
    /// The calendar day, at UTC midnight (see ``ChartPoint``).
    package var date: Date
    /// The lower edge of the band on that day.
    package var low: Double
    /// The upper edge of the band on that day.
    package var high: Double

    /// Creates a band point.
    package init(date: Date, low: Double, high: Double) {
        self.date = date
        self.low = low
        self.high = high
    }
}
