import Foundation
import Support

/// Text helpers: width in Unicode scalars, truncation, ASCII transliteration and numbers.
enum ChartText {
    /// The display width the module assumes: one column per Unicode scalar.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.count
    }

    /// Returns `text` cut to `width` scalars, ending in `ellipsis` when anything was cut.
    static func truncate(_ text: String, to width: Int, ellipsis: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > width else { return text }
        let room = width - ellipsis.unicodeScalars.count
        guard room > 0 else { return String(String.UnicodeScalarView(scalars.prefix(max(width, 0)))) }
        return String(String.UnicodeScalarView(scalars.prefix(room))) + ellipsis
    }

    /// Returns `text` in 7-bit ASCII: Danish letters the Danish way (`æ ø å` → `ae oe aa`),
    /// accents dropped, a few symbols spelled out, anything else as `?`.
    static func ascii(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var spelled = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "æ": spelled += "ae"
            case "Æ": spelled += "AE"
            case "ø": spelled += "oe"
            case "Ø": spelled += "OE"
            case "å": spelled += "aa"
            case "Å": spelled += "AA"
            case "±": spelled += "+/-"
            case "–", "—", "−": spelled += "-"
            case "…": spelled += "..."
            case "‘", "’": spelled += "'"
            case "“", "”", "«", "»": spelled += "\""
            default: spelled.unicodeScalars.append(scalar)
            }
        }
        let folded = spelled.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = ""
        for scalar in folded.unicodeScalars {
            result.unicodeScalars.append(scalar.isASCII ? scalar : "?")
        }
        return result
    }

    /// Returns `value` with at most two decimals, no trailing zeros, and the given decimal mark.
    static func number(_ value: Double, decimalSeparator: String) -> String {
        NumberText.rounded(value, decimals: 2, decimalSeparator: decimalSeparator)
    }
}
