import Support

/// A console that makes a session's text fit the screen: every control character shown visibly
/// (`TerminalText.sanitized`, line breaks kept) and, when a width is known, lines broken between
/// words before the terminal would cut them mid-word.
///
/// A session prints instrument texts from an organisation's own files and goals typed by anyone
/// earlier; none of it may move the cursor, retitle or clear the terminal. The session prints no
/// escape sequences of its own, so everything it writes can be cleaned on the way out. Prompts
/// are written in pieces, so the console keeps the column it has reached; a line that has to be
/// broken continues under its own indentation.
final class ScreenConsole: Console {
    private let base: Console
    private let width: Int?
    /// Characters on the current line so far, and its leading spaces.
    private var column = 0
    private var indent = 0

    init(_ base: Console, width: Int?) {
        self.base = base
        self.width = width
    }

    func readLine() -> String? {
        // The person's Enter ends the line the prompt stood on.
        column = 0
        indent = 0
        return base.readLine()
    }

    func write(_ text: String) { base.write(fitted(TerminalText.sanitized(text, keepingLineBreaks: true))) }
    func writeError(_ text: String) { base.writeError(TerminalText.sanitized(text, keepingLineBreaks: true)) }
    var isInteractive: Bool { base.isInteractive }
    func flush() { base.flush() }

    /// `text` with a line break (and the line's indentation) before each word that would cross the
    /// width; spaces at a break are dropped, a word longer than a line stands alone.
    private func fitted(_ text: String) -> String {
        guard let width, width > 0 else { return text }
        var out = ""
        var word = ""
        var spaces = 0
        func place() {
            guard !word.isEmpty else { return }
            let length = word.count
            if column > indent && column + spaces + length > width {
                out += "\n" + String(repeating: " ", count: indent)
                column = indent
            } else {
                out += String(repeating: " ", count: spaces)
                column += spaces
            }
            out += word
            column += length
            word = ""
            spaces = 0
        }
        for character in text {
            switch character {
            case "\n", "\r\n":
                place()
                out += String(repeating: " ", count: spaces) + String(character)
                (column, indent, spaces) = (0, 0, 0)
            case " ":
                place()
                spaces += 1
            default:
                if column == 0 && word.isEmpty {
                    // The spaces a line starts with are its indentation, kept on its later lines.
                    out += String(repeating: " ", count: spaces)
                    (column, indent, spaces) = (spaces, spaces, 0)
                }
                word.append(character)
            }
        }
        place()
        out += String(repeating: " ", count: spaces)
        column += spaces
        return out
    }
}
