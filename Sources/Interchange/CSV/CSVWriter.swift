import Foundation
import InstrumentModel
import Support

/// CSV as RFC 4180 writes it, and the Danish spreadsheet variant (`;` between fields, decimal
/// comma), so Danish Excel opens it in the right columns. Every field goes through `CSVField`,
/// which guards it against being run as a spreadsheet formula.
package struct CSVWriter {
    package enum Dialect: Sendable {
        case standard
        case danish
    }

    package let dialect: Dialect

    package init(dialect: Dialect) {
        self.dialect = dialect
    }

    package var separator: Character { dialect == .danish ? ";" : "," }

    /// Returns the rows as CSV text with CRLF line ends, as RFC 4180 specifies.
    package func render(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { CSVField.encoded($0, separator: separator) }.joined(separator: String(separator))
        }.joined(separator: "\r\n") + "\r\n"
    }

    /// Writes one row as CSV, with its CRLF line end, to `writer`: a row of what `render` gives.
    package func write(_ row: [String], to writer: FileWriter) throws(FileOutputError) {
        try writer.write(line(row))
    }

    /// Returns one row as CSV with its CRLF line end: a row of what `render` gives.
    package func line(_ row: [String]) -> String {
        var bytes: [UInt8] = []
        append(row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one row as CSV with its CRLF line end, as UTF-8: the bytes of `line(_:)`.
    package func append(_ row: [String], to bytes: inout [UInt8]) {
        let mark = dialect == .danish ? UInt8(ascii: ";") : UInt8(ascii: ",")
        for (index, field) in row.enumerated() {
            if index > 0 { bytes.append(mark) }
            bytes.append(contentsOf: CSVField.encoded(field, separator: separator).utf8)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// A number in the dialect's form: 19.1, or 19,1 for Danish.
    package func number(_ value: Double?) -> String {
        var bytes: [UInt8] = []
        appendNumber(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 of `number(value)` to `bytes`.
    package func appendNumber(_ value: Double?, to bytes: inout [UInt8]) {
        guard let value else { return }
        // As `JSONValue.numberText` writes a number that is not finite.
        guard value.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        let start = bytes.count
        NumberText.appendShortest(roundTo(value, decimals: 6), to: &bytes)
        if dialect == .danish {
            for index in start..<bytes.count where bytes[index] == UInt8(ascii: ".") {
                bytes[index] = UInt8(ascii: ",")
            }
        }
    }
}
