import Foundation
import Support

/// Plain text tables for terminal output.
enum Table {
    /// Returns `rows` as left-aligned columns separated by two spaces; the first row is the header.
    /// Columns whose cells are all numbers are right-aligned.
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let columns = header.count
        // A large table (a row per case) is cleaned, measured and laid out on every core, a
        // stretch of rows per task; the widths and which columns are numeric are settled between.
        let ranges = stretches(of: rows.count, size: stretch)
        let measured = parallelMap(ranges.count) { part in
            // Cells hold stored text (comments, goals, worker ids): never a control character.
            let cleaned = rows[ranges[part]].map { $0.map { TerminalText.sanitized($0) } }
            var widths = Array(repeating: 0, count: columns)
            for row in cleaned {
                for (index, cell) in row.enumerated() where index < columns {
                    widths[index] = max(widths[index], width(cell))
                }
            }
            // The header is no number.
            let body = part == 0 ? cleaned.dropFirst() : cleaned[...]
            let numeric = (0..<columns).map { column in
                body.allSatisfy { row in
                    // A row short of the column (a table no command makes) makes it no number.
                    guard column < row.count else { return false }
                    let cell = row[column]
                    return cell.isEmpty || cell == "–" || isNumber(cell[...])
                        || cell.hasPrefix("+") && isNumber(cell.dropFirst())
                }
            }
            return (cleaned: cleaned, widths: widths, numeric: numeric)
        }
        var widths = Array(repeating: 0, count: columns)
        var numeric = Array(repeating: rows.count > 1, count: columns)
        for part in measured {
            for index in 0..<columns {
                widths[index] = max(widths[index], part.widths[index])
                numeric[index] = numeric[index] && part.numeric[index]
            }
        }
        let (settledWidths, settledNumeric) = (widths, numeric)
        let lines = parallelMap(measured.count) { part in
            // As bytes: each cell's UTF-8 and its padding appended in place.
            var text: [UInt8] = []
            for row in measured[part].cleaned {
                for (index, cell) in row.enumerated() {
                    let pad = settledWidths[index] - width(cell)
                    precondition(pad >= 0, "a cell wider than its column")
                    let last = index == row.count - 1
                    if settledNumeric[index] {
                        text.append(contentsOf: repeatElement(UInt8(ascii: " "), count: pad))
                        text.append(contentsOf: cell.utf8)
                    } else {
                        text.append(contentsOf: cell.utf8)
                        if !last { text.append(contentsOf: repeatElement(UInt8(ascii: " "), count: pad)) }
                    }
                    if !last { text.append(contentsOf: "  ".utf8) }
                }
                text.append(UInt8(ascii: "\n"))
            }
            return String(decoding: text, as: UTF8.self)
        }
        return lines.joined()
    }

    /// How many rows `render` lays out in one task.
    private static let stretch = 2048

    /// How many characters `cell` has: its bytes when each is printable ASCII (a character each),
    /// else its characters counted.
    static func width(_ cell: String) -> Int {
        let bytes = cell.utf8
        return bytes.allSatisfy { (0x20..<0x7F).contains($0) } ? bytes.count : cell.count
    }

    /// Whether `cell` reads as a number with a decimal point or a decimal comma.
    static func isNumber(_ cell: Substring) -> Bool {
        // Without a comma, the text as it is.
        if !cell.utf8.contains(UInt8(ascii: ",")) { return Double(cell) != nil }
        // Byte by byte: Foundation's string replacement costs more than the rest of a large table.
        let bytes = cell.utf8.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ".") : $0 }
        return Double(String(decoding: bytes, as: UTF8.self)) != nil
    }
}
