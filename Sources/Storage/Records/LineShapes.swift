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
struct LineShapes {
    /// The shapes found to be encodings, by a hash of their bytes.
    private var known: [UInt64: [[UInt8]]] = [:]
    /// The shape of the line `isEncoding` looked at last.
    private var shape: [UInt8] = []
    /// Whether that line's values are written as the encoder writes them, and the walk found
    /// nothing it does not take.
    private var written = false
    private var scratch: [UInt8] = []

    /// What stands for a value cut out of a line in its shape: bytes that never stand outside a
    /// string in JSON, so a shape reads one way only.
    private enum Cut: UInt8 {
        case string = 1
        case wholeNumber, number, time
    }

    /// Whether `line` (a record, as `Scanner.scannedRecord()` found it) is its record's encoding,
    /// as far as a shape learnt before tells; false also when it cannot tell.
    mutating func isEncoding(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        written = walk(line)
        guard written else { return false }
        return known[Self.hash(shape)]?.contains(shape) ?? false
    }

    /// Notes the shape of the line `isEncoding` looked at last, which encoding its record showed
    /// to be its encoding.
    mutating func learn() {
        guard written else { return }
        let hash = Self.hash(shape)
        if !(known[hash]?.contains(shape) ?? false) { known[hash, default: []].append(shape) }
    }

    /// Makes `shape` of `line`, and tells whether each of its values is written as the encoder
    /// writes it (false too for what the walk does not take: an escaped key or one holding a
    /// control character, arrays, nesting deeper than the answers and scores, true or false).
    ///
    /// One pass over the bytes, a token at a time: the line is a record the scanner has read, so
    /// a string is a key unless it follows a colon, and every value is a string, a number, null
    /// or (at the top) the answers' or scores' object.
    private mutating func walk(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        shape.removeAll(keepingCapacity: true)
        let (quote, backslash) = (UInt8(ascii: "\""), UInt8(ascii: "\\"))
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
                var end = scanner.plainEnd(from: start + 1)
                var escaped = false
                while end < line.count, line[end] == backslash {
                    escaped = true
                    end = scanner.plainEnd(from: end + 2)
                }
                guard end < line.count, line[end] == quote else { return false }
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
                    guard !escaped,
                        Self.timeIsWritten(
                            UnsafeBufferPointer(rebasing: line[start + 1..<end]), line, start, index, &scratch
                        )
                    else { return false }
                } else {
                    Self.cut(line, start, index, .string, &shape, &copied)
                    guard
                        !escaped
                            || Self.quoteIsWritten(
                                scanner.text(TextSpan(start: start + 1, end: end, escaped: true)), line,
                                start,
                                index, &scratch)
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
                scanner.index = index
                guard let number = try? scanner.number() else { return false }
                let start = index
                index = scanner.index
                value = false
                if depth == 1 {
                    Self.cut(line, start, index, .wholeNumber, &shape, &copied)
                    guard Self.wholeNumberIsWritten(number, line, start, index, &scratch) else {
                        return false
                    }
                } else {
                    Self.cut(line, start, index, .number, &shape, &copied)
                    guard Self.numberIsWritten(number, line, start, index, &scratch) else { return false }
                }
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

    /// Whether a time's text between its quotes is what the encoder writes of the time it reads as.
    private static func timeIsWritten(
        _ text: UnsafeBufferPointer<UInt8>, _ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
        _ scratch: inout [UInt8]
    ) -> Bool {
        guard let time = TimeFormat.date(text) else { return false }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(UInt8(ascii: "\""))
        TimeFormat.append(time, to: &scratch)
        scratch.append(UInt8(ascii: "\""))
        return same(scratch, line, start, end)
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
