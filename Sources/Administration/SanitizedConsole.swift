import Support

/// A console that passes everything written through `TerminalText.sanitized`, keeping line breaks.
///
/// A session prints instrument texts from an organisation's own files and goals typed by anyone
/// earlier; none of it may move the cursor, retitle or clear the terminal. The session prints no
/// escape sequences of its own, so everything it writes can be cleaned on the way out.
final class SanitizedConsole: Console {
    private let base: Console

    init(_ base: Console) { self.base = base }

    func readLine() -> String? { base.readLine() }
    func write(_ text: String) { base.write(TerminalText.sanitized(text, keepingLineBreaks: true)) }
    func writeError(_ text: String) { base.writeError(TerminalText.sanitized(text, keepingLineBreaks: true)) }
    var isInteractive: Bool { base.isInteractive }
    func flush() { base.flush() }
}
