/// Returns `text` broken into lines of at most `width` characters at spaces; words longer than
/// the width stand alone. Continuation lines start with `indent`.
func wrap(_ text: String, width: Int, indent: String = "") -> String {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        let candidate = line.isEmpty ? (lines.isEmpty ? "" : indent) + word : line + " " + word
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
