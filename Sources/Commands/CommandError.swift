import Foundation

/// The errors a command reports; each becomes a message on standard error and an exit status.
package enum CommandError: Error, Sendable, Equatable {
    /// The command line is wrong; the message is followed by the command's usage.
    case usage(String, command: [String])
    /// The input data is wrong (exit 65).
    case data(String)
    /// Anything else that failed (exit 1).
    case failure(String)

    var status: ExitStatus {
        switch self {
        case .usage: return .usage
        case .data: return .dataError
        case .failure: return .failure
        }
    }
}

extension CommandError: LocalizedError {
    package var errorDescription: String? {
        switch self {
        case .usage(let message, _), .data(let message), .failure(let message): return message
        }
    }
}

extension Error {
    /// The error's description as a clause inside a sentence: without the full stop Foundation's
    /// descriptions end with, so "Cannot read x: … ." never ends in two.
    var clause: String {
        let text = localizedDescription.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
