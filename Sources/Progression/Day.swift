import Foundation
import Storage
import Support

/// A calendar day, counted in days since 1970-01-01; meetings are dated by day.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var number: Int

    public init(number: Int) {
        self.number = number
    }

    /// Returns the day of `year`-`month`-`day`, or nil when there is no such date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day), CalendarLimits.years.contains(year) else {
            return nil
        }
        number = Int(TimeFormat.days(year: year, month: month, day: day))
        // 31 February and the like roll into the next month: refuse them.
        guard civil == (year, month, day) else { return nil }
    }

    /// Returns the day of an ISO 8601 date (`2026-03-14`) or date-time (`2026-03-14T10:00:00+01:00`,
    /// read as the calendar day written, not converted to UTC), or nil.
    public init?(iso text: String) {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return nil
        }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        let rest = text.utf8.dropFirst(10)
        guard rest.isEmpty || rest.first == UInt8(ascii: "T") || rest.first == UInt8(ascii: " "),
            let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day a moment falls on, in UTC.
    public init(_ date: Date) {
        number = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Midnight UTC at the start of the day.
    public var date: Date { Date(timeIntervalSince1970: Double(number) * 86_400) }

    /// The day as ISO 8601, `2026-03-14`.
    public var description: String {
        let (year, month, day) = civil
        let digits: [UInt8] = [
            UInt8(48 + year / 1000 % 10), UInt8(48 + year / 100 % 10), UInt8(48 + year / 10 % 10),
            UInt8(48 + year % 10), 45,
            UInt8(48 + month / 10), UInt8(48 + month % 10), 45, UInt8(48 + day / 10), UInt8(48 + day % 10),
        ]
        return String(decoding: digits, as: UTF8.self)
    }

    /// Year, month and day of the proleptic Gregorian calendar, computed without a Calendar:
    /// reports call it for every administration.
    public var civil: (year: Int, month: Int, day: Int) {
        TimeFormat.civil(fromDays: Int64(number))
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }

    public static func + (lhs: Day, days: Int) -> Day { Day(number: lhs.number + days) }

    public static func - (lhs: Day, rhs: Day) -> Int { lhs.number - rhs.number }
}
