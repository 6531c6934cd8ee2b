/// A console that answers from a list of lines and records everything, for tests and examples.
public final class ScriptedConsole: Console {
    private var input: [String]
    /// Standard output as written.
    public private(set) var output = ""
    /// Standard error as written.
    public private(set) var errors = ""
    /// Output with each line read shown after its prompt, as a person at a terminal would see it.
    public private(set) var transcript = ""
    /// Whether the console plays a person at a terminal (prompts re-ask) rather than a pipe.
    public let isInteractive: Bool

    /// Returns a console that answers with `input`, one line per read, then reports end of input.
    public init(input: [String] = [], interactive: Bool = true) {
        self.input = input.reversed()
        isInteractive = interactive
    }

    /// Returns the next scripted line, or nil (noted in the transcript) when none is left.
    public func readLine() -> String? {
        guard let line = input.popLast() else {
            transcript += "⟨end of input⟩\n"
            return nil
        }
        transcript += line + "\n"
        return line
    }

    /// Records `text` as standard output.
    public func write(_ text: String) {
        output += text
        transcript += text
    }

    /// Records `text` as standard error.
    public func writeError(_ text: String) {
        errors += text
        transcript += text
    }

    /// The lines not yet read.
    package var remainingInput: [String] { input.reversed() }
}
