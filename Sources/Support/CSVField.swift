import Foundation

/// One field of a CSV file, written so that a spreadsheet shows it as it is and reads it back the
/// same.
///
/// Every CSV output of Pejling writes its fields through `encoded(_:separator:)`, and every CSV
/// input reads text fields through `decoded(_:)`, so the rules below hold in one place.
package enum CSVField {
    /// Returns `field` ready to stand between separators: guarded against formulas, then quoted as
    /// RFC 4180 says when it holds a quote, a line break or the separator.
    ///
    /// A spreadsheet runs a field that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
    /// carriage return) as a formula, so a comment such as `=HYPERLINK(…)` typed by anyone would
    /// run on the analyst's machine (OWASP, "CSV injection"). Such a field is written with a
    /// leading `'`, which spreadsheets take as "this is text" and do not show. A field that
    /// already starts with `'` gets one more, so that `decoded(_:)` gives back exactly what was
    /// written. Plain numbers (`-3.5`, `-3,5`, `+2`, `1e-7`) are numbers, not formulas, and stay
    /// as they are.
    package static func encoded(_ field: String, separator: Character) -> String {
        let guarded = self.guarded(field)
        guard needsQuotes(guarded, separator: separator) else { return guarded }
        var out = "\""
        for character in guarded {
            if character == "\"" { out.append("\"") }
            out.append(character)
        }
        return out + "\""
    }

    /// Appends the UTF-8 of `encoded(field, separator:)` to `out`, where `separator` is an ASCII
    /// byte. A field of plain ASCII that needs neither guard nor quotes (nearly every field of an
    /// export) is found in one pass over its bytes and appended as it is.
    package static func append(_ field: String, separator: UInt8, to out: inout [UInt8]) {
        var field = field
        field.withUTF8 { append(utf8: $0, separator: separator, to: &out) }
    }

    /// Appends the UTF-8 of `encoded(field, separator:)` to `out` for the field whose UTF-8 is
    /// `bytes`, as `append(_:separator:to:)` does.
    package static func append(
        utf8 bytes: UnsafeBufferPointer<UInt8>, separator: UInt8, to out: inout [UInt8]
    ) {
        if isPlain(bytes, separator: separator) {
            out.append(contentsOf: bytes)
        } else {
            let field = String(decoding: bytes, as: UTF8.self)
            out.append(contentsOf: encoded(field, separator: Character(Unicode.Scalar(separator))).utf8)
        }
    }

    /// Whether a field of these bytes is plain ASCII that needs neither guard nor quotes.
    private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) -> Bool {
        guard let first = bytes.first else { return true }
        switch first {
        case UInt8(ascii: "'"), UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: "+"),
            UInt8(ascii: "-"),
            0x09, 0x0D:
            return false
        default: break
        }
        // Eight bytes at a time: a byte of 0x80 or more, a quote, the separator or one of 0x0A
        // to 0x0D found from the word's bits (below 0x80, adding 0x76 or 0x72 to a byte carries
        // into no other, and sets its top bit from 0x0A or 0x0E up; a byte equal to `b` is a zero
        // byte of the word xor `b`s, found as borrows only start at one).
        var index = 0
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let high = ones &* 0x80
            let quotes = ones &* UInt64(UInt8(ascii: "\""))
            let separators = ones &* UInt64(separator)
            func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & high != 0 }
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & high != 0 || hasZero(word ^ quotes) || hasZero(word ^ separators)
                    || (word &+ ones &* 0x76) & ~(word &+ ones &* 0x72) & high != 0
                {
                    return false
                }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == separator || (0x0A...0x0D).contains(byte)
            {
                return false
            }
            index += 1
        }
        return true
    }

    /// Whether `field` holds a quote, a line break or the separator. Plain ASCII (nearly every
    /// field of an export) is looked at byte by byte; any other text character by character, so
    /// every line break Unicode knows (U+2028 too) is found.
    package static func needsQuotes(_ field: String, separator: Character) -> Bool {
        if let mark = separator.asciiValue {
            var ascii = true
            for byte in field.utf8 {
                if byte >= 0x80 {
                    ascii = false
                    break
                }
                // A quote, the separator, or \n, \v, \f, \r: every ASCII line break.
                if byte == UInt8(ascii: "\"") || byte == mark || (0x0A...0x0D).contains(byte) { return true }
            }
            if ascii { return false }
        }
        return field.contains { $0 == "\"" || $0.isNewline || $0 == separator }
    }

    /// Returns a text field as it was before `encoded(_:separator:)` guarded it (quotes already
    /// removed by the reader): one leading `'` is dropped.
    package static func decoded(_ field: String) -> String {
        field.hasPrefix("'") ? String(field.dropFirst()) : field
    }

    /// Returns `field` without the spaces around it: what Foundation's `CharacterSet.whitespaces`
    /// holds (the tab and Unicode's space separators) is trimmed from both ends, as spreadsheets
    /// leave padding that is not part of a cell. A field with none at either end, nearly every one,
    /// comes back as it is without a copy.
    package static func trimmed(_ field: String) -> String {
        let scalars = field.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else {
            return field
        }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
            let end = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...end])
    }

    /// Whether `scalar` is in `CharacterSet.whitespaces`: in ASCII only the space and the tab.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || scalar == "\t" : CharacterSet.whitespaces.contains(scalar)
    }

    /// Returns `field` with a leading `'` when a spreadsheet could take it for a formula, or when
    /// it already starts with `'`.
    package static func guarded(_ field: String) -> String {
        guard let first = field.utf8.first else { return field }
        switch first {
        case UInt8(ascii: "'"), UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + field
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return isPlainNumber(field) ? field : "'" + field
        default:
            return field
        }
    }

    /// Whether `field` is a signed decimal number with a point or a comma, and perhaps an
    /// exponent: what Pejling writes for numbers in either dialect.
    static func isPlainNumber(_ field: String) -> Bool {
        var bytes = field.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            bytes = bytes.dropFirst()
        }
        func digits() -> Int {
            let count = bytes.prefix { $0 >= 48 && $0 <= 57 }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        guard digits() > 0 else { return false }
        if let mark = bytes.first, mark == UInt8(ascii: ".") || mark == UInt8(ascii: ",") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                bytes = bytes.dropFirst()
            }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
