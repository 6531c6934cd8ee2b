/// Makes stored text safe to print on a terminal.
///
/// Comments, goals, worker names and instrument texts come from people and files Pejling does not
/// control. Printed raw, an escape sequence in one of them could retitle, clear or rewrite a
/// colleague's terminal, and a bidirectional override could make a line read differently from
/// what it holds. Every renderer of text output passes such text through `sanitized(_:)`: control
/// characters are shown visibly and never emitted.
package enum TerminalText {
    /// Returns `text` with every control character shown visibly.
    ///
    /// C0 controls and DEL are shown in caret notation (`ESC` as `^[`, BEL as `^G`, DEL as `^?`),
    /// which any terminal user can read and which survives 7-bit output; C1 controls (U+0080 to
    /// U+009F) and the bidirectional embedding, override and isolate characters (U+202A to U+202E,
    /// U+2066 to U+2069) as `<U+XXXX>`. A tab becomes a space, so tables keep their columns.
    /// - Parameter keepingLineBreaks: whether `\n` passes through (multi-line texts such as
    ///   instrument help); otherwise it is shown as `^J`, so a one-line field stays one line.
    package static func sanitized(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard needsSanitizing(text, keepingLineBreaks: keepingLineBreaks) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let value = scalar.value
            if keepingLineBreaks && isLineBreak(scalars, at: index) {
                out.append(scalar)
            } else if value == 0x09 {
                out.append(" ")
            } else if value < 0x20 {
                out.append("^")
                out.append(Unicode.Scalar(UInt8(value + 0x40)))
            } else if value == 0x7F {
                out.append(contentsOf: "^?".unicodeScalars)
            } else if isHidden(value) {
                out.append(contentsOf: visible(value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `text` as a message quotes it: sanitized, and cut after `limit` characters with "…" when
    /// longer, so a value given by mistake (a whole file in one cell or one answer) cannot bury
    /// the message it stands in.
    package static func excerpt(_ text: String, limit: Int = 40) -> String {
        guard text.count > limit else { return sanitized(text) }
        return sanitized(String(text.prefix(limit))) + "…"
    }

    /// Whether `text` holds anything `sanitized(_:)` would change; most texts do not, and then
    /// nothing is copied.
    package static func needsSanitizing(_ text: String, keepingLineBreaks: Bool = false) -> Bool {
        for byte in text.utf8 where byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 {
            if (byte == 0x0A || byte == 0x0D) && keepingLineBreaks {
                // Line breaks pass; a carriage return only as part of CRLF.
                let scalars = Array(text.unicodeScalars)
                return scalars.indices.contains { index in
                    let value = scalars[index].value
                    return (value < 0x20 && !(keepingLineBreaks && isLineBreak(scalars, at: index)))
                        || value == 0x7F || isHidden(value)
                }
            }
            if byte < 0x20 || byte == 0x7F { return true }
            // A multi-byte lead byte: only some of its characters are hidden ones.
            return text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || isHidden($0.value) }
        }
        return false
    }

    /// Whether the scalar at `index` is `\n`, or the `\r` of a `\r\n`: a line break, where a lone
    /// carriage return would go back over the line and hide what stands on it.
    private static func isLineBreak(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        let value = scalars[index].value
        return value == 0x0A
            || (value == 0x0D && index + 1 < scalars.count && scalars[index + 1].value == 0x0A)
    }

    private static func isHidden(_ value: UInt32) -> Bool {
        (0x80...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    private static func visible(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ">"
    }
}
