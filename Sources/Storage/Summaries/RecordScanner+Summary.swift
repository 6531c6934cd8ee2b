import Foundation
import Support

extension RecordScanner {
    /// Adds the summary of an administration line to `table` and returns true, or returns false
    /// when the line holds another kind of record (read it in full with `parse`).
    static func summary(_ bytes: UnsafeBufferPointer<UInt8>, into table: inout SummaryTable) throws(Problem)
        -> Bool
    {
        var scanner = SummaryScanner(bytes: bytes)
        return try scanner.summary(into: &table)
    }
}

/// A scanner that reads only what reports need, strings straight into a table's pool.
struct SummaryScanner {
    var base: Scanner

    init(bytes: UnsafeBufferPointer<UInt8>) {
        base = Scanner(bytes: bytes)
    }

    /// Reads a string as `Scanner.span()` does, but for where it places a control character met
    /// before any escape: at the string's opening quote, as the summary path always has.
    mutating func span() throws(RecordScanner.Problem) -> TextSpan {
        base.skipSpace()
        let bytes = base.bytes
        let quote = base.index
        guard quote < bytes.count, bytes[quote] == UInt8(ascii: "\"") else {
            throw base.fail("expected a string")
        }
        let end = base.plainEnd(from: quote + 1)
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            base.index = end + 1
            return TextSpan(start: quote + 1, end: end, escaped: false)
        }
        if end < bytes.count, bytes[end] < 0x20 { throw base.fail("control character in a string") }
        return try base.span()
    }

    /// A string's number in `table`'s pool.
    mutating func interned(_ table: inout SummaryTable) throws(RecordScanner.Problem) -> UInt32 {
        let span = try span()
        return base.withText(span) { table.intern($0) }
    }

    mutating func summary(into table: inout SummaryTable) throws(RecordScanner.Problem) -> Bool {
        var entry = SummaryEntry(time: 0)
        var sawID = false
        var version: Int?
        var kindMatches: Bool?
        var sawTime = false
        var sawCase = false
        var sawAnswers = false
        var sawScores = false
        var parts: [(name: UInt32, value: Double)] = []
        var other = false
        // Required fields read that an entry may still lack: a meeting date that is no date.
        var sawFields: UInt32 = 0

        try base.checkUTF8()
        try base.members { scanner, key throws(RecordScanner.Problem) in
            var summary = SummaryScanner(bytes: scanner.bytes)
            summary.base.index = scanner.index
            defer { scanner.index = summary.base.index }
            if other {
                try summary.base.skipValue()
                return
            }
            switch RecordKey(key) {
            case .id:
                let span = try summary.span()
                if !span.escaped, let bits = HexID(summary.base.slice(span)) {
                    (entry.idHigh, entry.idLow) = (bits.high, bits.low)
                    sawID = true
                    return
                }
                guard span.start < span.end else { return }
                sawID = true
                entry.set(.textID)
                entry.idHigh = UInt64(summary.base.withText(span) { table.intern($0) })
            case .v: version = try summary.base.integer()
            case .kind:
                // A kind written with escapes is left to the full parser.
                let kind = try summary.span()
                kindMatches = !kind.escaped && summary.base.slice(kind).equals("administration")
                if kindMatches == false { other = true }
            case .time:
                let span = try summary.span()
                guard let parsed = summary.base.withText(span, TimeFormat.date) else {
                    throw summary.base.fail("bad time \"\(summary.base.text(span))\"")
                }
                entry.time = parsed.timeIntervalSince1970
                sawTime = true
            case .case:
                let span = try summary.span()
                entry.caseID = try summary.base.withText(span) { bytes throws(RecordScanner.Problem) in
                    try Scanner.checkCaseID(bytes)
                    return table.intern(bytes)
                }
                sawCase = true
            case .field(let field):
                guard field.summarized else {
                    try summary.base.skipValue()
                    return
                }
                switch field.kind {
                case .requiredText:
                    entry.set(field, string: try summary.interned(&table))
                case .optionalText:
                    if !summary.base.null() { entry.set(field, string: try summary.interned(&table)) }
                case .optionalInteger:
                    if !summary.base.null() { entry.set(field, integer: Int64(try summary.base.integer())) }
                case .meetingDate:
                    sawFields |= field.summaryFlag
                    let span = try summary.span()
                    let day = try summary.base.withText(span) { bytes throws(RecordScanner.Problem) in
                        try Scanner.checkDate(bytes)
                        return Self.day(bytes)
                    }
                    if let day { entry.set(field, integer: Int64(day)) }
                }
            case .answers:
                sawAnswers = true
                try summary.base.skipAnswers()
            case .scores:
                sawScores = true
                parts.removeAll()
                try summary.base.members { inner, name throws(RecordScanner.Problem) in
                    let value = try inner.storedNumber()
                    if name.count == 5, name.equals("total") {
                        entry.total = value
                        entry.set(.total)
                    } else {
                        parts.append((table.intern(name), value))
                    }
                }
            default: try summary.base.skipValue()
            }
        }
        if other { return false }
        base.skipSpace()
        guard base.index == base.bytes.count else { throw base.fail("text after the record") }
        guard let version else { throw RecordScanner.Problem.malformed("no schema version \"v\"") }
        if version > Record.currentSchemaVersion { throw RecordScanner.Problem.newerVersion(version) }
        guard kindMatches == true else {
            // No kind, or an unusual order: let the full parser decide.
            return false
        }
        let required = AdministrationField.layout.requiredSummaryFlags
        guard sawID, sawTime, sawCase, (entry.flags | sawFields) & required == required, sawAnswers, sawScores
        else { throw RecordScanner.Problem.malformed(Self.missingFields) }
        // Scores are kept by name, as the full parser's dictionary keeps them: the last of a
        // repeated name counts.
        if parts.count < 2 {
            table.append(entry, parts: parts)
            return true
        }
        var seen = Set<UInt32>()
        let unique = parts.reversed().filter { seen.insert($0.name).inserted }.sorted {
            table.pool[$0.name] < table.pool[$1.name]
        }
        table.append(entry, parts: unique)
        return true
    }

    /// Why an administration without one of the summarized required fields is refused (the
    /// others are the full scanner's to check).
    static let missingFields =
        "an administration needs id, time, case, "
        + (AdministrationField.layout.summarized.filter(\.isRequired).map { "\($0.key)" } + ["answers"])
        .joined(separator: ", ") + " and scores"

    /// The day number of `2026-03-14` (or the date part of a date-time), or nil.
    static func day(_ text: String) -> Int? {
        Day(iso: text)?.number
    }

    /// The day number of the UTF-8 bytes of `2026-03-14` (or of a date-time), or nil: `Day`'s rule.
    static func day(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        Day(iso: text)?.number
    }
}
