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
    private mutating func walk(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        // Taken out while the line is walked: closures then touch locals, not `self`.
        var shape = self.shape
        var scratch = self.scratch
        self.shape = []
        defer {
            self.shape = shape
            self.scratch = scratch
        }
        shape.removeAll(keepingCapacity: true)
        var scanner = Scanner(bytes: line)
        var copied = 0
        var same = true
        do throws(RecordScanner.Problem) {
            try scanner.members { top, key throws(RecordScanner.Problem) in
                guard same, Self.plain(key) else {
                    same = false
                    return
                }
                let start = top.index
                guard start < line.count else { throw top.fail("expected a value") }
                switch line[start] {
                case UInt8(ascii: "\""):
                    let span = try top.span()
                    // The kind decides the structure: it stays in the shape.
                    if key.equals("kind") { return }
                    if key.equals("time") {
                        Self.cut(line, start, top.index, .time, &shape, &copied)
                        same =
                            !span.escaped
                            && Self.timeIsWritten(top.slice(span), line, start, top.index, &scratch)
                    } else {
                        Self.cut(line, start, top.index, .string, &shape, &copied)
                        same =
                            !span.escaped
                            || Self.quoteIsWritten(top.text(span), line, start, top.index, &scratch)
                    }
                case UInt8(ascii: "{"):
                    try top.members { inner, key throws(RecordScanner.Problem) in
                        guard same, Self.plain(key) else {
                            same = false
                            return
                        }
                        let start = inner.index
                        guard start < line.count else { throw inner.fail("expected a value") }
                        if inner.null() { return }
                        if line[start] == UInt8(ascii: "\"") {
                            let span = try inner.span()
                            Self.cut(line, start, inner.index, .string, &shape, &copied)
                            same =
                                !span.escaped
                                || Self.quoteIsWritten(inner.text(span), line, start, inner.index, &scratch)
                        } else if line[start] == UInt8(ascii: "-") || Self.isDigit(line[start]) {
                            let value = try inner.number()
                            Self.cut(line, start, inner.index, .number, &shape, &copied)
                            same = Self.numberIsWritten(value, line, start, inner.index, &scratch)
                        } else {
                            same = false
                        }
                    }
                case UInt8(ascii: "n"):
                    // A null stays in the shape.
                    guard top.null() else { throw top.fail("expected a value") }
                case let byte where byte == UInt8(ascii: "-") || Self.isDigit(byte):
                    let value = try top.number()
                    Self.cut(line, start, top.index, .wholeNumber, &shape, &copied)
                    same = Self.wholeNumberIsWritten(value, line, start, top.index, &scratch)
                default:
                    same = false
                }
            }
        } catch {
            return false
        }
        shape.append(contentsOf: UnsafeBufferPointer(rebasing: line[copied...]))
        return same
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

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Whether a key holds no control character (a key's bytes never hold a quote or a backslash).
    private static func plain(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in key where byte < 0x20 { return false }
        return true
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
