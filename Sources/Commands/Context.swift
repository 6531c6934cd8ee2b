import Administration
import Foundation
import InstrumentModel

/// The resolved global options and the injected facts one command runs with.
final class Context {
    let environment: CommandEnvironment
    let console: Console
    let language: Language
    let storeDirectory: String
    let instrumentsDirectory: String?
    /// Pure 7-bit output: `--ascii`, or a locale that is not UTF-8.
    let ascii: Bool
    /// ANSI colour: `--color`/`--no-color`, then NO_COLOR, then TERM=dumb, then whether stdout is a terminal.
    let color: Bool
    private var loadedCatalogue: InstrumentCatalogue?

    init(environment: CommandEnvironment, console: Console, globals: ParsedArguments) throws(CommandError) {
        self.environment = environment
        self.console = console
        let variables = environment.variables
        language =
            globals["lang"].flatMap(Language.init(argument:)) ?? Language.fromEnvironment(variables) ?? .en
        storeDirectory = globals["store"] ?? Self.defaultStore(variables)
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
            throw .data(error.description)
        }
    }

    func instrument(_ id: String) throws(CommandError) -> Instrument {
        do {
            return try catalogue().instrument(id)
        } catch let error as InstrumentError {
            throw .usage(error.description, command: [])
        } catch {
            throw error as! CommandError
        }
    }

    /// Writes `text` to the file `path` (created 0600, replaced atomically), or to standard output.
    func emit(_ text: String, to path: String?) throws(CommandError) {
        guard let path else {
            console.write(text)
            return
        }
        do {
            try FileOutput.write(text, to: path)
        } catch {
            throw .failure(
                "Cannot write \(path): \(error.localizedDescription). Check the folder exists and is writable."
            )
        }
    }

    /// The chart and table width: `--width`, then `COLUMNS`, then the terminal, else 80.
    func width(option: String?) throws(CommandError) -> Int {
        if let option {
            guard let value = Int(option), (30...400).contains(value) else {
                throw .usage("The width '\(option)' is not a number from 30 to 400.", command: [])
            }
            return value
        }
        if let columns = environment.variables["COLUMNS"].flatMap(Int.init), columns >= 30 { return columns }
        return environment.terminalWidth.map { max($0, 30) } ?? 80
    }
}
