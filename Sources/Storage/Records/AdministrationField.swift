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
package enum AdministrationField: Int, CaseIterable, Sendable, Hashable {
    case instrument
    case instrumentVersion
    case worker
    case respondent
    case date
    case comment
    case age

    /// What a field holds, and how it is read and written.
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

    package var kind: Kind {
        switch self {
        case .instrument, .instrumentVersion, .respondent: return .requiredText
        case .worker, .comment: return .optionalText
        case .date: return .meetingDate
        case .age: return .optionalInteger
        }
    }

    /// Whether summaries (the summary table, its cache, rows and readings) keep the field.
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
    package var isRequired: Bool { kind == .requiredText || kind == .meetingDate }

    /// Whether a record keeps the field as text (a summary keeps it as text too, except the
    /// meeting date).
    var isText: Bool { kind != .optionalInteger }

    /// Whether a summary keeps the field as a whole number (a string's pool number otherwise).
    var isSummaryInteger: Bool { kind == .optionalInteger || kind == .meetingDate }

    /// The field whose key is `bytes`, or nil.
    init?(key bytes: UnsafeBufferPointer<UInt8>) {
        let byLength = Self.layout.byKeyLength
        guard bytes.count < byLength.count else { return nil }
        for field in byLength[bytes.count] where bytes.equals(field.key) {
            self = field
            return
        }
        return nil
    }

    /// The field's bit in `SummaryEntry.flags`, set when the entry has the field.
    var summaryFlag: UInt32 { 4 << UInt32(rawValue) }

    /// Where each field's value stands in `FieldValues` and in a `SummaryEntry`, worked out once
    /// from the list.
    static let layout = Layout()

    struct Layout: Sendable {
        /// Every field, in the list's order.
        let fields: [AdministrationField]
        /// The summarized fields, in the list's order.
        let summarized: [AdministrationField]
        /// Each field's slot among `FieldValues`' texts and integers, by raw value (-1: none).
        let textSlot: [Int]
        let integerSlot: [Int]
        /// Each summarized field's first word in `SummaryEntry.words`, by raw value (-1: none);
        /// a pool number takes one word, a whole number two.
        let word: [Int]
        /// The words of the summarized fields that hold pool numbers.
        let stringWords: [Int]
        /// How many words the summarized fields take.
        let words: Int
        /// The flags an entry has for every required summarized field.
        let requiredSummaryFlags: UInt32
        /// The fields by the length of their key.
        let byKeyLength: [[AdministrationField]]

        init() {
            fields = AdministrationField.allCases
            summarized = fields.filter(\.summarized)
            var (texts, integers, words) = (0, 0, 0)
            var textSlot = [Int](repeating: -1, count: fields.count)
            var integerSlot = textSlot
            var word = textSlot
            var stringWords: [Int] = []
            var required: UInt32 = 0
            var byKeyLength: [[AdministrationField]] = []
            for field in fields {
                if field.isText {
                    textSlot[field.rawValue] = texts
                    texts += 1
                }
                if field.isSummaryInteger {
                    integerSlot[field.rawValue] = integers
                    integers += 1
                }
                if field.summarized {
                    word[field.rawValue] = words
                    if !field.isSummaryInteger { stringWords.append(words) }
                    words += field.isSummaryInteger ? 2 : 1
                    if field.isRequired { required |= field.summaryFlag }
                }
                let length = field.key.utf8CodeUnitCount
                while byKeyLength.count <= length { byKeyLength.append([]) }
                byKeyLength[length].append(field)
            }
            precondition(
                texts <= FieldValues.textCapacity && integers <= FieldValues.integerCapacity
                    && words <= SummaryEntry.wordCapacity && fields.count <= 30,
                "the administration field list outgrew its slots: raise FieldValues' or SummaryEntry's capacity"
            )
            (self.textSlot, self.integerSlot, self.word) = (textSlot, integerSlot, word)
            self.stringWords = stringWords
            self.words = words
            requiredSummaryFlags = required
            self.byKeyLength = byKeyLength
        }
    }
}
