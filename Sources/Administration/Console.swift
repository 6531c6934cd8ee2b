/// Where a session reads answers and writes prompts and results.
///
/// Every prompt goes through one console, so the same session runs in a terminal, from a pipe,
/// or from a script in a test. One console is the only reader of standard input and the only
/// writer of each output stream, which keeps piped output in order.
public protocol Console: AnyObject {
    /// Returns the next line without its line break, or nil at the end of input.
    func readLine() -> String?
    /// Writes to standard output; a prompt is flushed before the next read.
    func write(_ text: String)
    /// Writes UTF-8 to standard output, as `write` writes their text.
    func write(bytes: [UInt8])
    /// Writes to standard error.
    func writeError(_ text: String)
    /// Whether input comes from a person at a terminal (rather than a pipe or a file).
    var isInteractive: Bool { get }
    /// Writes out anything held back; called before the process exits.
    func flush()
}

extension Console {
    /// Does nothing: a console that holds nothing back needs no flushing.
    public func flush() {}

    /// Writes the text of `bytes`.
    public func write(bytes: [UInt8]) {
        write(String(decoding: bytes, as: UTF8.self))
    }

    /// Writes `text` and a line break.
    package func writeLine(_ text: String = "") {
        write(text + "\n")
    }
}
