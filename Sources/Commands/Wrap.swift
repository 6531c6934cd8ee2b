/// Returns `text` broken into lines of at most `width` characters at spaces, keeping the text's
/// own leading spaces on the first line; continuation lines start with `indent`. A word longer
/// than the width stands alone.
func wrap(_ text: String, width: Int, indent: String = "") -> String {
    let lead = String(text.prefix { $0 == " " })
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        let start = lines.isEmpty ? lead : indent
        let candidate = line.isEmpty ? start + word : line + " " + word
        if candidate.count > width && !line.isEmpty {
            lines.append(line)
            line = indent + word
        } else {
            line = candidate
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
}
