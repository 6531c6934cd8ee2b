import Foundation

/// The low and high edge of a band on one day.
public struct ChartBandPoint: Codable, Hashable, Sendable {
    /// The calendar day, at UTC midnight (see ``ChartPoint``).
    public var date: Date
    /// The lower edge of the band on that day.
    public var low: Double
    /// The upper edge of the band on that day.
    public var high: Double

    /// Creates a band point.
    public init(date: Date, low: Double, high: Double) {
        self.date = date
        self.low = low
        self.high = high
    }
}
