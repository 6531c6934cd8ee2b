/// How a command ended, as the process's exit status.
///
/// The values follow BSD's sysexits.h, as swift-argument-parser does: scripts can tell a mistake
/// in the command line (64) from bad data (65) from everything else (1).
public enum ExitStatus: Int32, Sendable, Hashable {
    /// The command did what it was asked.
    case success = 0
    /// Something else failed: the store could not be read or written, a file was missing.
    case failure = 1
    /// The command line was wrong (EX_USAGE).
    case usage = 64
    /// The input data was wrong: a malformed file, an invalid answer (EX_DATAERR).
    case dataError = 65
    /// Ctrl-C (128 + SIGINT).
    case interrupted = 130
}
