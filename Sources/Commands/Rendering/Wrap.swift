/// Returns `text` broken into lines of at most `width` characters at spaces, keeping the text's
/// own leading spaces on the first line; continuation lines start with `indent`. A word longer
/// than the width stands alone.
func wrap(_ text: String, width: Int, indent: String = "") -> String {
    let lead = String(text.prefix { $0 == " " })
    let (leadWidth, indentWidth) = (lead.count, indent.count)
    // Words are found in the UTF-8 bytes and their characters counted once (ASCII by its bytes),
    // and the lines are put together as bytes: a long report wraps hundreds of thousands of lines.
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + 16)
    var lineWidth = 0
    var lines = 0
    var inLine = false
    var text = text
    text.withUTF8 { bytes in
        var start = 0
        while start < bytes.count {
            guard bytes[start] != UInt8(ascii: " ") else {
                start += 1
                continue
            }
            var end = start
            var ascii = true
            while end < bytes.count && bytes[end] != UInt8(ascii: " ") {
                if bytes[end] >= 0x80 { ascii = false }
                end += 1
            }
            let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let wordWidth = ascii ? word.count : String(decoding: word, as: UTF8.self).count
            if !inLine || lineWidth + 1 + wordWidth > width {
                // A new line: the first after the text's own leading spaces, the rest indented.
                if lines > 0 { out.append(UInt8(ascii: "\n")) }
                out.append(contentsOf: (lines == 0 ? lead : indent).utf8)
                lineWidth = (lines == 0 ? leadWidth : indentWidth) + wordWidth
                lines += 1
                inLine = true
            } else {
                out.append(UInt8(ascii: " "))
                lineWidth += 1 + wordWidth
            }
            out.append(contentsOf: word)
            start = end
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Returns `text` with each of its lines wrapped to `width`, continuation lines indented two more
/// than the line's own leading spaces.
func wrapLines(_ text: String, width: Int) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        let lead = line.prefix { $0 == " " }
        return wrap(String(line), width: width, indent: lead + "  ")
    }.joined(separator: "\n")
}
