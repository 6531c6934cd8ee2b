/// JSON string literals, written the one way every JSON output of Pejling writes them: journals,
/// reports, exports and instrument files.
package enum JSONString {
    /// Appends `text` as a JSON string literal (RFC 8259): `"` and `\` escaped, control characters
    /// as `\n`, `\r`, `\t` or `\u00XX`, everything else as it is.
    ///
    /// Most text needs no escape at all; it is found in one pass over the bytes and appended
    /// whole, rather than one scalar at a time.
    package static func quote(_ text: String, into out: inout String) {
        out += "\""
        if !text.utf8.contains(where: needsEscape) {
            out += text
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case let control where control.value < 0x20:
                    let hex = String(control.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Whether a string literal writes this byte of its text otherwise than as it is (`"`, `\`
    /// and the control characters); text with none of them is written as it is.
    @inlinable package static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Appends `text` as a JSON string literal, as `quote(_:into:)` writes it, to UTF-8 bytes.
    package static func quote(_ text: String, into bytes: inout [UInt8]) {
        var text = text
        // Plain text (nearly all) is looked at and appended in one visit to its bytes.
        let plain = text.withUTF8 { utf8 in
            guard !utf8.contains(where: needsEscape) else { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        guard !plain else { return }
        var out = ""
        quote(text, into: &out)
        bytes.append(contentsOf: out.utf8)
    }
}
