import Foundation
import Support

/// An administration's or correction's line as the scanner reads it (`Scanner.scannedRecord()`,
/// every check of the full parser), its fields taken from the line's bytes when asked, no record
/// made: what an export needs of a record it writes as a table.
///
/// A text is handed over as its UTF-8, the line's own bytes when it has no escapes; a value as
/// the full parser reads it. It is valid while the line's bytes are.
package struct AdministrationLine {
    private let scanner: Scanner
    private let scanned: ScannedRecord

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
        scanned = try scanner.scannedRecord()
        guard scanned.kind == .administration || scanned.kind == .correction else {
            throw .malformed("not an administration or a correction")
        }
        self.scanner = scanner
    }

    /// When the record was written.
    package var time: Date { scanned.time! }

    /// Calls `body` with the UTF-8 of the record's id.
    package func withID<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withText(scanned.id!, body)
    }

    /// Calls `body` with the UTF-8 of the record's case id.
    package func withCaseID<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withText(scanned.caseID!, body)
    }

    /// Calls `body` with the UTF-8 of a text field, or nil when the record has none.
    package func withText<Result>(
        _ field: AdministrationField, _ body: (UnsafeBufferPointer<UInt8>?) -> Result
    ) -> Result {
        guard let span = scanned.texts[field.recordTextSlot] else { return body(nil) }
        return withText(span) { bytes in body(bytes) }
    }

    /// `Scanner.withText`, a text without escapes (nearly all) handed over in place at once.
    @inline(__always)
    private func withText<Result>(_ span: TextSpan, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result
    {
        span.escaped ? scanner.withText(span, body) : body(scanner.slice(span))
    }

    /// A whole-number field, or nil when the record has none.
    package func integer(_ field: AdministrationField) -> Int? { scanned.integers.integer(field) }

    /// Whether its instrument, answers and scores are `keys`': its answers and scores name them
    /// in their sorted order, byte for byte, so its `n`th answer is that of `keys.answers[n]`
    /// (false when they do not, though the record made of it might still have them).
    ///
    /// When they are, `answerStarts` and `scoreStarts` are set to where each answer's and score's
    /// value starts in the line, in the line's order (for `value(at:)`), found by the same walk.
    package func names(_ keys: ContentKeys, answerStarts: inout [Int], scoreStarts: inout [Int]) -> Bool {
        let instrument = scanned.texts[AdministrationField.instrument.recordTextSlot]!
        var name = keys.instrument
        guard !instrument.escaped, name.withUTF8({ $0.equals(scanner.slice(instrument)) }) else {
            return false
        }
        return keys.fits(scanned, in: scanner, answerStarts: &answerStarts, scoreStarts: &scoreStarts)
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
        var reader = scanner
        reader.index = start
        if reader.null() { return .skipped }
        do throws(RecordScanner.Problem) {
            if scanner.bytes[start] == UInt8(ascii: "\"") {
                let span = try reader.span()
                return span.escaped ? .escapedText(scanner.text(span)) : .text(scanner.slice(span))
            }
            return .number(try reader.storedNumber())
        } catch {
            preconditionFailure("a value the scanner checked no longer reads: \(error)")
        }
    }
}
