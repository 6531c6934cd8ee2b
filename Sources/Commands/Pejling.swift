import Administration
import Foundation
import InstrumentModel
import Support

/// The `pejling` command line as a library: arguments and environment in, output and an exit
/// status out. The executable is a thin wrapper around `Pejling.run`.
public enum Pejling {
    /// The version printed by `pejling --version`.
    public static let version = "0.1.0"

    static let globalOptions: [OptionSpec] = [
        .value(
            "store", "DIR",
            HelpText(
                da:
                    "Databasens mappe (env PEJLING_STORE; standard\n$XDG_DATA_HOME/pejling eller ~/.local/share/pejling).",
                en:
                    "The store folder (env PEJLING_STORE; default\n$XDG_DATA_HOME/pejling or ~/.local/share/pejling)."
            )),
        .value(
            "instruments", "DIR",
            HelpText(
                da:
                    "En organisations egne instrumentfiler (env PEJLING_INSTRUMENTS);\nde lægges til og erstatter de medfølgende med samme id.",
                en:
                    "An organisation's own instrument files (env PEJLING_INSTRUMENTS);\nthey add to and replace the shipped ones by id."
            )),
        .value(
            "lang", "LANG", choices: ["da", "en"],
            HelpText(
                da: "Sproget i spørgsmål og output (standard efter LANG, ellers en).",
                en: "Language of prompts and output (default from LANG, else en).")),
        .flag(
            "ascii",
            HelpText(
                da: "Tegn kun med 7-bit ASCII (sker af sig selv, når sprogindstillingen ikke er UTF-8).",
                en: "Draw with 7-bit ASCII only (automatic when the locale is not UTF-8).")),
        .flag(
            "no-color",
            HelpText(
                da: "Brug aldrig farver (også NO_COLOR, TERM=dumb).",
                en: "Never use colour (also NO_COLOR, TERM=dumb).")),
        .flag(
            "color",
            HelpText(
                da: "Brug farver, også når output ikke går til en terminal.",
                en: "Use colour even when output is not a terminal.")),
    ]

    typealias Handler = @Sendable (Context, ParsedArguments) throws(CommandError) -> Void

    struct Command: Sendable {
        var spec: CommandSpec
        var handler: Handler
    }

    static let commands: [Command] =
        [
            DemoCommands.commands[1], AskCommand.command, HistoryCommand.command, WithdrawCommand.command,
            ChartCommand.command,
        ] + FlagsCommand.commands + [OutcomesCommand.command, TeamCommand.command]
        + InstrumentsCommand.commands
        + CaseDataCommands.commands + [ImportCommand.command, DemoCommands.commands[0]]

    /// A message as it may go to a terminal: messages quote what was given (a case id, an answer,
    /// a file's line), which may hold anything.
    static func shown(_ message: String) -> String {
        TerminalText.sanitized(message, keepingLineBreaks: true)
    }

    /// Runs the command line `arguments` (without the program name).
    ///
    /// Output, prompts and error messages go to `console`; nothing is printed elsewhere. Usage
    /// errors are reported as swift-argument-parser reports them (`Error:`, `Usage:`, a hint).
    /// - Parameters:
    ///   - arguments: the arguments after the program name, such as `["team", "--format", "json"]`.
    ///   - environment: the process's facts: environment variables, terminal, clock, host name.
    ///   - console: where input is read and output written.
    /// - Returns: the exit status, as sysexits.h defines it (``ExitStatus``).
    public static func run(_ arguments: [String], environment: CommandEnvironment, console: Console)
        -> ExitStatus
    {
        var status = ExitStatus.success
        var commandPath: [String] = []
        // Until the global options are read, the environment's language speaks for the errors.
        var language = Language.fromEnvironment(environment.variables) ?? .en
        func t(_ da: String, _ en: String) -> String { language == .da ? da : en }
        do {
            let (globals, rest) = try splitGlobalOptions(arguments)
            language = Context.language(globals: globals, variables: environment.variables)
            if globals.has("version") {
                console.writeLine(version)
                return .success
            }
            if let status = try runTool(globals, rest: rest, environment: environment, console: console) {
                return status
            }
            guard let command = findCommand(rest) else {
                let words = rest.prefix { !$0.hasPrefix("-") }
                if globals.help || rest.isEmpty || rest == ["help"] {
                    console.write(mainHelp(language, width: Context.screenWidth(environment)))
                    return .success
                }
                let group = commands.filter { $0.spec.path.first == words.first }
                if !group.isEmpty {
                    let sub = words.dropFirst().first
                    guard let sub, sub != "help" else {
                        console.write(
                            groupHelp(words.first!, group, language, width: Context.screenWidth(environment)))
                        return .success
                    }
                    throw CommandError.usage(
                        t(
                            "Ukendt underkommando '\(sub)'. Brug en af: ",
                            "Unknown subcommand '\(sub)'. Use one of: ")
                            + group.map { $0.spec.path.last! }.joined(separator: ", ") + ".",
                        command: [words.first!])
                }
                throw CommandError.usage(
                    t(
                        "Ukendt kommando '\(words.first ?? rest[0])'. Kør 'pejling --help' for at se kommandoerne.",
                        "Unknown command '\(words.first ?? rest[0])'. Run 'pejling --help' to see the commands."
                    ),
                    command: [])
            }
            commandPath = command.spec.path
            var parsed = try command.spec.parse(
                Array(rest.dropFirst(command.spec.path.count)), language: language)
            if parsed.help || globals.help {
                console.write(
                    command.spec.helpText(
                        globalOptions: globalOptions, language: language,
                        width: Context.screenWidth(environment)))
                return .success
            }
            parsed.flags.formUnion(globals.flags)
            let context = try Context(environment: environment, console: console, globals: globals)
            defer { context.abandon() }
            try command.handler(context, parsed)
        } catch let error as CommandError {
            status = error.status
            console.writeError(t("Fejl: ", "Error: ") + Self.shown(error.errorDescription ?? "") + "\n")
            if case .usage(_, let path) = error {
                let spec = commands.first { $0.spec.path == (path.isEmpty ? commandPath : path) }?.spec
                if let spec { console.writeError(t("Brug: ", "Usage: ") + spec.usageLine + "\n") }
                let name = spec?.commandName ?? (["pejling"] + path).joined(separator: " ")
                console.writeError(
                    t(
                        "  Se '\(name) --help' for mere hjælp.\n",
                        "  See '\(name) --help' for more information.\n"))
            }
        } catch {
            status = .failure
            console.writeError(t("Fejl: ", "Error: ") + Self.shown(error.localizedDescription) + "\n")
        }
        console.flush()
        return status
    }

    private static func findCommand(_ words: [String]) -> Command? {
        commands.filter { words.starts(with: $0.spec.path) }.max { $0.spec.path.count < $1.spec.path.count }
    }

    /// Takes the global options out of `arguments`, wherever they stand.
    private static func splitGlobalOptions(_ arguments: [String]) throws(CommandError) -> (
        ParsedArguments, [String]
    ) {
        var globals = ParsedArguments()
        var rest: [String] = []
        var index = 0
        let globalSpec = CommandSpec(
            path: [], abstract: .none,
            options: globalOptions + [.flag("version", .none)] + toolOptions + [completionValuesOption])
        while index < arguments.count {
            let word = arguments[index]
            let name = String(word.drop { $0 == "-" }.prefix { $0 != "=" })
            if word == "--" {
                rest += arguments[index...]
                break
            }
            if word.hasPrefix("--"), let option = globalSpec.options.first(where: { $0.name == name }) {
                let take = option.value != nil && !word.contains("=") ? 2 : 1
                let parsed = try globalSpec.parse(
                    Array(arguments[index..<min(index + take, arguments.count)]))
                for (key, value) in parsed.values {
                    if globals.values[key] != nil {
                        throw .usage("'--\(key)' is given twice; give it once.", command: [])
                    }
                    globals.values[key] = value
                }
                globals.flags.formUnion(parsed.flags)
                index += take
                continue
            }
            if (word == "--help" || word == "-h") && rest.isEmpty { globals.help = true }
            rest.append(word)
            index += 1
        }
        if rest.first == "--help" || rest.first == "-h" { rest.removeFirst() }
        return (globals, rest)
    }

    static let overview = HelpText(
        da: """
            Feedback-informeret, recovery-orienteret praksis: stil ORS, SRS, Brief INSPIRE-O og mål med
            borgerens egne ord, gem hvert svar sikkert, se udviklingen, og opdag, når en indsats måske
            skal justeres.
            """,
        en: """
            Feedback-informed, recovery-oriented practice: ask ORS, SRS, Brief INSPIRE-O and
            goals in the citizen's own words, keep every answer safe, see the trend, and notice when a
            support plan may need adjusting.
            """)

    static func mainHelp(_ language: Language, width: Int = 80) -> String {
        let heading = CommandSpec.Heading(language)
        let (command, options) =
            language == .da ? ("<kommando>", "[fælles tilvalg]") : ("<command>", "[global options]")
        var text =
            "\(heading.overview) \(overview[language])\n\n\(heading.usage) pejling \(options) \(command)\n\n"
        text += "\(heading.commands)\n\n"
        for command in commands {
            text += CommandSpec.row(
                command.spec.path.joined(separator: " "), command.spec.abstract[language], width: width)
        }
        text += "\n\(heading.globalOptions)\n"
        for option in globalOptions + toolOptions {
            text += CommandSpec.row(option.usage, option.help[language], width: width)
        }
        text += CommandSpec.row(
            "--version", language == .da ? "Vis versionen." : "Show the version.", width: width)
        text += CommandSpec.row("-h, --help", CommandSpec.Heading.help[language], width: width)
        text +=
            language == .da
            ? "\n  Se 'pejling <kommando> --help' for hjælp til den enkelte kommando.\n"
            : "\n  See 'pejling <command> --help' for detailed help.\n"
        return text
    }

    private static func groupHelp(_ group: String, _ commands: [Command], _ language: Language, width: Int)
        -> String
    {
        let heading = CommandSpec.Heading(language)
        let sub = language == .da ? "<underkommando>" : "<subcommand>"
        var text = "\(heading.usage) pejling \(group) \(sub)\n\n\(heading.subcommands)\n"
        for command in commands {
            text += CommandSpec.row(command.spec.path.last!, command.spec.abstract[language], width: width)
        }
        text +=
            language == .da
            ? "\n  Se 'pejling \(group) \(sub) --help' for hjælp til den enkelte.\n"
            : "\n  See 'pejling \(group) \(sub) --help' for detailed help.\n"
        return text
    }
}
