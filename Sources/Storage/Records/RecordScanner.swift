import Foundation
import Support

/// Reads journal lines into records with a byte-level scanner: no Foundation decoder on the path
/// that reads a million administrations.
package enum RecordScanner {
    /// Why a line is not a record.
    package enum Problem: Error, Sendable, Hashable {
        /// Not JSON, or not the shape of a record; the text says where.
        case malformed(String)
        /// Written by a newer Pejling (schema version above ours).
        case newerVersion(Int)
    }

    /// Returns the record on `line`.
    package static func parse(_ line: String) throws(Problem) -> Record {
        var line = line
        let result: Result<Record, Problem> = line.withUTF8 { bytes in
            do throws(Problem) {
                return .success(try parse(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Returns the record in `bytes` (one line, without its line break).
    /// - Parameter answers: whether to read the answers; reports that need only scores skip them,
    ///   which saves most of the allocations of a large read.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>, answers: Bool = true) throws(Problem)
        -> Record
    {
        var scanner = Scanner(bytes: bytes)
        scanner.readsAnswers = answers
        return try scanner.record()
    }
}

struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var readsAnswers = true
    /// How deeply `skipValue` has nested; a line of a million `[` must fail, not overflow the stack.
    var depth = 0
    /// The time a scan read of this line, when it has checked the line already (`StoreScan`, whose
    /// open file holds the same bytes): `scannedRecord()` then finds where each field stands
    /// without checking again what only refuses a line (its UTF-8, case id and date, the range of
    /// each answer and score), and takes this time for the line's.
    var checkedTime: Date?

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    typealias Problem = RecordScanner.Problem

    func fail(_ what: String) -> Problem {
        .malformed("\(what) at character \(index + 1)")
    }

    @inline(__always)
    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D {
            index += 1
        }
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Problem) {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        if index < bytes.count, bytes[index] == byte {
            index += 1
            return true
        }
        return false
    }

    /// Walks the members of an object, calling `body` with each key's bytes.
    mutating func members(_ body: (inout Scanner, UnsafeBufferPointer<UInt8>) throws(Problem) -> Void)
        throws(Problem)
    {
        try expect(UInt8(ascii: "{"))
        if take(UInt8(ascii: "}")) { return }
        repeat {
            skipSpace()
            let key = try rawString()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            try body(&self, key)
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// The bytes of a string without escapes (keys), or throws.
    mutating func rawString() throws(Problem) -> UnsafeBufferPointer<UInt8> {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let start = index + 1
        var end = plainEnd(from: start)
        // A key may hold control characters (it is then one no record has).
        while end < bytes.count, bytes[end] < 0x20 { end = plainEnd(from: end + 1) }
        guard end < bytes.count else { throw fail("unterminated string") }
        if bytes[end] == UInt8(ascii: "\\") { throw fail("unexpected escape in a key") }
        index = end + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Reads a string and returns its text.
    mutating func string() throws(Problem) -> String {
        text(try span())
    }

    /// Reads a string, checking it as a whole (every escape, no control character), and returns
    /// where it stands in the line without making its text: `text(_:)` makes it when it is wanted.
    mutating func span() throws(Problem) -> TextSpan {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        index += 1
        let start = index
        index = plainEnd(from: start)
        guard index < bytes.count else { throw fail("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return TextSpan(start: start, end: index - 1, escaped: false)
        }
        if bytes[index] < 0x20 { throw fail("control character in a string") }
        index = start
        var nothing = String.UnicodeScalarView()
        try unescape(building: false, into: &nothing)
        return TextSpan(start: start, end: index - 1, escaped: true)
    }

    /// The text of a string `span()` read from these bytes.
    func text(_ span: TextSpan) -> String {
        guard span.escaped else { return String(decoding: slice(span), as: UTF8.self) }
        var scanner = self
        scanner.index = span.start
        var scalars = String.UnicodeScalarView()
        do throws(Problem) {
            try scanner.unescape(building: true, into: &scalars)
        } catch {
            preconditionFailure("a string span() checked no longer reads: \(error)")
        }
        return String(scalars)
    }

    /// The bytes between a string's quotes (its text itself when it has no escapes).
    func slice(_ span: TextSpan) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
    }

    /// Calls `body` with the UTF-8 of a string's text: its bytes in the line when it has no
    /// escapes, no String made.
    func withText<Result, Failure: Error>(
        _ span: TextSpan, _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard span.escaped else { return try body(slice(span)) }
        var text = text(span)
        let result = text.withUTF8 { bytes -> Swift.Result<Result, Failure> in
            do throws(Failure) {
                return .success(try body(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Where the string whose opening quote stands at `start` ends (its closing quote), and
    /// whether it holds an escape, read past each escape's next byte without decoding it; nil when
    /// the bytes end first. For a line read already, whose strings are known to be whole.
    @inline(__always)
    func stringEnd(from start: Int) -> (end: Int, escaped: Bool)? {
        var end = plainEnd(from: start + 1)
        var escaped = false
        while end < bytes.count, bytes[end] == UInt8(ascii: "\\") {
            escaped = true
            end = plainEnd(from: end + 2)
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        return (end, escaped)
    }

    /// The offset of the first quote, backslash or control character at or after `start`, or
    /// the end of the line: eight bytes at a time, the first such byte of a word found from its
    /// bits rather than byte by byte.
    @inline(__always)
    func plainEnd(from start: Int) -> Int {
        var position = start
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while position + 8 <= bytes.count {
                let word = UInt64(
                    littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                // A byte below 0x20, or one equal to a quote or a backslash, sets its high bit
                // here (the classic "has a zero byte" test). A byte above such a byte may be set
                // too, never one below it: the lowest set bit marks the first (the word is read
                // little-endian, its first byte lowest).
                let quotes = word ^ (ones &* 0x22)
                let backslashes = word ^ (ones &* 0x5C)
                let found =
                    ((word &- ones &* 0x20) | (quotes &- ones) | (backslashes &- ones)) & ~word & highs
                if found != 0 { return position + found.trailingZeroBitCount / 8 }
                position += 8
            }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return position }
            position += 1
        }
        return position
    }

    /// Walks a string that has escapes, from its first byte past its closing quote, checking every
    /// escape; appends its text to `scalars` when `building`.
    private mutating func unescape(building: Bool, into scalars: inout String.UnicodeScalarView)
        throws(Problem)
    {
        var run = index
        func flush(_ scanner: Scanner, _ end: Int, _ scalars: inout String.UnicodeScalarView) {
            if building && end > run {
                scalars.append(
                    contentsOf: String(
                        decoding: UnsafeBufferPointer(rebasing: scanner.bytes[run..<end]), as: UTF8.self
                    )
                    .unicodeScalars)
            }
        }
        func add(_ scalar: Unicode.Scalar, _ scalars: inout String.UnicodeScalarView) {
            if building { scalars.append(scalar) }
        }
        while true {
            index = plainEnd(from: index)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(self, index, &scalars)
                index += 1
                return
            }
            if byte < 0x20 { throw fail("control character in a string") }
            flush(self, index, &scalars)
            index += 1
            guard index < bytes.count else { throw fail("unterminated escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): add("\"", &scalars)
            case UInt8(ascii: "\\"): add("\\", &scalars)
            case UInt8(ascii: "/"): add("/", &scalars)
            case UInt8(ascii: "b"): add("\u{08}", &scalars)
            case UInt8(ascii: "f"): add("\u{0C}", &scalars)
            case UInt8(ascii: "n"): add("\n", &scalars)
            case UInt8(ascii: "r"): add("\r", &scalars)
            case UInt8(ascii: "t"): add("\t", &scalars)
            case UInt8(ascii: "u"):
                let high = try hex4()
                if (0xD800..<0xDC00).contains(high) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw fail("incomplete surrogate pair") }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                    add(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!, &scalars)
                } else {
                    guard let scalar = Unicode.Scalar(high) else { throw fail("invalid \\u escape") }
                    add(scalar, &scalars)
                }
            default:
                throw fail("unknown escape")
            }
            run = index
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(Problem) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("bad hex digit")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    /// Reads a JSON number. Up to 15 significant digits and 22 decimals are computed exactly by one
    /// correctly rounded division (the classic fast path of strtod); anything else goes to `Double(_:)`.
    mutating func number() throws(Problem) -> Double {
        skipSpace()
        let start = index
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawDigit = false
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            sawDigit = true
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                fraction += 1
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit else { throw fail("expected a number") }
        var slow = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            slow = true
            index += 1
            while index < bytes.count, "+-0123456789".utf8.contains(bytes[index]) { index += 1 }
        }
        if !slow && digits <= 15 && fraction <= 22 {
            var value = Double(mantissa)
            if fraction > 0 { value /= Scanner.powersOfTen[fraction] }
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw fail("bad number") }
        return value
    }

    static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Skips any JSON value (for keys from a newer minor version).
    mutating func skipValue() throws(Problem) {
        skipSpace()
        guard index < bytes.count else { throw fail("expected a value") }
        guard depth < JSONLimits.maximumDepth else {
            throw fail("values nested too deeply (more than \(JSONLimits.maximumDepth) levels)")
        }
        depth += 1
        defer { depth -= 1 }
        switch bytes[index] {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"): try members { scanner, _ throws(Problem) in try scanner.skipValue() }
        case UInt8(ascii: "["):
            index += 1
            if take(UInt8(ascii: "]")) { return }
            repeat { try skipValue() } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    mutating func literal(_ word: StaticString) throws(Problem) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("expected \(word)") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("expected \(word)")
        }
        index += count
    }

    /// Whether `null` is next (consumed if so).
    mutating func null() -> Bool {
        skipSpace()
        if index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        {
            index += 4
            return true
        }
        return false
    }

    /// Whether a journal may hold `value`: finite and within `NumberLimits.storedValue`, so every
    /// report can show it and compute with it.
    static func isStorable(_ value: Double) -> Bool {
        value.isFinite && abs(value) <= NumberLimits.storedValue
    }

    /// Reads an answer or a score: a number a journal may hold (see `isStorable(_:)`).
    mutating func storedNumber() throws(Problem) -> Double {
        skipSpace()
        let start = index
        let value = try number()
        guard Scanner.isStorable(value) else {
            // A number of 400 digits is shown by its start.
            let end = min(index, start + 24)
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            throw .malformed(
                "the number \(text)\(end < index ? "…" : "") at character \(start + 1) is out of range: answers and scores lie within ±1e12"
            )
        }
        return value
    }

    /// Skips the answers object, checking it holds only what the full reader accepts: null,
    /// strings and numbers a journal may hold.
    /// - Returns: how many members it has.
    @discardableResult
    mutating func skipAnswers() throws(Problem) -> Int {
        var count = 0
        try members { inner, _ throws(Problem) in
            count += 1
            inner.skipSpace()
            guard inner.index < inner.bytes.count else { throw inner.fail("expected a value") }
            if inner.null() { return }
            if inner.bytes[inner.index] == UInt8(ascii: "\"") {
                try inner.skipValue()
            } else {
                try inner.passNumber()
            }
        }
        return count
    }

    /// Reads past an answer or a score: checked as `storedNumber()` checks it, or, in a line
    /// checked already (`checkedTime`), only skipped.
    @inline(__always)
    mutating func passNumber() throws(Problem) {
        guard checkedTime != nil else {
            _ = try storedNumber()
            return
        }
        skipSpace()
        while index < bytes.count, Self.mayBeInNumber(bytes[index]) { index += 1 }
    }

    /// Where the number whose text starts at `start` ends: at the first byte no number's text
    /// holds, read past without checking (a line read already); nil when no number starts there
    /// (neither a minus sign nor a digit).
    @inline(__always)
    func numberEnd(from start: Int) -> Int? {
        guard start < bytes.count,
            bytes[start] == UInt8(ascii: "-")
                || (bytes[start] >= UInt8(ascii: "0") && bytes[start] <= UInt8(ascii: "9"))
        else { return nil }
        var end = start + 1
        while end < bytes.count, Self.mayBeInNumber(bytes[end]) { end += 1 }
        return end
    }

    /// Whether `byte` may stand in a JSON number's text.
    @inline(__always)
    static func mayBeInNumber(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default: return false
        }
    }

    /// Throws unless `bytes` are UTF-8: a line that is not would show as replacement characters
    /// in every report, and an id or a case that is not text cannot be matched.
    func checkUTF8() throws(Problem) {
        var position = 0
        while true {
            position = asciiEnd(from: position)
            guard position < bytes.count else { return }
            // One scalar at a time from where the plain text stops, then plain text again.
            var iterator = UnsafeBufferPointer(rebasing: bytes[position...]).makeIterator()
            var decoder = UTF8()
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): position += UTF8.width(scalar)
            case .emptyInput: return
            case .error: throw .malformed("invalid UTF-8 at character \(position + 1); the line is not text")
            }
        }
    }

    /// The offset of the first byte at or after `start` that is not ASCII, or the end of the
    /// line: eight bytes at a time.
    private func asciiEnd(from start: Int) -> Int {
        var position = start
        if let base = bytes.baseAddress {
            while position + 8 <= bytes.count,
                UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                position += 8
            }
        }
        while position < bytes.count, bytes[position] < 0x80 { position += 1 }
        return position
    }

    /// Throws unless `text` is a case id `CaseID.validate` accepts (no CPR number, no odd characters).
    static func checkCaseID(_ text: UnsafeBufferPointer<UInt8>) throws(Problem) {
        // Most ids (K-0042) are short, plain and hold too few digits to be a CPR number: no String.
        var digits = 0
        var plain = (1...64).contains(text.count)
        for byte in text where plain {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                break
            default: plain = false
            }
        }
        if plain && digits < 6 { return }
        do throws(StorageError) {
            _ = try CaseID.validate(String(decoding: text, as: UTF8.self))
        } catch {
            // Never repeat what looks like a CPR number in a report.
            if case .invalidCaseID(_, .cpr) = error {
                throw .malformed("the case id looks like a CPR number, which may not be stored")
            }
            throw .malformed("the case id is refused: \(error.errorDescription ?? "not a pseudonym")")
        }
    }

    /// Throws when `text` is written as a date (`YYYY-MM-DD`, perhaps with a time) but is no real
    /// date in the years Pejling handles: 2026-02-30, a month 13, the year 0000. Text that is not
    /// written as a date at all is kept, as before: reports date such a meeting by its recorded time.
    static func checkDate(_ text: UnsafeBufferPointer<UInt8>) throws(Problem) {
        guard text.count >= 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-") else { return }
        for offset in 0..<10 where offset != 4 && offset != 7 {
            guard text[offset] >= UInt8(ascii: "0"), text[offset] <= UInt8(ascii: "9") else { return }
        }
        guard SummaryScanner.day(text) == nil else { return }
        let shown = String(decoding: text.prefix(40), as: UTF8.self)
        throw .malformed(
            "the date \"\(shown)\" is not a real date (YYYY-MM-DD) from \(CalendarLimits.years.lowerBound) to \(CalendarLimits.years.upperBound)"
        )
    }

    /// Reads a number that must be a whole number (a version, an age); never traps on a huge one.
    mutating func integer() throws(Problem) -> Int {
        let value = try number()
        guard value == value.rounded(), abs(value) < 1e15 else { throw fail("expected a whole number") }
        return Int(value)
    }

    // MARK: The record

    /// Reads and checks the line as a record and makes it.
    mutating func record() throws(Problem) -> Record {
        let scanned = try scannedRecord()
        return try record(scanned)
    }

    /// Reads the line as a record and checks everything `record()` checks, keeping where each
    /// string stands rather than making it: what `check` counts needs no more.
    mutating func scannedRecord() throws(Problem) -> ScannedRecord {
        var scanned = ScannedRecord()
        var version: Int?
        var kind: TextSpan?

        if checkedTime == nil { try checkUTF8() }
        try members { scanner, key throws(Problem) in
            switch RecordKey(key) {
            case .id: scanned.id = try scanner.span()
            case .v: version = try scanner.integer()
            case .kind: kind = try scanner.span()
            case .writer: scanned.writer = try scanner.span()
            case .time:
                let span = try scanner.span()
                if let checked = scanner.checkedTime {
                    scanned.time = checked
                    return
                }
                let parsed =
                    span.escaped ? TimeFormat.date(scanner.text(span)) : TimeFormat.date(scanner.slice(span))
                guard let parsed else { throw scanner.fail("bad time \"\(scanner.text(span))\"") }
                scanned.time = parsed
            case .case:
                let span = try scanner.span()
                if scanner.checkedTime == nil { try scanner.withText(span, Scanner.checkCaseID) }
                scanned.caseID = span
            case .field(let field):
                switch field.kind {
                case .requiredText: scanned.texts[field.recordTextSlot] = try scanner.span()
                case .optionalText: scanned.texts[field.recordTextSlot] = try scanner.optionalSpan()
                case .optionalInteger:
                    scanned.integers.set(field, integer: scanner.null() ? nil : try scanner.integer())
                case .meetingDate:
                    let span = try scanner.span()
                    if scanner.checkedTime == nil { try scanner.withText(span, Scanner.checkDate) }
                    scanned.texts[field.recordTextSlot] = span
                }
            case .answers:
                scanner.skipSpace()
                let start = scanner.index
                scanned.answers = (start, try scanner.skipAnswers())
            case .scores:
                scanner.skipSpace()
                let start = scanner.index
                var count = 0
                try scanner.members { inner, _ throws(Problem) in
                    try inner.passNumber()
                    count += 1
                }
                scanned.scores = (start, count)
            case .target: scanned.target = try scanner.span()
            case .reason: scanned.reason = try scanner.optionalSpan()
            case .goal: scanned.goal = try scanner.span()
            case .action: scanned.action = try scanner.span()
            case .text: scanned.text = try scanner.optionalSpan()
            case .flag: scanned.flag = try scanner.span()
            case .outcome: scanned.outcome = try scanner.span()
            case .note: scanned.note = try scanner.optionalSpan()
            case .unknown: try scanner.skipValue()
            }
        }
        skipSpace()
        guard index == bytes.count else { throw fail("text after the record") }
        guard let version else { throw Problem.malformed("no schema version \"v\"") }
        if version > Record.currentSchemaVersion { throw Problem.newerVersion(version) }
        scanned.version = version
        guard let id = scanned.id, id.start < id.end else { throw Problem.malformed("no \"id\"") }
        guard let kind else { throw Problem.malformed("no \"kind\"") }
        guard scanned.writer != nil, scanned.time != nil, scanned.caseID != nil else {
            throw Problem.malformed("missing \"writer\", \"time\" or \"case\"")
        }

        func administration() throws(Problem) {
            var complete = scanned.answers != nil && scanned.scores != nil
            AdministrationField.each { field in
                if field.isRequired && scanned.texts[field.recordTextSlot] == nil { complete = false }
            }
            guard complete else { throw Problem.malformed(Scanner.missingFields) }
        }

        let name = kind.escaped ? text(kind) : nil
        func named(_ word: StaticString) -> Bool {
            guard var name else { return slice(kind).equals(word) }
            return name.withUTF8 { $0.equals(word) }
        }
        if named("administration") {
            try administration()
            scanned.kind = .administration
        } else if named("correction") {
            guard scanned.target != nil else { throw Problem.malformed("a correction needs \"target\"") }
            try administration()
            scanned.kind = .correction
        } else if named("withdrawal") {
            guard scanned.target != nil else { throw Problem.malformed("a withdrawal needs \"target\"") }
            scanned.kind = .withdrawal
        } else if named("goal") {
            guard scanned.texts[AdministrationField.instrument.recordTextSlot] != nil, scanned.goal != nil,
                let action = scanned.action, GoalAction(rawValue: text(action)) != nil
            else {
                throw Problem.malformed("a goal needs instrument, goal and action (set, reword or retire)")
            }
            scanned.kind = .goal
        } else if named("decision") {
            guard scanned.flag != nil, scanned.outcome != nil else {
                throw Problem.malformed("a decision needs flag and outcome")
            }
            scanned.kind = .decision
        } else if named("erasure") {
            scanned.kind = .erasure
        } else {
            throw Problem.malformed("unknown kind \"\(text(kind))\"")
        }
        return scanned
    }

    /// Makes the record `scannedRecord()` read from this line.
    mutating func record(_ scanned: ScannedRecord) throws(Problem) -> Record {
        var fields = FieldValues()
        AdministrationField.each { field in
            if field.isText {
                fields.set(field, text: scanned.texts[field.recordTextSlot].map(text))
            } else {
                fields.set(field, integer: scanned.integers.integer(field))
            }
        }
        func optional(_ span: TextSpan?) -> String? { span.map(text) }

        func administration() throws(Problem) -> AdministrationRecord {
            // Made at its size (`reserveCapacity` on an empty dictionary is not specialized, and
            // looks up generic metadata on every record).
            var answers = [String: Answer](minimumCapacity: readsAnswers ? scanned.answers?.count ?? 0 : 0)
            if readsAnswers, let (start, _) = scanned.answers {
                index = start
                try members { inner, name throws(Problem) in
                    let key = String(decoding: name, as: UTF8.self)
                    inner.skipSpace()
                    if inner.null() {
                        answers[key] = .skipped
                    } else if inner.bytes[inner.index] == UInt8(ascii: "\"") {
                        answers[key] = .text(try inner.string())
                    } else {
                        answers[key] = .number(try inner.storedNumber())
                    }
                }
            }
            var scores = [String: Double](minimumCapacity: scanned.scores?.count ?? 0)
            if let (start, _) = scanned.scores {
                index = start
                try members { inner, name throws(Problem) in
                    scores[String(decoding: name, as: UTF8.self)] = try inner.storedNumber()
                }
            }
            return AdministrationRecord(fields: fields, answers: answers, scores: scores)
        }

        let body: RecordBody
        switch scanned.kind {
        case .administration:
            body = .administration(try administration())
        case .correction:
            body = .correction(target: text(scanned.target!), replacement: try administration())
        case .withdrawal:
            body = .withdrawal(target: text(scanned.target!), reason: optional(scanned.reason))
        case .goal:
            body = .goal(
                GoalRecord(
                    instrument: fields.text(.instrument)!, goal: text(scanned.goal!),
                    action: GoalAction(rawValue: text(scanned.action!))!, text: optional(scanned.text)))
        case .decision:
            body = .decision(
                DecisionRecord(
                    flag: text(scanned.flag!), outcome: text(scanned.outcome!), note: optional(scanned.note),
                    worker: fields.text(.worker)))
        case .erasure:
            body = .erasure
        }
        return Record(
            id: text(scanned.id!), schemaVersion: scanned.version, writer: text(scanned.writer!),
            time: scanned.time!, caseID: text(scanned.caseID!), body: body)
    }

    /// Reads a string or null.
    mutating func optionalSpan() throws(Problem) -> TextSpan? {
        null() ? nil : try span()
    }

    /// Why an administration without one of the list's required fields is refused.
    static let missingFields =
        "an administration needs "
        + (AdministrationField.layout.fields.filter(\.isRequired).map { "\($0.key)" } + ["answers"]).joined(
            separator: ", ") + " and scores"
}

extension AdministrationField {
    /// Calls `body` with every field of the list, in its order, making no array (as `allCases`
    /// and `layout` reached from a loop over every line would).
    @inline(__always)
    fileprivate static func each(_ body: (AdministrationField) -> Void) {
        var raw = 0
        while let field = AdministrationField(rawValue: raw) {
            body(field)
            raw += 1
        }
    }
}

/// A string value's place in a line: the bytes between its quotes, and whether they hold escapes
/// (its text is then decoded from them).
struct TextSpan {
    var start: Int
    var end: Int
    var escaped: Bool
}

/// A line read and checked as a record, each string kept as where it stands in the line: what
/// `Scanner.record(_:)` makes a `Record` of, and all `check` needs to count one.
struct ScannedRecord {
    var id: TextSpan?
    var version = 0
    var kind = RecordKind.erasure
    var writer: TextSpan?
    var time: Date?
    var caseID: TextSpan?
    /// The text fields by their slot among a record's texts (`FieldValues`' room).
    var texts = InlineArray<8, TextSpan?>(repeating: nil)
    /// The whole-number fields.
    var integers = ScannedIntegers()
    /// Where the answers and the scores start in the line, and how many members each has.
    var answers: (start: Int, count: Int)?
    var scores: (start: Int, count: Int)?
    var target: TextSpan?
    var reason: TextSpan?
    var goal: TextSpan?
    var action: TextSpan?
    var text: TextSpan?
    var flag: TextSpan?
    var outcome: TextSpan?
    var note: TextSpan?

    init() {
        precondition(FieldValues.textCapacity <= 8, "a scanned record has room for 8 text fields")
    }
}

/// The whole-number fields of a scanned line, each in its slot of a record's (`FieldValues`):
/// numbers only, so that a `ScannedRecord` holds no reference and is copied as plain bytes.
struct ScannedIntegers {
    private var slots = FieldSlots<0, 4>()

    init() {
        precondition(FieldValues.integerCapacity <= 4, "a scanned record has room for 4 whole numbers")
    }

    func integer(_ field: AdministrationField) -> Int? { slots.integer(at: field.recordIntegerSlot) }

    mutating func set(_ field: AdministrationField, integer: Int?) {
        slots.set(integer: integer, at: field.recordIntegerSlot)
    }
}

extension RecordScanner {
    /// Returns the `case` and `kind` of a line that is a JSON object, whatever its schema version
    /// and other fields, or nil when the line is not a JSON object.
    ///
    /// Erasure and export use it to find a case's lines that `parse` cannot read in full.
    package static func peek(_ bytes: UnsafeBufferPointer<UInt8>) -> (caseID: String?, kind: String?)? {
        var scanner = Scanner(bytes: bytes)
        var caseID: String?
        var kind: String?
        do throws(Problem) {
            try scanner.members { inner, key throws(Problem) in
                if key.equals("case") {
                    caseID = try inner.string()
                } else if key.equals("kind") {
                    kind = try inner.string()
                } else {
                    try inner.skipValue()
                }
            }
        } catch {
            return nil
        }
        return (caseID, kind)
    }
}

/// The keys of a record, matched on bytes: the envelope's and other records' keys, and the
/// administration's fields by `AdministrationField`'s list.
enum RecordKey: Equatable {
    case id, v, kind, writer, time, `case`, answers, scores
    case target, reason, goal, action, text, flag, outcome, note
    case field(AdministrationField)
    case unknown

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let other = Self.other(bytes)
        if case .unknown = other, let field = AdministrationField(key: bytes) {
            self = .field(field)
        } else {
            self = other
        }
    }

    /// The key that is not one of the administration's fields, or `unknown`.
    private static func other(_ bytes: UnsafeBufferPointer<UInt8>) -> RecordKey {
        // By length first, so a key is compared with at most a few names.
        switch bytes.count {
        case 1: return bytes.equals("v") ? .v : .unknown
        case 2: return bytes.equals("id") ? .id : .unknown
        case 4:
            if bytes.equals("kind") { return .kind }
            if bytes.equals("time") { return .time }
            if bytes.equals("case") { return .case }
            if bytes.equals("goal") { return .goal }
            if bytes.equals("text") { return .text }
            if bytes.equals("flag") { return .flag }
            if bytes.equals("note") { return .note }
            return .unknown
        case 6:
            if bytes.equals("writer") { return .writer }
            if bytes.equals("scores") { return .scores }
            if bytes.equals("target") { return .target }
            if bytes.equals("reason") { return .reason }
            if bytes.equals("action") { return .action }
            return .unknown
        case 7:
            if bytes.equals("answers") { return .answers }
            if bytes.equals("outcome") { return .outcome }
            return .unknown
        default: return .unknown
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are `text`'s UTF-8, compared byte by byte (the generic `elementsEqual`
    /// with a `String.UTF8View` costs more than the rest of reading a key).
    @inline(__always)
    func equals(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        let other = text.utf8Start
        for offset in 0..<count where self[offset] != other[offset] { return false }
        return true
    }

    /// Whether these bytes equal `other`'s.
    @inline(__always)
    func equals(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        for offset in 0..<count where self[offset] != other[offset] { return false }
        return true
    }
}
