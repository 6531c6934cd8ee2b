import Foundation
import Progression
import Support

/// The facts about the process a command may use, passed in as a value so that every command
/// runs the same in a test as in a terminal.
public struct CommandEnvironment: Sendable {
    /// Environment variables.
    public var variables: [String: String]
    /// Whether standard output is a terminal (for colour).
    public var stdoutIsTerminal: Bool
    /// The terminal's width in columns, when there is a terminal.
    public var terminalWidth: Int?
    /// The current time.
    public var now: @Sendable () -> Date
    /// The host name, part of the writer's identity.
    public var hostName: String
    /// Whether the process ends as soon as the command has run (the `pejling` executable).
    /// A report's figures are then left for the exit to free all at once, rather than freed
    /// one object at a time just before it.
    public var exitsAfterRun: Bool

    /// Returns an environment with the given facts; the defaults are those of a test: no
    /// terminal, the real clock, and a process that goes on after the command.
    public init(
        variables: [String: String], stdoutIsTerminal: Bool = false, terminalWidth: Int? = nil,
        now: @escaping @Sendable () -> Date = Date.init,
        hostName: String = "localhost", exitsAfterRun: Bool = false
    ) {
        self.variables = variables
        self.stdoutIsTerminal = stdoutIsTerminal
        self.terminalWidth = terminalWidth
        self.now = now
        self.hostName = hostName
        self.exitsAfterRun = exitsAfterRun
    }

    /// Returns the clock the executable runs with: the real one, or, when `PEJLING_TODAY` holds a
    /// date (`2026-03-14`), that day at the real time of day (UTC). Examples and scripted checks
    /// set it so that "today" (overdue flags, active cases, `ask` without `--date`, `simulate`)
    /// is the same on any day; the time of day still moves, so records keep their order.
    /// A value that is not a date is left for `Context` to refuse.
    public static func clock(_ variables: [String: String]) -> @Sendable () -> Date {
        guard let raw = variables["PEJLING_TODAY"], let day = Day(iso: raw), raw.count == 10 else {
            return Date.init
        }
        let start = day.date.timeIntervalSince1970
        return {
            let seconds = Date().timeIntervalSince1970
            return Date(timeIntervalSince1970: start + seconds.truncatingRemainder(dividingBy: 86_400))
        }
    }

    /// The user's name for the writer identity: `PEJLING_WRITER`, else `USER`/`LOGNAME`.
    package var userName: String {
        for name in ["PEJLING_WRITER", "USER", "LOGNAME"] {
            if let value = variables[name], !value.isEmpty { return value }
        }
        return "unknown"
    }
}
