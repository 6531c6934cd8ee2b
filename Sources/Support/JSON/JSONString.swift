/// JSON string literals, written the one way every JSON output of Pejling writes them: journals,
/// reports, exports and instrument files.
package enum JSONString {
    /// Appends `text` as a JSON string literal (RFC 8259): `"` and `\` escaped, control characters
    /// as `\n`, `\r`, `\t` or `\u00XX`, everything else as it is.
    ///
    /// Most text needs no escape at all; it is found in one pass over the bytes and appended
    /// whole. Text that does is escaped as bytes, by `quote(_:into:)` of bytes.
    package static func quote(_ text: String, into out: inout String) {
        guard text.utf8.contains(where: needsEscape) else {
            out += "\""
            out += text
            out += "\""
            return
        }
        var bytes: [UInt8] = []
        quote(text, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a string literal writes this byte of its text otherwise than as it is (`"`, `\`
    /// and the control characters); text with none of them is written as it is.
    @inlinable package static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Appends `text` as a JSON string literal, as `quote(_:into:)` writes it, to UTF-8 bytes: the
    /// one escaper. Plain text (nearly all) is looked at and appended in one visit to its bytes;
    /// in other text the runs between the bytes to escape are appended whole. A byte to escape is
    /// never part of a longer UTF-8 sequence, so escaping bytes escapes the characters.
    package static func quote(_ text: String, into bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var start = 0
            for index in utf8.indices where needsEscape(utf8[index]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(utf8[index], into: &bytes)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Appends the escape of a byte `needsEscape` holds for.
    private static func escape(_ byte: UInt8, into bytes: inout [UInt8]) {
        let escaped: UInt8
        switch byte {
        case UInt8(ascii: "\""): escaped = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
        case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
        case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
        case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
        default:
            // Any other control character as four lowercase hexadecimal digits.
            bytes.append(contentsOf: "\\u00".utf8)
            bytes.append(Hex.digit(UInt64(byte >> 4)))
            bytes.append(Hex.digit(UInt64(byte & 0xF)))
            return
        }
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(escaped)
    }
}
