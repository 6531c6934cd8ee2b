import Support

// The libc this module needs: terminal streams and the Ctrl-C trap. No Foundation here, so the
// file compiles cleanly in Swift 6 mode on Linux and macOS.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Facts about the process's terminal.
package enum TerminalFacts {
    /// Whether standard input is a terminal.
    package static var stdinIsTerminal: Bool { isatty(0) == 1 }
    /// Whether standard output is a terminal.
    package static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// The terminal's width in columns, or nil when standard output is no terminal.
    package static var width: Int? {
        var size = winsize()
        #if canImport(Glibc)
            let request = UInt(TIOCGWINSZ)
        #else
            let request = TIOCGWINSZ
        #endif
        guard ioctl(1, request, &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}

/// The console of a real process: standard input, output and error.
///
/// Output is buffered and written with write(2) before each read, before each error line, on
/// `flush()`, and whenever the buffer grows large, so prompts always show before input is read
/// and stdout and stderr keep their order when both go to one terminal.
public final class TerminalConsole: Console {
    /// Whether standard input is a terminal.
    public let isInteractive: Bool
    private var buffer: [UInt8] = []

    /// Returns the console of this process's standard input, output and error.
    public init() {
        isInteractive = TerminalFacts.stdinIsTerminal
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        flush()
    }

    /// Writes out the buffered output (the prompt), then returns the next line of standard input
    /// without its line break (and without a carriage return before it), or nil at its end.
    public func readLine() -> String? {
        flush()
        guard let line = Swift.readLine(strippingNewline: true) else { return nil }
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    /// Buffers `text` for standard output.
    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Buffers `bytes` for standard output, or writes them straight after what is buffered when
    /// they are large (an export's buffers): no text is made of them.
    public func write(bytes: [UInt8]) {
        if bytes.count >= 1 << 16 {
            flush()
            Self.writeAll(1, bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes out the buffered output, then `text` to standard error.
    public func writeError(_ text: String) {
        flush()
        Self.writeAll(2, Array(text.utf8))
    }

    /// Writes the buffered output to standard output.
    public func flush() {
        guard !buffer.isEmpty else { return }
        Self.writeAll(1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        // A closed pipe: nothing more can be said there.
        _ = Support.writeAll(bytes, to: descriptor)
    }
}

/// The message Ctrl-C prints, kept in C memory for the signal handler; set once before a session.
nonisolated(unsafe) private var interruptMessage: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var interruptMessageLength = 0

/// What Ctrl-C does while a session runs.
///
/// A session stores nothing until the respondent confirms, so Ctrl-C may end it at any prompt: it
/// prints one line saying nothing was saved and exits 130, leaving the terminal in line mode as it
/// found it. While a confirmed record is being written, Ctrl-C waits (`protect`), so an
/// acknowledged answer is never cut off half-way.
package enum InterruptTrap {
    /// Installs the handler with the message to print (in the session's language).
    package static func install(message: String) {
        let bytes = Array(message.utf8)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { buffer[index] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
        interruptMessage = buffer
        interruptMessageLength = bytes.count
        signal(SIGINT) { _ in
            if let message = interruptMessage {
                _ = write(2, message, interruptMessageLength)
            }
            _exit(130)
        }
        // A parent may have started us with SIGINT blocked (the mask survives exec); unblock it.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        sigprocmask(SIG_UNBLOCK, &interrupt, nil)
    }

    /// Runs `body` with Ctrl-C held back until it returns.
    package static func protect<T>(_ body: () throws -> T) rethrows -> T {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGINT)
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}
