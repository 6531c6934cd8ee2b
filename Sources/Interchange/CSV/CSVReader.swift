/// Reads CSV as RFC 4180 writes it, in either the standard (`,`) or the Danish spreadsheet (`;`)
/// dialect.
package enum CSVReader {
    /// A quote left open at the end of the text.
    package struct UnterminatedQuote: Error, Sendable, Hashable {
        /// The line (from 1) where the quoted field starts.
        package var line: Int
    }

    /// Returns the separator of a file written by `pejling export`: `;` when the header holds one.
    package static func separator(of text: String) -> Character {
        Character(Unicode.Scalar(separator(of: text.utf8)))
    }

    /// Returns the separator of the UTF-8 bytes of a file written by `pejling export`: `;` when the
    /// header (up to the first line end outside quotes) holds more of them than `,` outside quotes,
    /// else `,`. So a column name that holds the other character, quoted or not, does not turn
    /// the whole file into one column.
    package static func separator(of bytes: some Sequence<UInt8>) -> UInt8 {
        var (commas, semicolons, quoted) = (0, 0, false)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: ",") where !quoted: commas += 1
            case UInt8(ascii: ";") where !quoted: semicolons += 1
            case 0x0A where !quoted, 0x0D where !quoted:
                return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
            default: break
            }
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// Returns the rows of `text`, as `Rows` reads them.
    package static func rows(_ text: String, separator: Character) throws(UnterminatedQuote) -> [[String]] {
        precondition(separator.isASCII, "CSV separators are ASCII")
        var rows = Rows(Array(text.utf8), separator: separator.asciiValue!)
        var all: [[String]] = []
        while let row = rows.next() { all.append(row) }
        if let open = rows.unterminatedQuote { throw open }
        return all
    }

    /// The rows of the UTF-8 bytes of a CSV file, each a list of fields, with quotes removed and
    /// `""` read as `"`, one at a time.
    ///
    /// Line ends may be CRLF, LF or CR, inside quotes too; a byte order mark is skipped; rows with
    /// only empty fields (left by spreadsheets at the end) are left out. Quotes, separators and
    /// line ends are ASCII, so a field is cut only between whole characters. A quote still open at
    /// the end is in `unterminatedQuote` once the rows are all read (the text after it is its last
    /// field). Going through the rows again starts from the first.
    package struct Rows: Sequence, IteratorProtocol {
        private let bytes: [UInt8]
        private let separator: UInt8
        private var index: Int
        private var line = 1
        private var field: [UInt8] = []
        private var row: [String] = []
        /// Where a quote that was never closed opened, once the end is reached.
        package private(set) var unterminatedQuote: UnterminatedQuote?

        /// The rows of `bytes`, fields separated by `separator` (ASCII).
        package init(_ bytes: [UInt8], separator: UInt8) {
            self.bytes = bytes
            self.separator = separator
            index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        }

        package mutating func next() -> [String]? {
            let quote = UInt8(ascii: "\"")
            let lineFeed: UInt8 = 0x0A
            let carriageReturn: UInt8 = 0x0D
            var quoted = false
            var quoteLine = line
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if quoted {
                    if byte == quote {
                        if index < bytes.count && bytes[index] == quote {
                            field.append(quote)
                            index += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        if byte == lineFeed { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case quote where field.isEmpty:
                    quoted = true
                    quoteLine = line
                case separator:
                    finishField()
                case lineFeed, carriageReturn:
                    if byte == carriageReturn && index < bytes.count && bytes[index] == lineFeed {
                        index += 1
                    }
                    line += 1
                    if let finished = finishRow() { return finished }
                default:
                    field.append(byte)
                }
            }
            if quoted { unterminatedQuote = UnterminatedQuote(line: quoteLine) }
            guard !field.isEmpty || !row.isEmpty else { return nil }
            return finishRow()
        }

        private mutating func finishField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }

        /// The row read so far, unless all its fields are empty; the next row starts empty.
        private mutating func finishRow() -> [String]? {
            finishField()
            defer { row.removeAll(keepingCapacity: true) }
            return row.contains(where: { !$0.isEmpty }) ? row : nil
        }
    }
}
