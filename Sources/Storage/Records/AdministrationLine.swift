import Foundation
import Support

/// An administration's or correction's line as the scanner reads it (`Scanner.scannedRecord()`,
/// every check of the full parser), its fields taken from the line's bytes when asked, no record
/// made: what an export needs of a record it writes as a table.
///
/// A text is handed over as its UTF-8, the line's own bytes when it has no escapes; a value as
/// the full parser reads it. It is valid while the line's bytes are.
///
/// It keeps only where the fields an export reads stand (a few hundred bytes, not the whole of
/// what the scanner found), as an export makes one or two for every row.
package struct AdministrationLine {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// When the record was written.
    package let time: Date
    private let id: Place
    private let caseID: Place
    /// The text fields by their slot among a record's texts (`FieldValues`' room).
    private let texts: InlineArray<8, Place>
    private let integers: ScannedIntegers
    /// Where the answers and the scores start in the line, and how many members each has.
    private let answers: (start: Int, count: Int)
    private let scores: (start: Int, count: Int)

    /// Where a string stands in the line: a `TextSpan` in two words (`start` negative when the
    /// string has escapes, `Int.min` for none).
    private struct Place {
        private let start: Int
        private let end: Int

        static let none = Place(start: .min, end: 0)

        private init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        init(_ span: TextSpan?) {
            guard let span else {
                self = .none
                return
            }
            self.init(start: span.escaped ? -1 - span.start : span.start, end: span.end)
        }

        var span: TextSpan? {
            start == .min
                ? nil : TextSpan(start: start < 0 ? -1 - start : start, end: end, escaped: start < 0)
        }
    }

    /// Reads `line`, an administration or a correction.
    /// - Throws: when the line is not one, as `RecordScanner.parse` would (or is another kind).
    package init(_ line: UnsafeBufferPointer<UInt8>) throws(RecordScanner.Problem) {
        try self.init(line, checkedTime: nil)
    }

    /// Reads `line`, an administration or a correction a scan has checked already and read the
    /// time `time` of (`StoreScan`; the line read again through the scan's open file, so the same
    /// bytes): its fields are found without checking again what only refuses a line
    /// (`Scanner.checkedTime`).
    /// - Throws: when the line is not one, as `RecordScanner.parse` would (or is another kind).
    package init(_ line: UnsafeBufferPointer<UInt8>, checked time: Date) throws(RecordScanner.Problem) {
        try self.init(line, checkedTime: time)
    }

    private init(_ line: UnsafeBufferPointer<UInt8>, checkedTime: Date?) throws(RecordScanner.Problem) {
        var scanner = Scanner(bytes: line)
        scanner.checkedTime = checkedTime
        let scanned = try scanner.scannedRecord()
        guard scanned.kind == .administration || scanned.kind == .correction,
            let answers = scanned.answers, let scores = scanned.scores
        else {
            throw .malformed("not an administration or a correction")
        }
        bytes = line
        time = scanned.time!
        id = Place(scanned.id)
        caseID = Place(scanned.caseID)
        var texts = InlineArray<8, Place>(repeating: .none)
        for slot in 0..<8 { texts[slot] = Place(scanned.texts[slot]) }
        self.texts = texts
        integers = scanned.integers
        self.answers = answers
        self.scores = scores
    }

    /// Calls `body` with the UTF-8 of the record's id.
    package func withID<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withText(id.span!, body)
    }

    /// Calls `body` with the UTF-8 of the record's case id.
    package func withCaseID<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withText(caseID.span!, body)
    }

    /// Calls `body` with the UTF-8 of a text field, or nil when the record has none.
    package func withText<Result>(
        _ field: AdministrationField, _ body: (UnsafeBufferPointer<UInt8>?) -> Result
    ) -> Result {
        guard let span = texts[field.recordTextSlot].span else { return body(nil) }
        return withText(span) { bytes in body(bytes) }
    }

    /// `Scanner.withText`, a text without escapes (nearly all) handed over in place at once.
    @inline(__always)
    private func withText<Result>(_ span: TextSpan, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result
    {
        span.escaped
            ? Scanner(bytes: bytes).withText(span, body)
            : body(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
    }

    /// A whole-number field, or nil when the record has none.
    package func integer(_ field: AdministrationField) -> Int? { integers.integer(field) }

    /// Whether its instrument, answers and scores are `keys`': its answers and scores name them
    /// in their sorted order, byte for byte, so its `n`th answer is that of `keys.answers[n]`
    /// (false when they do not, though the record made of it might still have them).
    ///
    /// When they are, `answerStarts` and `scoreStarts` are set to where each answer's and score's
    /// value starts in the line, in the line's order (for `value(at:)`), found by the same walk.
    package func names(_ keys: ContentKeys, answerStarts: inout [Int], scoreStarts: inout [Int]) -> Bool {
        let instrument = texts[AdministrationField.instrument.recordTextSlot].span!
        var name = keys.instrument
        guard !instrument.escaped,
            name.withUTF8({
                $0.equals(UnsafeBufferPointer(rebasing: bytes[instrument.start..<instrument.end]))
            })
        else {
            return false
        }
        return keys.fits(
            answers: answers, scores: scores, in: Scanner(bytes: bytes), answerStarts: &answerStarts,
            scoreStarts: &scoreStarts)
    }

    /// A value of the answers or scores, as the full parser reads it.
    package enum Value {
        case skipped
        case number(Double)
        /// A text without escapes: its bytes in the line.
        case text(UnsafeBufferPointer<UInt8>)
        /// A text with escapes.
        case escapedText(String)
    }

    /// The answer or score whose value starts at `start` (from `names`).
    package func value(at start: Int) -> Value {
        var reader = Scanner(bytes: bytes)
        reader.index = start
        if reader.null() { return .skipped }
        do throws(RecordScanner.Problem) {
            if bytes[start] == UInt8(ascii: "\"") {
                let span = try reader.span()
                return span.escaped ? .escapedText(reader.text(span)) : .text(reader.slice(span))
            }
            return .number(try reader.storedNumber())
        } catch {
            preconditionFailure("a value the scanner checked no longer reads: \(error)")
        }
    }
}
