import Foundation

/// A calendar day, counted in days since 1970-01-01; meetings are dated by day.
package struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package var number: Int

    package init(number: Int) {
        self.number = number
    }

    /// Returns the day of `year`-`month`-`day`, or nil when there is no such date in
    /// `CalendarLimits.years` (31 February, a month 13, the year 0000).
    package init?(year: Int, month: Int, day: Int) {
        guard CalendarLimits.isValid(year: year, month: month, day: day) else { return nil }
        number = GregorianDays.number(year: year, month: month, day: day)
    }

    /// Returns the day of an ISO 8601 date (`2026-03-14`) or date-time (`2026-03-14T10:00:00+01:00`,
    /// read as the calendar day written, not converted to UTC), or nil.
    ///
    /// The one rule for a meeting's date, wherever it comes from (an option, a journal line, an
    /// imported file): a real date in `CalendarLimits.years`, followed by nothing, `T` or a space.
    package init?(iso text: String) {
        var text = text
        guard let day = text.withUTF8({ Day(iso: $0) }) else { return nil }
        self = day
    }

    /// Returns the day of the UTF-8 bytes of an ISO 8601 date or date-time (as `init(iso:)` with
    /// a string), or nil.
    package init?(iso bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return nil
        }
        func digits(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for offset in start..<start + count {
                let byte = bytes[offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        let rest: UInt8? = bytes.count > 10 ? bytes[10] : nil
        guard rest == nil || rest == UInt8(ascii: "T") || rest == UInt8(ascii: " "),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day a moment falls on, in UTC.
    package init(_ date: Date) {
        number = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Midnight UTC at the start of the day.
    package var date: Date { Date(timeIntervalSince1970: Double(number) * 86_400) }

    /// The day as ISO 8601, `2026-03-14`.
    package var description: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(10)
        append(to: &digits)
        return String(decoding: digits, as: UTF8.self)
    }

    /// Appends the UTF-8 of `description` to `out`.
    package func append(to out: inout [UInt8]) {
        let (year, month, day) = civil
        out.append(UInt8(48 + year / 1000 % 10))
        out.append(UInt8(48 + year / 100 % 10))
        out.append(UInt8(48 + year / 10 % 10))
        out.append(UInt8(48 + year % 10))
        out.append(45)
        out.append(UInt8(48 + month / 10))
        out.append(UInt8(48 + month % 10))
        out.append(45)
        out.append(UInt8(48 + day / 10))
        out.append(UInt8(48 + day % 10))
    }

    /// Year, month and day of the proleptic Gregorian calendar, computed without a Calendar:
    /// reports call it for every administration.
    package var civil: (year: Int, month: Int, day: Int) {
        GregorianDays.civil(number)
    }

    package static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }

    package static func + (lhs: Day, days: Int) -> Day { Day(number: lhs.number + days) }

    package static func - (lhs: Day, rhs: Day) -> Int { lhs.number - rhs.number }
}
