/// The fields of an administration: the one list every shape of an administration is driven by.
///
/// Adding a field to an administration means adding a case here and answering its `key`, `kind`,
/// `summarized` and `writtenAfterScores`, and nothing else: the field is then written by
/// `Record.encodedLine()`, read by the full scanner (`RecordScanner.parse`) and, when summarized,
/// by the summary scanner, kept in a `SummaryTable` entry and in the summary cache (whose entry
/// layout is worked out from this list), and read back through `SummaryRows`,
/// `AdministrationSummary` and Progression's `Reading` with `text(_:)` and `integer(_:)`. A test
/// (`FieldListTests`) takes every case of the list through that whole way. Consumers that want to
/// show a new field add code for that; a change of what the summary cache holds also bumps
/// `SummaryCache.formatVersion`.
///
/// The envelope of a record (id, writer, time, case) and the structured answers and scores
/// (a total and its parts) are not fields of this list: they have shapes of their own.
@frozen
package enum AdministrationField: Int, CaseIterable, Sendable, Hashable {
    case instrument
    case instrumentVersion
    case worker
    case respondent
    case date
    case comment
    case age

    /// What a field holds, and how it is read and written.
    @frozen
    package enum Kind: Sendable, Hashable {
        /// A string every administration has.
        case requiredText
        /// A string, left out when absent (JSON null reads as absent).
        case optionalText
        /// A whole number, left out when absent (JSON null reads as absent).
        case optionalInteger
        /// The meeting's date as entered (`2026-03-14` or an ISO 8601 date-time), which every
        /// administration has: a record keeps the text, a summary its day number (counted from
        /// 1970-01-01; absent when the text is no date).
        case meetingDate
    }

    /// The field's JSON key in a journal line.
    package var key: StaticString {
        switch self {
        case .instrument: return "instrument"
        case .instrumentVersion: return "instrumentVersion"
        case .worker: return "worker"
        case .respondent: return "respondent"
        case .date: return "date"
        case .comment: return "comment"
        case .age: return "age"
        }
    }

    @inlinable
    package var kind: Kind {
        switch self {
        case .instrument, .instrumentVersion, .respondent: return .requiredText
        case .worker, .comment: return .optionalText
        case .date: return .meetingDate
        case .age: return .optionalInteger
        }
    }

    /// Whether summaries (the summary table, its cache, rows and readings) keep the field.
    @inlinable
    package var summarized: Bool {
        switch self {
        case .instrumentVersion: return false
        case .instrument, .worker, .respondent, .date, .comment, .age: return true
        }
    }

    /// Whether a journal line has the field after the scores rather than before the answers.
    package var writtenAfterScores: Bool {
        switch self {
        case .instrument, .instrumentVersion, .worker, .respondent, .date: return false
        case .comment, .age: return true
        }
    }
}

extension AdministrationField {
    /// Whether every administration has the field.
    @inlinable
    package var isRequired: Bool { kind == .requiredText || kind == .meetingDate }

    /// Whether a record keeps the field as text (a summary keeps it as text too, except the
    /// meeting date).
    @inlinable
    package var isText: Bool { kind != .optionalInteger }

    /// Whether a summary keeps the field as a whole number (a string's pool number otherwise).
    @inlinable
    package var isSummaryInteger: Bool { kind == .optionalInteger || kind == .meetingDate }

    // Each field's place in the slots of `FieldValues`, `SummaryFields` and `SummaryEntry`: its
    // place among the fields before it that are kept the same way. Worked out from the list
    // each time (a few steps, folded away for a field named in the code), so reading a field
    // costs no lookup in a table.

    /// The field's slot among a record's texts, or -1.
    @inlinable
    var recordTextSlot: Int { isText ? Self.count(before: rawValue) { $0.isText } : -1 }

    /// The field's slot among a record's whole numbers, or -1.
    @inlinable
    var recordIntegerSlot: Int { isText ? -1 : Self.count(before: rawValue) { !$0.isText } }

    /// The field's slot among a summary's texts, or -1.
    @inlinable
    var summaryTextSlot: Int {
        summarized && !isSummaryInteger
            ? Self.count(before: rawValue) { $0.summarized && !$0.isSummaryInteger } : -1
    }

    /// The field's slot among a summary's whole numbers, or -1.
    @inlinable
    var summaryIntegerSlot: Int {
        summarized && isSummaryInteger
            ? Self.count(before: rawValue) { $0.summarized && $0.isSummaryInteger } : -1
    }

    /// The field's first word in `SummaryEntry.words` (a pool number takes one word, a whole
    /// number two), or -1 when summaries do not keep it.
    @inlinable
    var word: Int {
        guard summarized else { return -1 }
        var word = 0
        for raw in 0..<rawValue {
            let field = AdministrationField(rawValue: raw)!
            if field.summarized { word += field.isSummaryInteger ? 2 : 1 }
        }
        return word
    }

    /// Calls `body` with each summarized field in the list's order, its slot among a summary's
    /// texts or whole numbers, and its first word in `SummaryEntry.words`: one pass with no
    /// lookup, for the loops that visit every row.
    @inlinable @inline(__always)
    static func forEachSummarized(_ body: (_ field: AdministrationField, _ slot: Int, _ word: Int) -> Void) {
        var (texts, integers, word, raw) = (0, 0, 0, 0)
        while let field = AdministrationField(rawValue: raw) {
            raw += 1
            guard field.summarized else { continue }
            if field.isSummaryInteger {
                body(field, integers, word)
                integers += 1
                word += 2
            } else {
                body(field, texts, word)
                texts += 1
                word += 1
            }
        }
    }

    /// How many of the fields before the one with raw value `end` `include` holds for.
    @inlinable
    static func count(before end: Int, _ include: (AdministrationField) -> Bool) -> Int {
        var count = 0
        for raw in 0..<end where include(AdministrationField(rawValue: raw)!) { count += 1 }
        return count
    }

    /// The field whose key is `bytes`, or nil.
    init?(key bytes: UnsafeBufferPointer<UInt8>) {
        // Straight down the list (a key's length settles most comparisons): no table to reach.
        var raw = 0
        while let field = AdministrationField(rawValue: raw) {
            if bytes.equals(field.key) {
                self = field
                return
            }
            raw += 1
        }
        return nil
    }

    /// The field's bit in `SummaryEntry.flags`, set when the entry has the field.
    @inlinable
    var summaryFlag: UInt32 { 4 << UInt32(rawValue) }

    /// The lists worked out once from the list, checked against the slots' capacities.
    static let layout = Layout()

    struct Layout: Sendable {
        /// Every field, in the list's order.
        let fields: [AdministrationField]
        /// The summarized fields, in the list's order.
        let summarized: [AdministrationField]
        /// The words of `SummaryEntry.words` that hold pool numbers.
        let stringWords: [Int]
        /// How many words the summarized fields take.
        let words: Int
        /// The flags an entry has for every required summarized field.
        let requiredSummaryFlags: UInt32

        init() {
            fields = AdministrationField.allCases
            summarized = fields.filter(\.summarized)
            stringWords = summarized.filter { !$0.isSummaryInteger }.map(\.word)
            words = summarized.map { $0.isSummaryInteger ? 2 : 1 }.reduce(0, +)
            requiredSummaryFlags = summarized.filter(\.isRequired).reduce(0) { $0 | $1.summaryFlag }
            let all = AdministrationField.allCases
            func count(_ include: (AdministrationField) -> Bool) -> Int { all.filter(include).count }
            precondition(
                count(\.isText) <= FieldValues.textCapacity
                    && count({ !$0.isText }) <= FieldValues.integerCapacity
                    && count({ $0.summarized && !$0.isSummaryInteger }) <= SummaryFields.textCapacity
                    && count({ $0.summarized && $0.isSummaryInteger }) <= SummaryFields.integerCapacity
                    && words <= SummaryEntry.wordCapacity && all.count <= 30,
                "the administration field list outgrew its slots: raise the capacity of FieldValues, SummaryFields or SummaryEntry"
            )
        }
    }
}
