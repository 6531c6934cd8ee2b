import Foundation
import InstrumentModel
import Support

/// CSV as RFC 4180 writes it, and the Danish spreadsheet variant (`;` between fields, decimal
/// comma), so Danish Excel opens it in the right columns. Every field goes through `CSVField`,
/// which guards it against being run as a spreadsheet formula.
struct CSV {
    enum Dialect: Sendable {
        case standard
        case danish
    }

    let dialect: Dialect

    var separator: Character { dialect == .danish ? ";" : "," }

    /// Returns the rows as CSV text with CRLF line ends, as RFC 4180 specifies.
    func render(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { CSVField.encoded($0, separator: separator) }.joined(separator: String(separator))
        }.joined(separator: "\r\n") + "\r\n"
    }

    /// A number in the dialect's form: 19.1, or 19,1 for Danish.
    func number(_ value: Double?) -> String {
        guard let value else { return "" }
        let text = JSONValue.numberText(roundTo(value, decimals: 6))
        return dialect == .danish ? Language.da.decimal(text) : text
    }
}
