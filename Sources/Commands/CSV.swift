import Foundation
import InstrumentModel

/// CSV as RFC 4180 writes it, and the Danish spreadsheet variant (`;` between fields, decimal
/// comma), so Danish Excel opens it in the right columns.
struct CSV {
    enum Dialect: Sendable {
        case standard
        case danish
    }

    let dialect: Dialect

    var separator: String { dialect == .danish ? ";" : "," }

    /// Returns the rows as CSV text with CRLF line ends, as RFC 4180 specifies.
    func render(_ rows: [[String]]) -> String {
        rows.map { row in row.map(quote).joined(separator: separator) }.joined(separator: "\r\n") + "\r\n"
    }

    /// A number in the dialect's form: 19.1, or 19,1 for Danish.
    func number(_ value: Double?) -> String {
        guard let value else { return "" }
        let text = JSONValue.numberText(roundTo(value, decimals: 6))
        return dialect == .danish ? Language.da.decimal(text) : text
    }

    func quote(_ field: String) -> String {
        let needs = field.contains { $0 == "\"" || $0.isNewline || String($0) == separator }
        return needs ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
