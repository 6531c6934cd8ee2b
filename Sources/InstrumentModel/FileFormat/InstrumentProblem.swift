import Support

/// One thing wrong in an instrument file, with where it is and how to fix it, in Danish and English.
package struct InstrumentProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file's name as given (a path, or the shipped file's name).
    package var file: String
    /// The JSON path of the value, such as `items[2].text.da`; empty for the whole document.
    package var path: String
    /// Where the value starts in the file, when known.
    package var position: TextPosition?
    /// What is wrong, in each language; JSON keys, values and paths in it are the file's own.
    package var localizedMessage: LocalizedText
    /// The next step, in an imperative sentence, in each language.
    package var localizedFix: LocalizedText

    /// What is wrong, in English.
    package var message: String { localizedMessage[.en] }
    /// The next step, in English.
    package var fix: String { localizedFix[.en] }

    /// Creates a problem worded in each language.
    package init(
        file: String, path: String, position: TextPosition?, message: LocalizedText, fix: LocalizedText
    ) {
        self.file = file
        self.path = path
        self.position = position
        self.localizedMessage = message
        self.localizedFix = fix
    }

    /// Creates a problem worded in English only; Danish output falls back to it.
    package init(file: String, path: String, position: TextPosition?, message: String, fix: String) {
        self.init(
            file: file, path: path, position: position, message: LocalizedText(values: ["en": message]),
            fix: LocalizedText(values: ["en": fix]))
    }

    /// The problem as one English line: `file:line:column: path: message. Fix: …`.
    package var description: String { description(.en) }

    /// Returns the problem as one line in `language`: `file:line:column: path: message. Fix: …`,
    /// in Danish `… Ret: …`.
    package func description(_ language: Language) -> String {
        var place = file
        if let position { place += ":\(position.line):\(position.column)" }
        let at = path.isEmpty ? "" : "\(path): "
        let fixWord = language == .da ? "Ret" : "Fix"
        return "\(place): \(at)\(localizedMessage[language]). \(fixWord): \(localizedFix[language])"
    }
}

/// The errors of the instrument layer.
package enum InstrumentError: Error, Sendable, Hashable {
    /// A file that is not valid JSON or not a valid instrument; every problem found at once.
    case invalid(file: String, problems: [InstrumentProblem])
    /// A file that could not be read.
    case unreadable(file: String, reason: LocalizedText)
    /// The organisation's instrument folder (`--instruments DIR`) cannot be used.
    case unusableFolder(path: String, reason: LocalizedText)
    /// No instrument with that id in the catalogue.
    case unknownInstrument(id: String, known: [String])
    /// Answers that cannot be scored.
    case notScorable(instrument: String, reason: LocalizedText)
}

extension InstrumentError: CustomStringConvertible {
    /// The error in English.
    package var description: String { message(.en) }

    /// Returns the error in `language`, naming the file or instrument and the next step.
    package func message(_ language: Language) -> String {
        let danish = language == .da
        switch self {
        case .invalid(let file, let problems):
            let count =
                danish
                ? (problems.count == 1 ? "1 problem" : "\(problems.count) problemer")
                : (problems.count == 1 ? "1 problem" : "\(problems.count) problems")
            // The organisation's folder names its files in each problem.
            let folder = problems.contains { $0.file != file }
            let header =
                folder
                ? (danish
                    ? "Instrumentmappen \(file) har filer, der ikke er gyldige (\(count)):\n"
                    : "The instrument folder \(file) has files that are not valid (\(count)):\n")
                : danish
                    ? "\(file) er ikke en gyldig instrumentfil (\(count)):\n"
                    : "\(file) is not a valid instrument file (\(count)):\n"
            return header + problems.map { "  \($0.description(language))" }.joined(separator: "\n")
        case .unreadable(let file, let reason):
            return danish
                ? "Instrumentfilen \(file) kan ikke læses: \(reason[.da]). Tjek stien og rettighederne."
                : "Cannot read the instrument file \(file): \(reason[.en]). Check the path and its permissions."
        case .unusableFolder(let path, let reason):
            return danish
                ? "Instrumentmappen \(path) \(reason[.da]). Giv --instruments (eller PEJLING_INSTRUMENTS) en "
                    + "mappe med instrumentfiler (*.json), eller udelad den for at bruge de medfølgende instrumenter."
                : "The instrument folder \(path) \(reason[.en]). Give --instruments (or PEJLING_INSTRUMENTS) a "
                    + "folder of instrument files (*.json), or leave it out to use the shipped instruments."
        case .unknownInstrument(let id, let known):
            return danish
                ? "Der er intet instrument '\(id)'. Kendte instrumenter: \(known.joined(separator: ", ")). "
                    + "Kør 'pejling instruments list' for at se dem."
                : "There is no instrument '\(id)'. Known instruments: \(known.joined(separator: ", ")). "
                    + "Run 'pejling instruments list' to see them."
        case .notScorable(let instrument, let reason):
            return danish
                ? "Svarene på \(instrument) kan ikke give en score: \(reason[.da])."
                : "The answers to \(instrument) cannot be scored: \(reason[.en])."
        }
    }
}

#if canImport(Foundation)
    import Foundation

    extension InstrumentError: LocalizedError {
        package var errorDescription: String? { description }
    }
#endif
