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

    /// The bytes of a string without escapes, or nil (nothing consumed) when it has escapes.
    mutating func plain() throws(RecordScanner.Problem) -> UnsafeBufferPointer<UInt8>? {
        base.skipSpace()
        let bytes = base.bytes
        guard base.index < bytes.count, bytes[base.index] == UInt8(ascii: "\"") else {
            throw base.fail("expected a string")
        }
        let start = base.index + 1
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") {
            if bytes[end] < 0x20 { throw base.fail("control character in a string") }
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        base.index = end + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// A string's number in `table`'s pool.
    mutating func interned(_ table: inout SummaryTable) throws(RecordScanner.Problem) -> UInt32 {
        if let bytes = try plain() { return table.intern(bytes) }
        var text = try base.string()
        return text.withUTF8 { table.intern($0) }
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
                if let bytes = try summary.plain(), let bits = HexID(bytes) {
                    (entry.idHigh, entry.idLow) = (bits.high, bits.low)
                    sawID = true
                    return
                }
                summary.base.index = scanner.index
                var text = try summary.base.string()
                guard !text.isEmpty else { return }
                sawID = true
                entry.set(.textID)
                entry.idHigh = UInt64(text.withUTF8 { table.intern($0) })
            case .v: version = try summary.base.integer()
            case .kind:
                let kind = try summary.plain()
                kindMatches = kind?.equals("administration") ?? false
                if kind == nil { _ = try summary.base.string() }
                if kindMatches == false { other = true }
            case .time:
                if let bytes = try summary.plain(), let parsed = TimeFormat.date(bytes) {
                    entry.time = parsed.timeIntervalSince1970
                    sawTime = true
                    return
                }
                summary.base.index = scanner.index
                let raw = try summary.base.string()
                guard let parsed = TimeFormat.date(raw) else {
                    throw summary.base.fail("bad time \"\(raw)\"")
                }
                entry.time = parsed.timeIntervalSince1970
                sawTime = true
            case .case:
                if let bytes = try summary.plain() {
                    try Scanner.checkCaseID(bytes)
                    entry.caseID = table.intern(bytes)
                } else {
                    var text = try summary.base.string()
                    try Scanner.check(text, Scanner.checkCaseID)
                    entry.caseID = text.withUTF8 { table.intern($0) }
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
                    let day: Int?
                    if let bytes = try summary.plain() {
                        try Scanner.checkDate(bytes)
                        day = Self.day(bytes)
                    } else {
                        var text = try summary.base.string()
                        try Scanner.check(text, Scanner.checkDate)
                        day = text.withUTF8 { Self.day($0) }
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
