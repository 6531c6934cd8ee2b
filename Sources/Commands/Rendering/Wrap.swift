/// Returns `text` broken into lines of at most `width` characters at spaces, keeping the text's
/// own leading spaces on the first line; continuation lines start with `indent`. A word longer
/// than the width stands alone.
func wrap(_ text: String, width: Int, indent: String = "") -> String {
    let lead = String(text.prefix { $0 == " " })
    let indentWidth = indent.count
    var out = ""
    var line = ""
    // Words are found in the UTF-8 bytes and their characters counted once (ASCII by its bytes):
    // a long report wraps hundreds of thousands of lines.
    var lineWidth = 0
    var first = true
    for bytes in text.utf8.split(separator: UInt8(ascii: " ")) {
        let word = Substring(bytes)
        let wordWidth = bytes.allSatisfy { $0 < 0x80 } ? bytes.count : word.count
        if line.isEmpty {
            line = (first ? lead : indent) + word
            lineWidth = (first ? lead.count : indentWidth) + wordWidth
        } else if lineWidth + 1 + wordWidth > width {
            out += (first ? "" : "\n") + line
            first = false
            line = indent + word
            lineWidth = indentWidth + wordWidth
        } else {
            line += " " + word
            lineWidth += 1 + wordWidth
        }
    }
    if !line.isEmpty { out += (first ? "" : "\n") + line }
    return out
}

/// Returns `text` with each of its lines wrapped to `width`, continuation lines indented two more
/// than the line's own leading spaces.
func wrapLines(_ text: String, width: Int) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        let lead = line.prefix { $0 == " " }
        return wrap(String(line), width: width, indent: lead + "  ")
    }.joined(separator: "\n")
}
