import Foundation
import Support

extension Record {
    /// Returns the record as one JSON line, without the line break.
    ///
    /// Keys come in a fixed order and answers by item id, so the same record always gives the same
    /// bytes; numbers take the shortest form that reads back the same (19.1, not 19.100000000000001).
    public func encodedLine() -> String {
        var out = "{"
        out.reserveCapacity(256)
        field(&out, "id", id, first: true)
        out += ",\"v\":\(schemaVersion)"
        field(&out, "kind", body.kind)
        field(&out, "writer", writer)
        field(&out, "time", TimeFormat.string(time))
        field(&out, "case", caseID)
        switch body {
        case .administration(let administration):
            encode(administration, into: &out)
        case .correction(let target, let replacement):
            field(&out, "target", target)
            encode(replacement, into: &out)
        case .withdrawal(let target, let reason):
            field(&out, "target", target)
            if let reason { field(&out, "reason", reason) }
        case .goal(let goal):
            field(&out, "instrument", goal.instrument)
            field(&out, "goal", goal.goal)
            field(&out, "action", goal.action.rawValue)
            if let text = goal.text { field(&out, "text", text) }
        case .decision(let decision):
            field(&out, "flag", decision.flag)
            field(&out, "outcome", decision.outcome)
            if let note = decision.note { field(&out, "note", note) }
            if let worker = decision.worker { field(&out, "worker", worker) }
        case .erasure:
            break
        }
        out += "}"
        return out
    }

    /// The JSON path of the first number a journal cannot hold (NaN, infinite, or beyond
    /// `NumberLimits.storedValue`), or nil when there is none. Such a record is refused rather
    /// than written as a line that would not read back.
    var nonFiniteField: String? {
        let content: AdministrationRecord
        switch body {
        case .administration(let administration): content = administration
        case .correction(_, let replacement): content = replacement
        default: return nil
        }
        // The journal reader refuses the same numbers; a record it would refuse is never written.
        for key in content.answers.keys.sorted() {
            if case .number(let value) = content.answers[key], !Scanner.isStorable(value) {
                return "answers.\(key)"
            }
        }
        for key in content.scores.keys.sorted() where !Scanner.isStorable(content.scores[key]!) {
            return "scores.\(key)"
        }
        return nil
    }

    private func encode(_ administration: AdministrationRecord, into out: inout String) {
        field(&out, "instrument", administration.instrument)
        field(&out, "instrumentVersion", administration.instrumentVersion)
        if let worker = administration.worker { field(&out, "worker", worker) }
        field(&out, "respondent", administration.respondent)
        field(&out, "date", administration.date)
        out += ",\"answers\":{"
        for (index, key) in administration.answers.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            JSONString.quote(key, into: &out)
            out += ":"
            switch administration.answers[key]! {
            case .number(let value): out += JSONText.number(value)
            case .text(let words): JSONString.quote(words, into: &out)
            case .skipped: out += "null"
            }
        }
        out += "},\"scores\":{"
        for (index, key) in administration.scores.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            JSONString.quote(key, into: &out)
            out += ":" + JSONText.number(administration.scores[key]!)
        }
        out += "}"
        if let comment = administration.comment { field(&out, "comment", comment) }
        if let age = administration.age { out += ",\"age\":\(age)" }
    }

    private func field(_ out: inout String, _ key: String, _ value: String, first: Bool = false) {
        if !first { out += "," }
        out += "\"\(key)\":"
        JSONString.quote(value, into: &out)
    }
}

/// JSON text for the journal.
enum JSONText {
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return NumberText.shortest(value)
    }
}

/// ISO 8601 times in UTC, written and read without a formatter on the hot path.
package enum TimeFormat {
    /// The moment from whole seconds and milliseconds, computed the one way both writing and
    /// reading use, so a record's time reads back equal.
    static func date(seconds: Int64, millis: Int) -> Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
    }

    /// `date` cut to whole milliseconds, the precision journals keep.
    static func truncated(_ date: Date) -> Date {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        return Self.date(seconds: seconds, millis: Int(total - seconds * 1000))
    }

    /// `2026-03-14T10:22:05Z`, with milliseconds when the time has them.
    static func string(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let seconds = Int64(interval.rounded(.down))
        let millis = Int(((interval - Double(seconds)) * 1000).rounded())
        var text = dateAndTime(seconds)
        if millis > 0 && millis < 1000 { text += ".\(pad(millis, 3))" }
        return text + "Z"
    }

    /// `2026-03-14T10:22:05.123Z`: always with milliseconds, as FHIR writes an `instant`. The
    /// milliseconds are the time's, rounded to the nearest (times are kept to the millisecond).
    package static func instant(_ date: Date) -> String {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let millis = (total % 1000 + 1000) % 1000
        return dateAndTime((total - millis) / 1000) + ".\(pad(Int(millis), 3))Z"
    }

    /// `2026-03-14T10:22:05` for whole seconds since 1970 (UTC).
    private static func dateAndTime(_ seconds: Int64) -> String {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(Int(rest / 3600), 2)):\(pad(Int(rest % 3600 / 60), 2)):\(pad(Int(rest % 60), 2))"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    package static func civil(fromDays z: Int64) -> (Int, Int, Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }
}
