import Foundation

/// Plain text tables for terminal output.
enum Table {
    /// Returns `rows` as left-aligned columns separated by two spaces; the first row is the header.
    /// Columns whose cells are all numbers are right-aligned.
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
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
                return cell.isEmpty || cell == "–"
                    || Double(cell.replacingOccurrences(of: ",", with: ".")) != nil
                    || cell.hasPrefix("+")
                        && Double(cell.dropFirst().replacingOccurrences(of: ",", with: ".")) != nil
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
}
