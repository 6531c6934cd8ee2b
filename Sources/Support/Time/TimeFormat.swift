import Foundation

/// ISO 8601 times in UTC, written and read without a formatter on the hot path: a journal's
/// `time`, a FHIR `instant`, a CSV export's `recorded`.
///
/// On Linux every `ISO8601DateFormatter` builds an ICU date format first, which took two thirds
/// of a CSV export and a third of a FHIR export.
package enum TimeFormat {
    /// The moment from whole seconds and milliseconds, computed the one way both writing and
    /// reading use, so a record's time reads back equal.
    package static func date(seconds: Int64, millis: Int) -> Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
    }

    /// `date` cut to whole milliseconds, the precision journals keep.
    package static func truncated(_ date: Date) -> Date {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        return Self.date(seconds: seconds, millis: Int(total - seconds * 1000))
    }

    /// `2026-03-14T10:22:05Z`, with milliseconds when the time has them.
    package static func string(_ date: Date) -> String {
        text { append(date, to: &$0) }
    }

    /// Appends the UTF-8 of `string(date)` to `out`.
    package static func append(_ date: Date, to out: inout [UInt8]) {
        let interval = date.timeIntervalSince1970
        let seconds = Int64(interval.rounded(.down))
        let millis = Int(((interval - Double(seconds)) * 1000).rounded())
        appendDateAndTime(seconds, to: &out)
        if millis > 0 && millis < 1000 {
            out.append(UInt8(ascii: "."))
            appendPadded(millis, 3, to: &out)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// `2026-03-14T10:22:05.123Z`: always with milliseconds, as FHIR writes an `instant`. The
    /// milliseconds are the time's, rounded to the nearest (times are kept to the millisecond).
    package static func instant(_ date: Date) -> String {
        text { appendInstant(date, to: &$0) }
    }

    /// Appends the UTF-8 of `instant(date)` to `out`.
    package static func appendInstant(_ date: Date, to out: inout [UInt8]) {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let millis = (total % 1000 + 1000) % 1000
        appendDateAndTime((total - millis) / 1000, to: &out)
        out.append(UInt8(ascii: "."))
        appendPadded(Int(millis), 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    private static func text(_ write: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        write(&out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `2026-03-14T10:22:05` for whole seconds since 1970 (UTC); the date as `Day` writes it.
    private static func appendDateAndTime(_ seconds: Int64, to out: inout [UInt8]) {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        Day(number: Int(days)).append(to: &out)
        out.append(UInt8(ascii: "T"))
        appendPadded(Int(rest / 3600), 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(Int(rest % 3600 / 60), 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(Int(rest % 60), 2, to: &out)
    }

    /// `value` (not negative) with zeros in front to `width` digits.
    private static func appendPadded(_ value: Int, _ width: Int, to out: inout [UInt8]) {
        var limit = 10
        for _ in 1..<width {
            if value < limit { out.append(UInt8(ascii: "0")) }
            limit *= 10
        }
        NumberText.appendInteger(Int64(value), to: &out)
    }

    /// Reads `2026-03-14T10:22:05Z`, with optional fractional seconds (kept to the millisecond,
    /// the precision journals keep) and a `±hh:mm` offset; the date must be a real one in
    /// `CalendarLimits.years`, as every date read from a file.
    package static func date(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { date($0) }
    }

    /// Reads the UTF-8 bytes of `2026-03-14T10:22:05Z` (as `date(_:)` with a string).
    package static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count >= 20 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for offset in start..<start + count {
                let byte = bytes[offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2),
            let minute = digits(14, 2), let second = digits(17, 2), bytes[4] == 45, bytes[7] == 45,
            bytes[10] == UInt8(ascii: "T"), CalendarLimits.isValid(year: year, month: month, day: day),
            hour < 24,
            minute < 60,
            second < 61
        else { return nil }
        var index = 19
        var millis = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digitsRead = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digitsRead < 3 { millis = millis * 10 + Int(bytes[index] - 48) }
                digitsRead += 1
                index += 1
            }
            for _ in digitsRead..<max(digitsRead, 3) { millis *= 10 }
        }
        var offset = 0
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            guard index + 6 <= bytes.count, let hours = digits(index + 1, 2),
                let minutes = digits(index + 4, 2)
            else {
                return nil
            }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = Int64(GregorianDays.number(year: year, month: month, day: day))
        return date(
            seconds: days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset), millis: millis)
    }
}
