import Foundation
import Support

/// Tells whether journal lines are their records' encodings (`Record.appendEncodedLine`) without
/// making and encoding each record: what a JSON Lines export needs to copy a line as it stands.
///
/// A line's shape is the line with each value (a string, or a number) cut out: its keys, their
/// order, the spacing, the nulls and the kind. Two lines of one shape make records of the same
/// structure, whose encodings have the same bytes between their values, each value written by
/// itself (`JSONString.quote`, `NumberText`, `TimeFormat`). So once one line of a shape has been
/// found to be its record's encoding by encoding it (`learn()`), another line of that shape is
/// its record's encoding when each of its values is written as the encoder writes it: a string
/// without escapes always is, an escaped one when quoting its text gives it back, a number when
/// the encoder writes the number it reads as the same digits. Anything else (a new shape, an
/// escaped key, a value the encoder would write otherwise) is left to encoding the record.
///
/// A line is first laid over the shapes learnt of lines with the same hint (the caller's number
/// for what tells shapes apart, such as the kind and the instrument): where the bytes between a
/// shape's cuts are the line's and a value of the cut's kind stands at each cut, walking the line
/// would make that shape, so its values alone are then looked at. Only a line that fits none is
/// walked.
struct LineShapes {
    /// The shapes found to be encodings, by their numbers in `templates`, by a hash of their bytes.
    private var known: [UInt64: [Int]] = [:]
    private var templates: [Template] = []
    /// The templates' shapes, one after another, and their cuts (each where it stands in its
    /// shape), one after another: plain numbers in two arrays, so that laying a shape over a line
    /// counts no reference.
    private var shapeBytes: [UInt8] = []
    private var shapeCuts: [(at: Int, cut: Cut)] = []
    /// The shapes met with each hint, in the order met: the first's place in `hintedShapes` by
    /// hint, then each place's shape number and the next place (-1: none).
    private var firstHinted: [Int: Int] = [:]
    private var lastHinted: [Int: Int] = [:]
    private var hintedShapes: [(number: Int, next: Int)] = []
    /// The hint of the line `isEncoding` looked at last.
    private var hint = 0
    /// The shape of the line `isEncoding` looked at last.
    private var shape: [UInt8] = []
    /// Whether that line's values are written as the encoder writes them, and the walk found
    /// nothing it does not take.
    private var written = false
    /// What the encoder writes of values, remembered.
    private var memo = Memo()

    /// What stands for a value cut out of a line in its shape: bytes that never stand outside a
    /// string in JSON, so a shape reads one way only.
    private enum Cut: UInt8 {
        case string = 1
        case wholeNumber, number, time
    }

    /// Whether `line` (a record, as `Scanner.scannedRecord()` found it, its `time` as the scanner
    /// read it) is its record's encoding, as far as a shape learnt before tells; false also when
    /// it cannot tell.
    /// - Parameter hint: a number the caller gives lines that are likely of one shape; any will
    ///   do, as it only chooses which shapes are laid over the line first.
    mutating func isEncoding(_ line: UnsafeBufferPointer<UInt8>, time: Date, hint: Int = 0) -> Bool {
        self.hint = hint
        written = false
        var place = firstHinted[hint] ?? -1
        while place >= 0 {
            let template = templates[hintedShapes[place].number]
            let fit = shapeBytes.withUnsafeBufferPointer { shapes in
                shapeCuts.withUnsafeBufferPointer { cuts in
                    Self.lay(
                        UnsafeBufferPointer(rebasing: shapes[template.shape]),
                        UnsafeBufferPointer(rebasing: cuts[template.cuts]), over: line, time: time, &memo)
                }
            }
            switch fit {
            case .fits: return true
            case .notWritten: return false
            case .differs: place = hintedShapes[place].next
            }
        }
        written = walk(line, time: time)
        guard written, let number = knownNumber() else { return false }
        noteHinted(number)
        return true
    }

    /// Notes that lines with the hint `hint` were of the shape number `number`.
    private mutating func noteHinted(_ number: Int) {
        let place = hintedShapes.count
        hintedShapes.append((number, -1))
        if let last = lastHinted[hint] {
            hintedShapes[last].next = place
        } else {
            firstHinted[hint] = place
        }
        lastHinted[hint] = place
    }

    /// Notes the shape of the line `isEncoding` looked at last, which encoding its record showed
    /// to be its encoding.
    mutating func learn() {
        guard written, knownNumber() == nil else { return }
        known[Self.hash(shape), default: []].append(templates.count)
        noteHinted(templates.count)
        let cuts = shape.indices.compactMap { at in Cut(rawValue: shape[at]).map { (at, $0) } }
        templates.append(
            Template(
                shape: shapeBytes.count..<shapeBytes.count + shape.count,
                cuts: shapeCuts.count..<shapeCuts.count + cuts.count))
        shapeBytes += shape
        shapeCuts += cuts
    }

    /// The number in `templates` of the shape `walk` made last, if it is known.
    private func knownNumber() -> Int? {
        known[Self.hash(shape)]?.first { shapeBytes[templates[$0].shape].elementsEqual(shape) }
    }

    /// A shape as laid over a line: where its bytes stand in `shapeBytes`, and its cuts in
    /// `shapeCuts`.
    private struct Template {
        let shape: Range<Int>
        let cuts: Range<Int>
    }

    /// How a line lies against a shape.
    private enum Fit {
        /// It is of the shape, each value written as the encoder writes it.
        case fits
        /// It is of the shape (or of none) up to a value the encoder writes otherwise.
        case notWritten
        /// It is not of the shape.
        case differs
    }

    /// Lays a template (`shape`, its `cuts`) over `line`: the bytes between cuts compared, at each cut a value of its
    /// kind found as `walk` finds it and looked at as `walk` looks at it.
    private static func lay(
        _ shape: UnsafeBufferPointer<UInt8>, _ cuts: UnsafeBufferPointer<(at: Int, cut: Cut)>,
        over line: UnsafeBufferPointer<UInt8>, time: Date, _ memo: inout Memo
    ) -> Fit {
        let quote = UInt8(ascii: "\"")
        let scanner = Scanner(bytes: line)
        var at = 0
        var from = 0
        func same(_ count: Int) -> Bool {
            at + count <= line.count
                && memcmp(line.baseAddress! + at, shape.baseAddress! + from, count) == 0
        }
        for (position, cut) in cuts {
            guard same(position - from) else { return .differs }
            at += position - from
            from = position + 1
            switch cut {
            case .string, .time:
                guard at < line.count, line[at] == quote,
                    case let (end, escaped)? = scanner.stringEnd(from: at)
                else { return .differs }
                let start = at
                at = end + 1
                if cut == .time {
                    guard !escaped, memo.timeIsWritten(time, line, start, at) else {
                        return .notWritten
                    }
                } else if escaped {
                    let text = scanner.text(TextSpan(start: start + 1, end: end, escaped: true))
                    guard Self.quoteIsWritten(text, line, start, at, &memo.scratch) else {
                        return .notWritten
                    }
                }
            case .wholeNumber, .number:
                guard let end = scanner.numberEnd(from: at) else { return .differs }
                let start = at
                at = end
                guard memo.numberIsWritten(line, start, at, whole: cut == .wholeNumber) else {
                    return .notWritten
                }
            }
        }
        guard line.count - at == shape.count - from, same(shape.count - from) else { return .differs }
        return .fits
    }

    /// Makes `shape` of `line`, and tells whether each of its values is written as the encoder
    /// writes it (false too for what the walk does not take: an escaped key or one holding a
    /// control character, arrays, nesting deeper than the answers and scores, true or false).
    ///
    /// One pass over the bytes, a token at a time: the line is a record the scanner has read, so
    /// a string is a key unless it follows a colon, and every value is a string, a number, null
    /// or (at the top) the answers' or scores' object.
    private mutating func walk(_ line: UnsafeBufferPointer<UInt8>, time: Date) -> Bool {
        shape.removeAll(keepingCapacity: true)
        let quote = UInt8(ascii: "\"")
        var scanner = Scanner(bytes: line)
        var copied = 0
        var depth = 0
        // Whether the next token is a value (it follows a colon).
        var value = false
        // The last key read at the top.
        var key = 0..<0
        var index = 0
        while index < line.count {
            switch line[index] {
            case quote:
                let start = index
                guard case let (end, escaped)? = scanner.stringEnd(from: start) else { return false }
                index = end + 1
                guard value else {
                    guard !escaped, depth > 0 else { return false }
                    if depth == 1 { key = start + 1..<end }
                    continue
                }
                value = false
                let top = depth == 1
                // The kind decides the structure: it stays in the shape.
                if top && UnsafeBufferPointer(rebasing: line[key]).equals("kind") { continue }
                if top && UnsafeBufferPointer(rebasing: line[key]).equals("time") {
                    Self.cut(line, start, index, .time, &shape, &copied)
                    guard !escaped, memo.timeIsWritten(time, line, start, index) else {
                        return false
                    }
                } else {
                    Self.cut(line, start, index, .string, &shape, &copied)
                    guard
                        !escaped
                            || Self.quoteIsWritten(
                                scanner.text(TextSpan(start: start + 1, end: end, escaped: true)), line,
                                start,
                                index, &memo.scratch)
                    else { return false }
                }
            case UInt8(ascii: ":"):
                guard !value else { return false }
                value = true
                index += 1
            case UInt8(ascii: "{"):
                guard depth == 0 ? !value : depth == 1 && value else { return false }
                depth += 1
                value = false
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: ","):
                guard !value, depth > 0 else { return false }
                if line[index] == UInt8(ascii: "}") { depth -= 1 }
                index += 1
            case 0x20, 0x09, 0x0D:
                index += 1
            case UInt8(ascii: "n"):
                // A null stays in the shape.
                scanner.index = index
                guard value, scanner.null() else { return false }
                value = false
                index += 4
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard value else { return false }
                // The number's text runs to the next byte no number holds; `numberIsWritten` reads
                // it as the scanner does (and says no when the scanner stops before its end).
                let start = index
                guard let end = scanner.numberEnd(from: start) else { return false }
                index = end
                value = false
                let whole = depth == 1
                Self.cut(line, start, index, whole ? .wholeNumber : .number, &shape, &copied)
                guard memo.numberIsWritten(line, start, index, whole: whole) else { return false }
            default:
                return false
            }
        }
        guard depth == 0, !value else { return false }
        shape.append(contentsOf: UnsafeBufferPointer(rebasing: line[copied...]))
        return true
    }

    /// Appends to `shape` the line from `copied` to `start`, then what stands for the value that
    /// ends at `end`.
    private static func cut(
        _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ kind: Cut, _ shape: inout [UInt8],
        _ copied: inout Int
    ) {
        shape.append(contentsOf: UnsafeBufferPointer(rebasing: line[copied..<start]))
        shape.append(kind.rawValue)
        copied = end
    }

    /// Whether `line[start..<end]` is `JSONString.quote(text)`.
    private static func quoteIsWritten(
        _ text: String, _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ scratch: inout [UInt8]
    ) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        JSONString.quote(text, into: &scratch)
        return same(scratch, line, start, end)
    }

    /// What the encoder writes of values, remembered while the lines of a journal go by.
    private struct Memo {
        var scratch: [UInt8] = []
        /// Whether a number's text is written as the encoder writes it, remembered by the text (up
        /// to eight bytes, with the top bit set for a whole number): a journal's answers, scores
        /// and ages are a few hundred texts, met again on nearly every line. A slot holds the
        /// last text that fell in it (0: none).
        var numberTexts = [UInt64](repeating: 0, count: LineShapes.numberSlots)
        var numbersWritten = [Bool](repeating: false, count: LineShapes.numberSlots)

        /// Whether `line[start..<end]` (a time in quotes, `time` as the scanner read it) is what the
        /// encoder writes of that time, compared with what it wrote of the time, remembered by the
        /// time's bits: a journal's lines hold a few thousand times (a day's meetings at a few hours),
        /// met again and again. A slot holds the last time that fell in it (length 0: none).
        mutating func timeIsWritten(
            _ time: Date, _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
        ) -> Bool {
            let bits = time.timeIntervalSinceReferenceDate.bitPattern
            let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 52)
            let length = Int(timeLengths[slot])
            if length == 0 || timeBits[slot] != bits {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(UInt8(ascii: "\""))
                TimeFormat.append(time, to: &scratch)
                scratch.append(UInt8(ascii: "\""))
                guard scratch.count <= LineShapes.timeRoom else {
                    return LineShapes.same(scratch, line, start, end)
                }
                timeBits[slot] = bits
                timeLengths[slot] = UInt8(scratch.count)
                timeTexts.replaceSubrange(
                    slot * LineShapes.timeRoom..<slot * LineShapes.timeRoom + scratch.count, with: scratch)
            }
            return timeTexts.withUnsafeBufferPointer { texts in
                let from = slot * LineShapes.timeRoom
                return UnsafeBufferPointer(rebasing: texts[from..<from + Int(timeLengths[slot])]).equals(
                    UnsafeBufferPointer(rebasing: line[start..<end]))
            }
        }

        private var timeBits = [UInt64](repeating: 0, count: LineShapes.timeSlots)
        /// How many bytes of `timeTexts` a slot holds (0: none).
        private var timeLengths = [UInt8](repeating: 0, count: LineShapes.timeSlots)
        private var timeTexts = [UInt8](repeating: 0, count: LineShapes.timeSlots * LineShapes.timeRoom)

        /// Whether `line[start..<end]` is a number the scanner reads whole and the encoder writes so:
        /// a whole number (`whole`: the schema version, an age) or an answer's or score's. A text of
        /// up to eight bytes is looked at once and its answer remembered.
        mutating func numberIsWritten(
            _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, whole: Bool
        )
            -> Bool
        {
            guard end - start <= 8 else {
                return LineShapes.numberIsWritten(line, start, end, whole: whole, &scratch)
            }
            // The text's bytes, the first lowest; none is 0, so texts of different lengths differ,
            // and none has its top bit set, which tells a whole number.
            var text: UInt64 = whole ? 1 << 63 : 0
            for offset in 0..<end - start { text |= UInt64(line[start + offset]) << (8 * offset) }
            let slot = Int(truncatingIfNeeded: (text &* 0x9E37_79B9_7F4A_7C15) >> 54)
            if numberTexts[slot] == text { return numbersWritten[slot] }
            let written = LineShapes.numberIsWritten(line, start, end, whole: whole, &scratch)
            numberTexts[slot] = text
            numbersWritten[slot] = written
            return written
        }
    }

    private static let numberSlots = 1 << 10
    private static let timeSlots = 1 << 12
    private static let timeRoom = 40

    /// `numberIsWritten(_:_:_:whole:)`, worked out.
    private static func numberIsWritten(
        _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, whole: Bool, _ scratch: inout [UInt8]
    ) -> Bool {
        var scanner = Scanner(bytes: line)
        scanner.index = start
        guard let number = try? scanner.number(), scanner.index == end else { return false }
        return whole
            ? wholeNumberIsWritten(number, line, start, end, &scratch)
            : numberIsWritten(number, line, start, end, &scratch)
    }

    /// Whether `line[start..<end]` is an answer's or score's number as the encoder writes `value`.
    private static func numberIsWritten(
        _ value: Double, _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
        _ scratch: inout [UInt8]
    ) -> Bool {
        guard value.isFinite else { return false }
        scratch.removeAll(keepingCapacity: true)
        NumberText.appendShortest(value, to: &scratch)
        return same(scratch, line, start, end)
    }

    /// Whether `line[start..<end]` is a whole number (the schema version, an age) as the encoder
    /// writes `value`.
    private static func wholeNumberIsWritten(
        _ value: Double, _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
        _ scratch: inout [UInt8]
    ) -> Bool {
        guard value == value.rounded(), abs(value) < 1e15 else { return false }
        scratch.removeAll(keepingCapacity: true)
        NumberText.appendInteger(Int64(value), to: &scratch)
        return same(scratch, line, start, end)
    }

    private static func same(
        _ bytes: [UInt8], _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) -> Bool {
        bytes.withUnsafeBufferPointer { $0.equals(UnsafeBufferPointer(rebasing: line[start..<end])) }
    }

    /// A hash of a shape's bytes, eight at a time (a hit is compared byte for byte).
    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var offset = 0
            while offset + 8 <= raw.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
                hash ^= hash >> 29
                offset += 8
            }
            while offset < raw.count {
                hash = (hash ^ UInt64(raw[offset])) &* 0x100_0000_01b3
                offset += 1
            }
            return hash
        }
    }
}
