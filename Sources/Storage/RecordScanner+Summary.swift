import Foundation

extension RecordScanner {
    /// Returns the summary of an administration line, or nil when the line holds another kind of
    /// record (read it in full with `parse`).
    static func summary(_ bytes: UnsafeBufferPointer<UInt8>, strings: inout StringTable) throws(Problem)
        -> AdministrationSummary?
    {
        var scanner = SummaryScanner(bytes: bytes)
        return try scanner.summary(&strings)
    }
}

/// A scanner that reads only what reports need and shares repeated strings.
struct SummaryScanner {
    var base: Scanner

    init(bytes: UnsafeBufferPointer<UInt8>) {
        base = Scanner(bytes: bytes)
    }

    /// A string, shared through `strings` when it has no escapes.
    mutating func interned(_ strings: inout StringTable) throws(RecordScanner.Problem) -> String {
        base.skipSpace()
        let start = base.index + 1
        var end = start
        let bytes = base.bytes
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\""), base.index < bytes.count,
            bytes[base.index] == UInt8(ascii: "\"")
        {
            base.index = end + 1
            return strings.string(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
        return try base.string()
    }

    mutating func summary(_ strings: inout StringTable) throws(RecordScanner.Problem)
        -> AdministrationSummary?
    {
        var id: String?
        var version: Int?
        var kindMatches: Bool?
        var time: Date?
        var caseID: String?
        var instrument: String?
        var worker: String?
        var respondent: String?
        var day: Int?
        var sawDate = false
        var sawAnswers = false
        var total: Double?
        var parts: [String: Double] = [:]
        var sawScores = false
        var age: Int?
        var comment: String?
        var other = false

        try base.members { scanner, key throws(RecordScanner.Problem) in
            var summary = SummaryScanner(bytes: scanner.bytes)
            summary.base.index = scanner.index
            defer { scanner.index = summary.base.index }
            if other {
                try summary.base.skipValue()
                return
            }
            switch RecordKey(key) {
            case .id: id = try summary.base.string()
            case .v: version = try summary.base.integer()
            case .kind:
                let kind = try summary.interned(&strings)
                kindMatches = kind == "administration"
                if kindMatches == false { other = true }
            case .time:
                let raw = try summary.base.string()
                guard let parsed = TimeFormat.date(raw) else {
                    throw summary.base.fail("bad time \"\(raw)\"")
                }
                time = parsed
            case .case: caseID = try summary.interned(&strings)
            case .instrument: instrument = try summary.interned(&strings)
            case .worker: worker = summary.base.null() ? nil : try summary.interned(&strings)
            case .respondent: respondent = try summary.interned(&strings)
            case .date:
                sawDate = true
                day = Self.day(try summary.interned(&strings))
            case .answers:
                sawAnswers = true
                try summary.base.skipValue()
            case .scores:
                sawScores = true
                try summary.base.members { inner, name throws(RecordScanner.Problem) in
                    let value = try inner.number()
                    if name.count == 5, name.equals("total") {
                        total = value
                    } else {
                        parts[String(decoding: name, as: UTF8.self)] = value
                    }
                }
            case .age: age = summary.base.null() ? nil : try summary.base.integer()
            case .comment: comment = try summary.base.optionalString()
            default: try summary.base.skipValue()
            }
        }
        if other { return nil }
        base.skipSpace()
        guard base.index == base.bytes.count else { throw base.fail("text after the record") }
        guard let version else { throw RecordScanner.Problem.malformed("no schema version \"v\"") }
        if version > Record.currentSchemaVersion { throw RecordScanner.Problem.newerVersion(version) }
        guard kindMatches == true else {
            // No kind, or an unusual order: let the full parser decide.
            return nil
        }
        guard let id, !id.isEmpty, let time, let caseID, let instrument, let respondent, sawDate, sawAnswers,
            sawScores
        else {
            throw RecordScanner.Problem.malformed(
                "an administration needs id, time, case, instrument, respondent, date, answers and scores")
        }
        return AdministrationSummary(
            id: id, caseID: caseID, instrument: instrument, worker: worker, respondent: respondent, day: day,
            time: time,
            total: total, parts: parts, age: age, comment: comment)
    }

    /// The day number of `2026-03-14` (or the date part of a date-time), or nil.
    static func day(_ text: String) -> Int? {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == 45, bytes[7] == 45 else { return nil }
        var values: [Int] = []
        for range in [0..<4, 5..<7, 8..<10] {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            values.append(value)
        }
        let rest = text.utf8.dropFirst(10).first
        guard rest == nil || rest == UInt8(ascii: "T") || rest == UInt8(ascii: " "),
            (1...12).contains(values[1]),
            (1...31).contains(values[2])
        else { return nil }
        let number = Int(TimeFormat.days(year: values[0], month: values[1], day: values[2]))
        guard TimeFormat.civil(fromDays: Int64(number)) == (values[0], values[1], values[2]) else {
            return nil
        }
        return number
    }
}
