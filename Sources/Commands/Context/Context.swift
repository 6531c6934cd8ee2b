import Administration
import Foundation
import InstrumentModel
import Progression
import Storage
import Support

/// The resolved global options and the injected facts one command runs with.
final class Context {
    let environment: CommandEnvironment
    let console: Console
    let language: Language
    /// The store folder; the demo points it at a temporary folder.
    var storeDirectory: String
    /// Whether the user named a store (`--store` or `PEJLING_STORE`).
    let storeGiven: Bool
    let instrumentsDirectory: String?
    /// Pure 7-bit output: `--ascii`, or a locale that is not UTF-8.
    let ascii: Bool
    /// ANSI colour: `--color`/`--no-color`, then NO_COLOR, then TERM=dumb, then whether stdout is a terminal.
    let color: Bool
    private var loadedCatalogue: InstrumentCatalogue?
    /// What `keepUntilExit` was given.
    private var kept: [Any] = []

    init(environment: CommandEnvironment, console: Console, globals: ParsedArguments) throws(CommandError) {
        self.environment = environment
        self.console = console
        let variables = environment.variables
        if let today = variables["PEJLING_TODAY"], !today.isEmpty, today.count != 10 || Day(iso: today) == nil
        {
            throw .usage(
                "PEJLING_TODAY is '\(today)', not a date. Write it as YYYY-MM-DD, e.g. 2026-03-14, or unset it.",
                command: [])
        }
        language = Self.language(globals: globals, variables: variables)
        storeDirectory = globals["store"] ?? Self.defaultStore(variables)
        storeGiven = globals["store"] != nil || !(variables["PEJLING_STORE"] ?? "").isEmpty
        instrumentsDirectory =
            globals["instruments"] ?? variables["PEJLING_INSTRUMENTS"].flatMap { $0.isEmpty ? nil : $0 }
        ascii = globals.has("ascii") || !Self.localeIsUTF8(variables)
        if globals.has("no-color") {
            color = false
        } else if globals.has("color") {
            color = true
        } else if let noColor = variables["NO_COLOR"], !noColor.isEmpty {
            // https://no-color.org: any non-empty value turns colour off.
            color = false
        } else if variables["TERM"] == "dumb" {
            color = false
        } else {
            color = environment.stdoutIsTerminal
        }
    }

    /// Keeps `value` alive until the process exits, when it exits right after the command
    /// (see `CommandEnvironment.exitsAfterRun`); otherwise does nothing. For a report's figures:
    /// a million small objects freed one by one take longer than the exit that frees them at once.
    func keepUntilExit(_ value: Any) {
        if environment.exitsAfterRun { kept.append(value) }
    }

    /// Leaves the context, and whatever it was asked to keep, for the process exit to free.
    func abandon() {
        if environment.exitsAfterRun { _ = Unmanaged.passRetained(self) }
    }

    /// The store folder: `PEJLING_STORE`, else `$XDG_DATA_HOME/pejling`, else `~/.local/share/pejling`.
    static func defaultStore(_ variables: [String: String]) -> String {
        if let store = variables["PEJLING_STORE"], !store.isEmpty { return store }
        if let data = variables["XDG_DATA_HOME"], !data.isEmpty { return data + "/pejling" }
        return (variables["HOME"] ?? ".") + "/.local/share/pejling"
    }

    static func localeIsUTF8(_ variables: [String: String]) -> Bool {
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            guard let value = variables[name], !value.isEmpty else { continue }
            let lowered = value.lowercased()
            return lowered.contains("utf-8") || lowered.contains("utf8")
        }
        return false
    }

    /// The language of output: `--lang`, then `LC_ALL`, `LC_CTYPE` or `LANG`, else English.
    static func language(globals: ParsedArguments, variables: [String: String]) -> Language {
        globals["lang"].flatMap(Language.init(argument:)) ?? Language.fromEnvironment(variables) ?? .en
    }

    /// A number as this language writes it: at most `decimals` decimals, a decimal comma in Danish.
    func number(_ value: Double, decimals: Int = 2) -> String {
        Self.number(value, decimals: decimals, in: language)
    }

    /// A number as `language` writes it: what `number(_:decimals:)` gives in a context of that
    /// language, for work done on every core.
    static func number(_ value: Double, decimals: Int = 2, in language: Language) -> String {
        language.decimal(Commands.number(value, decimals: decimals))
    }

    /// What an error says, in this language where the error can say it in Danish too (the store's
    /// and the instruments' errors); other errors as they describe themselves.
    func describe(_ error: any Error) -> String {
        if let error = error as? StorageError { return error.message(danish: language == .da) }
        if let error = error as? InstrumentError { return error.message(language) }
        if let error = error as? FileOutputError { return error.message(danish: language == .da) }
        return error.localizedDescription
    }

    /// Returns `da` or `en`, whichever is the session's language.
    func text(_ da: String, _ en: String) -> String {
        language == .da ? da : en
    }

    /// The instruments: shipped ones plus the organisation's folder, loaded once.
    func catalogue() throws(CommandError) -> InstrumentCatalogue {
        if let loadedCatalogue { return loadedCatalogue }
        do {
            let catalogue = try InstrumentCatalogue.load(organisationDirectory: instrumentsDirectory)
            loadedCatalogue = catalogue
            return catalogue
        } catch {
            throw .data(error.message(language))
        }
    }

    func instrument(_ id: String) throws(CommandError) -> Instrument {
        do {
            return try catalogue().instrument(id)
        } catch let error as InstrumentError {
            throw .usage(error.message(language), command: [])
        } catch {
            throw error as! CommandError
        }
    }

    /// Writes `text` to the file `path` (created 0600, replaced atomically), or to standard output.
    /// - Parameter command: the command, for the usage message when `path` names a folder or a
    ///   file in a folder that does not exist.
    func emit(_ text: String, to path: String?, command: [String] = []) throws(CommandError) {
        try emit(to: path, command: command) { writer throws(FileOutputError) in try writer.write(text) }
    }

    /// Writes what `body` hands the writer to standard output, or to the file at `path` (created
    /// private, replacing an old one only once whole, as `FileOutput` writes), through one
    /// buffered writer: a document that grows with the store is streamed, never held whole.
    func emit(
        to path: String?, command: [String] = [], _ body: (FileWriter) throws(FileOutputError) -> Void
    ) throws(CommandError) {
        guard let path else {
            let console = self.console
            let writer = FileWriter(sendingBytesTo: { console.write(bytes: $0) })
            do {
                try body(writer)
                try writer.flush()
            } catch {
                throw outputError(error, command: command)
            }
            return
        }
        do {
            try FileOutput.write(to: path) { writer in try body(writer) }
        } catch let error as FileOutputError {
            throw outputError(error, command: command)
        } catch {
            preconditionFailure("a writer throws only FileOutputError: \(error)")
        }
    }

    /// Writes a JSON document (`--format json`) to standard output a part at a time, as
    /// `JSONValue.write(to:)` streams it: the same bytes as the whole document rendered at once,
    /// without holding its text whole.
    func emitJSON(_ document: JSONValue, command: [String]) throws(CommandError) {
        try emit(to: nil, command: command) { writer throws(FileOutputError) in
            try document.write(to: writer)
            try writer.write("\n")
        }
    }

    /// Checks, before any work, that `--out` names a file that can be written in a folder that
    /// exists.
    func checkOutput(_ path: String?, command: [String]) throws(CommandError) {
        guard let path else { return }
        do {
            try FileOutput.checkDestination(path)
        } catch {
            throw outputError(error, command: command)
        }
    }

    /// A folder named as an output file, or a file in a folder that does not exist, is a wrong
    /// command line (exit 64); anything else that stops the write is a failure (exit 1).
    private func outputError(_ error: FileOutputError, command: [String]) -> CommandError {
        switch error {
        case .isDirectory, .noFolder, .linkLoop: return .usage(describe(error), command: command)
        case .notPermitted, .failed: return .failure(describe(error))
        }
    }

    /// Who writes: the user on this machine, as `anna@laptop`.
    var writer: String { "\(environment.userName)@\(environment.hostName)" }

    /// The store, for reading and writing.
    func store() -> Store {
        Store(directory: storeDirectory, writer: writer, now: environment.now)
    }

    /// One case as progression sees it, read without answers (no expected bands; see `caseView`).
    func caseIndex(caseID: String) throws(CommandError) -> CaseIndex {
        CaseIndex(try readSummaries(caseID: caseID))
    }

    /// Reads the store, printing any problems found on the way to standard error.
    /// - Throws: `CommandError.failure` when there is no store.
    /// - Parameter answers: whether the command needs the answers (reports need only scores).
    func readStore(answers: Bool = true) throws(CommandError) -> StoreSnapshot {
        do {
            let snapshot = try store().read(answers: answers)
            reportProblems(snapshot.problems)
            return snapshot
        } catch {
            throw .failure(describe(error))
        }
    }

    func reportProblems(_ problems: [StoreProblem]) {
        guard !problems.isEmpty else { return }
        let shown = problems.prefix(5)
        for problem in shown {
            console.writeError(
                text("Advarsel: ", "Warning: ") + problem.message(danish: language == .da) + "\n")
        }
        if problems.count > shown.count {
            console.writeError(
                text(
                    "… og \(problems.count - shown.count) flere; se 'pejling check'.\n",
                    "… and \(problems.count - shown.count) more; see 'pejling check'.\n"))
        }
    }

    /// Records that a command read or changed a case's data (or all cases' when `caseID` is nil).
    func audit(_ command: String, caseID: String?) throws(CommandError) {
        do {
            try store().audit(command: command, caseID: caseID)
        } catch {
            throw .failure(describe(error))
        }
    }

    /// Records in the audit log that a command changed the store, once the change is on disk.
    ///
    /// The change is done and cannot be taken back by failing here, and a user told only that the
    /// command failed would run it again and save the same answers twice. So when the audit line
    /// cannot be written, the error says first what was saved (`done`, both languages), then why
    /// the audit line is missing and what to fix, and that nothing needs doing again (exit 1).
    func auditChange(_ command: String, caseID: String?, done: (da: String, en: String)) throws(CommandError)
    {
        do {
            try store().audit(command: command, caseID: caseID)
        } catch {
            let folder = store().directory + "/audit"
            throw .failure(
                text(
                    "\(done.da) Men linjen i revisionsloggen kunne ikke skrives: \(describe(error)) Kør ikke kommandoen igen: ændringen er gemt. Sørg for at \(folder) er en mappe, du kan skrive i.",
                    "\(done.en) But its line in the audit log could not be written: \(describe(error)) Do not run the command again: the change is on disk. Make sure \(folder) is a folder you may write to."
                ))
        }
    }

    /// The error for a case the store holds nothing about.
    func unknownCase(_ caseID: String) -> CommandError {
        .failure(
            text(
                "Databasen har intet om sagen '\(caseID)'.",
                "The store holds nothing about the case '\(caseID)'."))
    }

    /// The case's history in `index`.
    /// - Throws: `unknownCase` when the store holds nothing about it.
    func history(_ caseID: String, in index: CaseIndex) throws(CommandError) -> CaseHistory {
        guard let history = index.history(of: caseID) else { throw unknownCase(caseID) }
        return history
    }

    /// Today, from the injected clock.
    var today: Day { Day(environment.now()) }

    /// The widths charts and tables are drawn in: narrower leaves no room for a chart's labels,
    /// wider only costs time and memory (a chart is a grid of width × height cells).
    static let widths = 30...400

    /// The chart and table width: `--width`, then `COLUMNS`, then the terminal, else 80.
    ///
    /// `--width` outside `widths` is a usage error; `COLUMNS` and the terminal are facts about
    /// the screen, so they are clamped into `widths` (`COLUMNS=10000000` draws 400 wide).
    func width(option: String?) throws(CommandError) -> Int {
        if let option {
            guard let value = Int(option), Self.widths.contains(value) else {
                let (low, high) = (Self.widths.lowerBound, Self.widths.upperBound)
                throw .usage(
                    text(
                        "Bredden '\(option)' er ikke et tal fra \(low) til \(high).",
                        "The width '\(option)' is not a number from \(low) to \(high)."),
                    command: [])
            }
            return value
        }
        return Self.screenWidth(environment)
    }

    /// The screen's width for text: `COLUMNS`, then the terminal, each clamped to `widths` (they are
    /// facts about the screen, not choices), else 80.
    static func screenWidth(_ environment: CommandEnvironment) -> Int {
        let screen = environment.variables["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        return (screen ?? environment.terminalWidth).map {
            min(max($0, Self.widths.lowerBound), Self.widths.upperBound)
        } ?? 80
    }
}
