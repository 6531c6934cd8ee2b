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

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    typealias Problem = RecordScanner.Problem

    func fail(_ what: String) -> Problem {
        .malformed("\(what) at character \(index + 1)")
    }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D {
            index += 1
        }
    }

    mutating func expect(_ byte: UInt8) throws(Problem) {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    /// Consumes `byte` if it is next.
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
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            if bytes[end] == UInt8(ascii: "\\") { throw fail("unexpected escape in a key") }
            end += 1
        }
        guard end < bytes.count else { throw fail("unterminated string") }
        index = end + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    mutating func string() throws(Problem) -> String {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                index = start
                return try escapedString()
            }
            if byte < 0x20 { throw fail("control character in a string") }
            index += 1
        }
        throw fail("unterminated string")
    }

    private mutating func escapedString() throws(Problem) -> String {
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ scanner: Scanner, _ end: Int) {
            if end > run {
                scalars.append(
                    contentsOf: String(
                        decoding: UnsafeBufferPointer(rebasing: scanner.bytes[run..<end]), as: UTF8.self
                    )
                    .unicodeScalars)
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(self, index)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 { throw fail("control character in a string") }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            flush(self, index)
            index += 1
            guard index < bytes.count else { throw fail("unterminated escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                let high = try hex4()
                if (0xD800..<0xDC00).contains(high) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw fail("incomplete surrogate pair") }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                    scalars.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!)
                } else {
                    guard let scalar = Unicode.Scalar(high) else { throw fail("invalid \\u escape") }
                    scalars.append(scalar)
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
    mutating func skipAnswers() throws(Problem) {
        try members { inner, _ throws(Problem) in
            inner.skipSpace()
            guard inner.index < inner.bytes.count else { throw inner.fail("expected a value") }
            if inner.null() { return }
            if inner.bytes[inner.index] == UInt8(ascii: "\"") {
                try inner.skipValue()
            } else {
                _ = try inner.storedNumber()
            }
        }
    }

    /// Throws unless `bytes` are UTF-8: a line that is not would show as replacement characters
    /// in every report, and an id or a case that is not text cannot be matched.
    func checkUTF8() throws(Problem) {
        var position = 0
        while position < bytes.count, bytes[position] < 0x80 { position += 1 }
        guard position < bytes.count else { return }
        var iterator = UnsafeBufferPointer(rebasing: bytes[position...]).makeIterator()
        var decoder = UTF8()
        var offset = position
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return
            case .error: throw .malformed("invalid UTF-8 at character \(offset + 1); the line is not text")
            }
        }
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

    /// Applies a check of bytes to `text`'s UTF-8.
    static func check(
        _ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws(Problem) -> Void
    ) throws(Problem) {
        var text = text
        let problem = text.withUTF8 { bytes -> Problem? in
            do throws(Problem) {
                try body(bytes)
                return nil
            } catch {
                return error
            }
        }
        if let problem { throw problem }
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

    mutating func optionalString() throws(Problem) -> String? {
        null() ? nil : try string()
    }

    // MARK: The record

    mutating func record() throws(Problem) -> Record {
        var id: String?
        var version: Int?
        var kind: String?
        var writer: String?
        var time: Date?
        var caseID: String?
        var fields = FieldValues()
        var answers: [String: Answer]?
        var scores: [String: Double]?
        var target: String?
        var reason: String?
        var goal: String?
        var action: String?
        var text: String?
        var flag: String?
        var outcome: String?
        var note: String?

        try checkUTF8()
        try members { scanner, key throws(Problem) in
            switch RecordKey(key) {
            case .id: id = try scanner.string()
            case .v: version = try scanner.integer()
            case .kind: kind = try scanner.string()
            case .writer: writer = try scanner.string()
            case .time:
                let raw = try scanner.string()
                guard let parsed = TimeFormat.date(raw) else { throw scanner.fail("bad time \"\(raw)\"") }
                time = parsed
            case .case:
                let text = try scanner.string()
                try Scanner.check(text, Scanner.checkCaseID)
                caseID = text
            case .field(let field):
                switch field.kind {
                case .requiredText: fields.set(field, text: try scanner.string())
                case .optionalText: fields.set(field, text: try scanner.optionalString())
                case .optionalInteger:
                    fields.set(field, integer: scanner.null() ? nil : try scanner.integer())
                case .meetingDate:
                    let text = try scanner.string()
                    try Scanner.check(text, Scanner.checkDate)
                    fields.set(field, text: text)
                }
            case .answers where !scanner.readsAnswers:
                try scanner.skipAnswers()
                answers = [:]
            case .answers:
                var result: [String: Answer] = [:]
                try scanner.members { inner, name throws(Problem) in
                    let key = String(decoding: name, as: UTF8.self)
                    inner.skipSpace()
                    guard inner.index < inner.bytes.count else { throw inner.fail("expected a value") }
                    if inner.null() {
                        result[key] = .skipped
                    } else if inner.bytes[inner.index] == UInt8(ascii: "\"") {
                        result[key] = .text(try inner.string())
                    } else {
                        result[key] = .number(try inner.storedNumber())
                    }
                }
                answers = result
            case .scores:
                var result: [String: Double] = [:]
                try scanner.members { inner, name throws(Problem) in
                    result[String(decoding: name, as: UTF8.self)] = try inner.storedNumber()
                }
                scores = result
            case .target: target = try scanner.string()
            case .reason: reason = try scanner.optionalString()
            case .goal: goal = try scanner.string()
            case .action: action = try scanner.string()
            case .text: text = try scanner.optionalString()
            case .flag: flag = try scanner.string()
            case .outcome: outcome = try scanner.string()
            case .note: note = try scanner.optionalString()
            case .unknown: try scanner.skipValue()
            }
        }
        skipSpace()
        guard index == bytes.count else { throw fail("text after the record") }
        guard let version else { throw Problem.malformed("no schema version \"v\"") }
        if version > Record.currentSchemaVersion { throw Problem.newerVersion(version) }
        guard let id, !id.isEmpty else { throw Problem.malformed("no \"id\"") }
        guard let kind else { throw Problem.malformed("no \"kind\"") }
        guard let writer, let time, let caseID else {
            throw Problem.malformed("missing \"writer\", \"time\" or \"case\"")
        }

        func administration() throws(Problem) -> AdministrationRecord {
            guard let answers, let scores,
                AdministrationField.layout.fields.allSatisfy({ !$0.isRequired || fields.text($0) != nil })
            else { throw Problem.malformed(Scanner.missingFields) }
            return AdministrationRecord(fields: fields, answers: answers, scores: scores)
        }

        let body: RecordBody
        switch kind {
        case "administration":
            body = .administration(try administration())
        case "correction":
            guard let target else { throw Problem.malformed("a correction needs \"target\"") }
            body = .correction(target: target, replacement: try administration())
        case "withdrawal":
            guard let target else { throw Problem.malformed("a withdrawal needs \"target\"") }
            body = .withdrawal(target: target, reason: reason)
        case "goal":
            guard let instrument = fields.text(.instrument), let goal, let action,
                let goalAction = GoalAction(rawValue: action)
            else {
                throw Problem.malformed("a goal needs instrument, goal and action (set, reword or retire)")
            }
            body = .goal(GoalRecord(instrument: instrument, goal: goal, action: goalAction, text: text))
        case "decision":
            guard let flag, let outcome else { throw Problem.malformed("a decision needs flag and outcome") }
            body = .decision(
                DecisionRecord(flag: flag, outcome: outcome, note: note, worker: fields.text(.worker)))
        case "erasure":
            body = .erasure
        default:
            throw Problem.malformed("unknown kind \"\(kind)\"")
        }
        return Record(id: id, schemaVersion: version, writer: writer, time: time, caseID: caseID, body: body)
    }

    /// Why an administration without one of the list's required fields is refused.
    static let missingFields =
        "an administration needs "
        + (AdministrationField.layout.fields.filter(\.isRequired).map { "\($0.key)" } + ["answers"]).joined(
            separator: ", ") + " and scores"
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
