/// One thing wrong in an instrument file, with where it is and how to fix it.
public struct InstrumentProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file's name as given (a path, or the shipped file's name).
    public var file: String
    /// The JSON path of the value, such as `items[2].text.da`; empty for the whole document.
    public var path: String
    /// Where the value starts in the file, when known.
    public var position: TextPosition?
    public var message: String
    /// The next step, in an imperative sentence.
    public var fix: String

    public init(file: String, path: String, position: TextPosition?, message: String, fix: String) {
        self.file = file
        self.path = path
        self.position = position
        self.message = message
        self.fix = fix
    }

    /// The problem as one line: `file:line:column: path: message. Fix: …`.
    public var description: String {
        var place = file
        if let position { place += ":\(position.line):\(position.column)" }
        let at = path.isEmpty ? "" : "\(path): "
        return "\(place): \(at)\(message). Fix: \(fix)"
    }
}

/// The errors of the instrument layer.
public enum InstrumentError: Error, Sendable, Hashable {
    /// A file that is not valid JSON or not a valid instrument; every problem found at once.
    case invalid(file: String, problems: [InstrumentProblem])
    /// A file that could not be read.
    case unreadable(file: String, reason: String)
    /// The organisation's instrument folder (`--instruments DIR`) cannot be used.
    case unusableFolder(path: String, reason: String)
    /// No instrument with that id in the catalogue.
    case unknownInstrument(id: String, known: [String])
    /// Answers that cannot be scored.
    case notScorable(instrument: String, reason: String)
}

extension InstrumentError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalid(let file, let problems):
            let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
            return "\(file) is not a valid instrument file (\(count)):\n"
                + problems.map { "  \($0.description)" }.joined(separator: "\n")
        case .unreadable(let file, let reason):
            return "Cannot read the instrument file \(file): \(reason). Check the path and its permissions."
        case .unusableFolder(let path, let reason):
            return "The instrument folder \(path) \(reason). Give --instruments (or PEJLING_INSTRUMENTS) a "
                + "folder of instrument files (*.json), or leave it out to use the shipped instruments."
        case .unknownInstrument(let id, let known):
            return "There is no instrument '\(id)'. Known instruments: \(known.joined(separator: ", ")). "
                + "Run 'pejling instruments list' to see them."
        case .notScorable(let instrument, let reason):
            return "The answers to \(instrument) cannot be scored: \(reason)."
        }
    }
}

#if canImport(Foundation)
    import Foundation

    extension InstrumentError: LocalizedError {
        public var errorDescription: String? { description }
    }
#endif
