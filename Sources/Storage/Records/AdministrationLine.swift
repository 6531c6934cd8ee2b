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

        /// The string whose opening quote stands at `quote` and closing quote just before `end`.
        init(quote: Int, end: Int, escaped: Bool) {
            self.init(start: escaped ? -2 - quote : quote + 1, end: end - 1)
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

    /// A line whose fields stand where a reader found them (`Reader`).
    private init(
        _ line: UnsafeBufferPointer<UInt8>, time: Date, id: Place, caseID: Place,
        texts: InlineArray<8, Place>,
        integers: ScannedIntegers, answers: (start: Int, count: Int), scores: (start: Int, count: Int)
    ) {
        bytes = line
        self.time = time
        self.id = id
        self.caseID = caseID
        self.texts = texts
        self.integers = integers
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
        guard namesInstrument(of: keys) else { return false }
        return namesAnswersAndScores(of: keys, answerStarts: &answerStarts, scoreStarts: &scoreStarts)
    }

    /// Whether its instrument is `keys`', written without escapes (the first half of `names`).
    private func namesInstrument(of keys: ContentKeys) -> Bool {
        let instrument = texts[AdministrationField.instrument.recordTextSlot].span!
        var name = keys.instrument
        return !instrument.escaped
            && name.withUTF8({
                $0.equals(UnsafeBufferPointer(rebasing: bytes[instrument.start..<instrument.end]))
            })
    }

    /// Whether its answers and scores name `keys`' (the second half of `names`).
    private func namesAnswersAndScores(
        of keys: ContentKeys, answerStarts: inout [Int], scoreStarts: inout [Int]
    ) -> Bool {
        keys.fits(
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

    /// The text of the answer or score whose value starts at `start` (from `names`) when it is a
    /// number, else nil: what `value(at:)` reads as `.number`, for a caller that remembers what
    /// it made of a number by its text (`number(_:)` reads it).
    package func numberText(at start: Int) -> UnsafeBufferPointer<UInt8>? {
        Scanner(bytes: bytes).numberEnd(from: start).map { UnsafeBufferPointer(rebasing: bytes[start..<$0]) }
    }

    /// The number `text` (from `numberText(at:)`) as `value(at:)` reads it.
    package static func number(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        var reader = Scanner(bytes: text)
        do throws(RecordScanner.Problem) {
            return try reader.storedNumber()
        } catch {
            preconditionFailure("a value the scanner checked no longer reads: \(error)")
        }
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

extension AdministrationLine {
    /// Reads the lines of administrations and corrections a scan has checked, as
    /// `init(_:checked:)` reads them, a line of a shape met before without walking it.
    ///
    /// A shape is a line with each string and number value cut out (its keys, their order, the
    /// spacing, the nulls and the kind stay). Once a line has been walked, another line of its
    /// shape has its fields where that line had them, shifted by the lengths of the values before:
    /// the walk would meet the same keys in the same order and take the same members. So a line is
    /// first laid over the shapes of lines walked before with the same hint (the bytes between the
    /// cuts compared whole, a string or a number found at each cut), and walked only when none
    /// fits; a line whose walk meets a key no administration has, one met twice, or a value that
    /// is neither a string, a number nor null (outside the answers and scores) makes no shape.
    package struct Reader {
        /// The shapes' bytes, one after another.
        private var templates: [UInt8] = []
        /// Where each shape's values were cut out of its bytes, by shape.
        private var cuts: [Cut] = []
        private var shapes: [Shape] = []
        /// Where the values of the line laid over a shape last stand in it, by cut.
        private var found: [Cut] = []
        private static let mostShapes = 64
        /// How many lines were walked, fitting no shape.
        private(set) var walks = 0

        /// A value cut out of a line: from its first byte (a string's opening quote) to the byte
        /// after it, and whether it is a string with escapes (`text` when a string).
        private struct Cut {
            var start: Int
            var end: Int
            var text: Bool
            var escaped = false
        }

        /// Where a position of a shape's line stands in a line laid over it: `offset` bytes after
        /// the end of its cut number `after` (-1: after the line's start).
        private struct Anchor {
            var after: Int
            var offset: Int
        }

        /// One shape: where its bytes and cuts are, and which cut holds each field.
        private struct Shape {
            var hint: Int
            var bytes: Range<Int>
            var cuts: Range<Int>
            /// The cut of the id, the case and each text field (by slot; -1: none).
            var id = -1
            var caseID = -1
            var texts = InlineArray<8, Int>(repeating: -1)
            /// The cut of each whole-number field, by slot (-1: none).
            var integers = InlineArray<4, Int>(repeating: -1)
            var answers = Anchor(after: -1, offset: 0)
            var answerCount = 0
            var scores = Anchor(after: -1, offset: 0)
            var scoreCount = 0
            /// Whether the answers and scores of its lines name the keys of its hint
            /// (`namesAnswersAndScores`, the same for every line of the shape, as their keys stand
            /// in its bytes), and where their values' starts are in `naming`; nil until asked.
            var naming: (names: Bool, answers: Range<Int>, scores: Range<Int>)?
        }

        /// Where the values of the answers and scores of shapes' lines start, for `Shape.naming`.
        private var naming: [Anchor] = []

        package init() {}

        /// Reads `line`, an administration or a correction a scan has checked already and read
        /// the time `time` of, as `AdministrationLine(_:checked:)` does.
        /// - Parameter hint: a number the caller gives lines that are likely of one shape (the
        ///   scan's number of their keys); any will do, as it only chooses which shapes are tried.
        /// - Throws: when the line is not one, as `RecordScanner.parse` would (or is another kind).
        package mutating func read(_ line: UnsafeBufferPointer<UInt8>, checked time: Date, hint: Int)
            throws(RecordScanner.Problem) -> AdministrationLine
        {
            for number in shapes.indices where shapes[number].hint == hint {
                if let read = try lay(number, over: line, time: time) { return read }
            }
            return try walk(line, checked: time, hint: hint)
        }

        /// Reads `line` by the walk, and notes its shape.
        private mutating func walk(_ line: UnsafeBufferPointer<UInt8>, checked time: Date, hint: Int)
            throws(RecordScanner.Problem) -> AdministrationLine
        {
            let read = try AdministrationLine(line, checked: time)
            walks += 1
            if shapes.count < Self.mostShapes { learn(line, hint: hint) }
            return read
        }

        /// Reads `line` as `read(_:checked:hint:)` does, and tells whether it names `keys` as
        /// `AdministrationLine.names` does, setting `answerStarts` and `scoreStarts` as it does.
        /// - Parameter keys: the keys the scan noted of the line, those numbered `hint`.
        package mutating func read(
            _ line: UnsafeBufferPointer<UInt8>, checked time: Date, hint: Int, naming keys: ContentKeys,
            answerStarts: inout [Int], scoreStarts: inout [Int]
        ) throws(RecordScanner.Problem) -> (line: AdministrationLine, names: Bool) {
            for number in shapes.indices where shapes[number].hint == hint {
                guard let read = try lay(number, over: line, time: time) else { continue }
                guard read.namesInstrument(of: keys) else { return (read, false) }
                // The answers' and scores' keys are the shape's: walked once, for its first line.
                guard let naming = shapes[number].naming else {
                    let names = read.namesAnswersAndScores(
                        of: keys, answerStarts: &answerStarts, scoreStarts: &scoreStarts)
                    let cuts = shapes[number].cuts.count
                    let first = naming.count
                    naming += answerStarts.map { anchor($0, cuts: cuts) }
                    let middle = naming.count
                    naming += scoreStarts.map { anchor($0, cuts: cuts) }
                    shapes[number].naming = (names, first..<middle, middle..<naming.count)
                    return (read, names)
                }
                answerStarts.removeAll(keepingCapacity: true)
                scoreStarts.removeAll(keepingCapacity: true)
                for index in naming.answers { answerStarts.append(position(self.naming[index])) }
                for index in naming.scores { scoreStarts.append(position(self.naming[index])) }
                return (read, naming.names)
            }
            let read = try walk(line, checked: time, hint: hint)
            return (read, read.names(keys, answerStarts: &answerStarts, scoreStarts: &scoreStarts))
        }

        /// Where `position` of the line laid last over a shape of `cuts` cuts stands from them.
        private func anchor(_ position: Int, cuts: Int) -> Anchor {
            var after = -1
            while after + 1 < cuts, found[after + 1].end <= position { after += 1 }
            return Anchor(after: after, offset: position - (after >= 0 ? found[after].end : 0))
        }

        /// Where `anchor` stands in the line laid last over a shape.
        private func position(_ anchor: Anchor) -> Int {
            (anchor.after >= 0 ? found[anchor.after].end : 0) + anchor.offset
        }

        /// The line read by the shape number `number`, or nil when it is not of that shape.
        private mutating func lay(_ number: Int, over line: UnsafeBufferPointer<UInt8>, time: Date)
            throws(RecordScanner.Problem) -> AdministrationLine?
        {
            let shape = shapes[number]
            let count = shape.cuts.count
            if found.count < count {
                found += repeatElement(Cut(start: 0, end: 0, text: false), count: count)
            }
            let fits = templates.withUnsafeBufferPointer { template in
                cuts.withUnsafeBufferPointer { cuts in
                    found.withUnsafeMutableBufferPointer { found in
                        let scanner = Scanner(bytes: line)
                        var at = 0
                        var from = shape.bytes.lowerBound
                        func same(_ length: Int) -> Bool {
                            at + length <= line.count
                                && memcmp(line.baseAddress! + at, template.baseAddress! + from, length) == 0
                        }
                        for index in 0..<count {
                            let cut = cuts[shape.cuts.lowerBound + index]
                            guard same(cut.start - from) else { return false }
                            at += cut.start - from
                            from = cut.end
                            guard at < line.count else { return false }
                            let start = at
                            if cut.text {
                                guard line[at] == UInt8(ascii: "\""),
                                    case let (end, escaped)? = scanner.stringEnd(from: at)
                                else { return false }
                                at = end + 1
                                found[index] = Cut(start: start, end: at, text: true, escaped: escaped)
                            } else {
                                guard let end = scanner.numberEnd(from: at) else { return false }
                                at = end
                                found[index] = Cut(start: start, end: at, text: false)
                            }
                        }
                        return line.count - at == shape.bytes.upperBound - from && same(line.count - at)
                    }
                }
            }
            guard fits else { return nil }
            func place(_ cut: Int) -> Place {
                guard cut >= 0 else { return .none }
                let value = found[cut]
                return Place(quote: value.start, end: value.end, escaped: value.escaped)
            }
            func position(_ anchor: Anchor) -> Int {
                (anchor.after >= 0 ? found[anchor.after].end : 0) + anchor.offset
            }
            var texts = InlineArray<8, Place>(repeating: .none)
            for slot in 0..<8 { texts[slot] = place(shape.texts[slot]) }
            var integers = ScannedIntegers()
            for field in AdministrationField.allCases where !field.isText {
                let cut = shape.integers[field.recordIntegerSlot]
                guard cut >= 0 else { continue }
                var reader = Scanner(bytes: line)
                reader.index = found[cut].start
                integers.set(field, integer: try reader.integer())
            }
            return AdministrationLine(
                line, time: time, id: place(shape.id), caseID: place(shape.caseID), texts: texts,
                integers: integers, answers: (position(shape.answers), shape.answerCount),
                scores: (position(shape.scores), shape.scoreCount))
        }

        /// Notes the shape of `line`, read already, unless its walk meets what makes none.
        private mutating func learn(_ line: UnsafeBufferPointer<UInt8>, hint: Int) {
            var scanner = Scanner(bytes: line)
            // Numbers only skipped, as in a line checked already.
            scanner.checkedTime = Date(timeIntervalSinceReferenceDate: 0)
            var shape = Shape(hint: hint, bytes: 0..<0, cuts: 0..<0)
            var lineCuts: [Cut] = []
            var keys: [RecordKey] = []
            func anchor(_ position: Int) -> Anchor {
                Anchor(after: lineCuts.count - 1, offset: position - (lineCuts.last?.end ?? 0))
            }
            func cutValue(_ scanner: inout Scanner) throws(RecordScanner.Problem) -> Int? {
                scanner.skipSpace()
                guard scanner.index < scanner.bytes.count, !scanner.null() else { return nil }
                let start = scanner.index
                if scanner.bytes[start] == UInt8(ascii: "\"") {
                    _ = try scanner.span()
                    lineCuts.append(Cut(start: start, end: scanner.index, text: true))
                } else {
                    guard scanner.numberEnd(from: start) != nil else {
                        throw .malformed("a value of another kind")
                    }
                    try scanner.passNumber()
                    lineCuts.append(Cut(start: start, end: scanner.index, text: false))
                }
                return lineCuts.count - 1
            }
            do throws(RecordScanner.Problem) {
                try scanner.members { inner, key throws(RecordScanner.Problem) in
                    let recordKey = RecordKey(key)
                    guard recordKey != .unknown, !keys.contains(recordKey) else {
                        throw .malformed("a key no administration has, or one met twice")
                    }
                    keys.append(recordKey)
                    inner.skipSpace()
                    switch recordKey {
                    case .answers, .scores:
                        let start = anchor(inner.index)
                        var count = 0
                        try inner.members { value, _ throws(RecordScanner.Problem) in
                            count += 1
                            _ = try cutValue(&value)
                        }
                        if recordKey == .answers {
                            (shape.answers, shape.answerCount) = (start, count)
                        } else {
                            (shape.scores, shape.scoreCount) = (start, count)
                        }
                    case .kind:
                        // The kind stays in the shape.
                        _ = try inner.span()
                    default:
                        let cut = try cutValue(&inner) ?? -1
                        switch recordKey {
                        case .id: shape.id = cut
                        case .case: shape.caseID = cut
                        case .field(let field) where field.isText: shape.texts[field.recordTextSlot] = cut
                        case .field(let field): shape.integers[field.recordIntegerSlot] = cut
                        default: break
                        }
                    }
                }
            } catch {
                return
            }
            guard keys.contains(.answers), keys.contains(.scores), shape.id >= 0, shape.caseID >= 0 else {
                return
            }
            shape.bytes = templates.count..<templates.count + line.count
            shape.cuts = cuts.count..<cuts.count + lineCuts.count
            let base = templates.count
            templates.append(contentsOf: line)
            cuts += lineCuts.map { Cut(start: base + $0.start, end: base + $0.end, text: $0.text) }
            shapes.append(shape)
        }
    }
}
