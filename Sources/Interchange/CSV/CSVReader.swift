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
        let header = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        return header.contains(";") ? ";" : ","
    }

    /// Returns the rows of `text`, each a list of fields, with quotes removed and `""` read as `"`.
    ///
    /// Line ends may be CRLF or LF, inside quotes too; a byte order mark is skipped; rows with
    /// only empty fields (left by spreadsheets at the end) are dropped.
    package static func rows(_ text: String, separator: Character) throws(UnterminatedQuote) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var quoteLine = 1
        var characters = Substring(text)
        if characters.first == "\u{FEFF}" { characters = characters.dropFirst() }
        var iterator = characters.makeIterator()
        var pending: Character? = nil
        func finishRow() {
            row.append(field)
            field = ""
            if row.contains(where: { !$0.isEmpty }) { rows.append(row) }
            row = []
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty:
                quoted = true
                quoteLine = line
            case separator:
                row.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                line += 1
                finishRow()
            default:
                field.append(character)
            }
        }
        if quoted { throw UnterminatedQuote(line: quoteLine) }
        if !field.isEmpty || !row.isEmpty { finishRow() }
        return rows
    }
}
