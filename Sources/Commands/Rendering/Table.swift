import Foundation
import Support

/// Plain text tables for terminal output.
enum Table {
    /// Returns `rows` as left-aligned columns separated by two spaces; the first row is the header.
    /// Columns whose cells are all numbers are right-aligned.
    static func render(_ rows: [[String]]) -> String {
        guard rows.first != nil else { return "" }
        // Cells hold stored text (comments, goals, worker ids): never a control character.
        let rows = rows.map { $0.map { TerminalText.sanitized($0) } }
        let first = rows[0]
        let columns = first.count
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < columns {
                widths[index] = max(widths[index], cell.count)
            }
        }
        let numeric = (0..<columns).map { column in
            rows.dropFirst().allSatisfy { row in
                let cell = row[column]
                return cell.isEmpty || cell == "–" || isNumber(cell[...])
                    || cell.hasPrefix("+") && isNumber(cell.dropFirst())
            } && rows.count > 1
        }
        var text = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                let last = index == row.count - 1
                if numeric[index] {
                    line += pad + cell
                } else {
                    line += last ? cell : cell + pad
                }
                if !last { line += "  " }
            }
            text += line + "\n"
        }
        return text
    }

    /// Whether `cell` reads as a number with a decimal point or a decimal comma.
    static func isNumber(_ cell: Substring) -> Bool {
        // Byte by byte: Foundation's string replacement costs more than the rest of a large table.
        let bytes = cell.utf8.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ".") : $0 }
        return Double(String(decoding: bytes, as: UTF8.self)) != nil
    }
}
