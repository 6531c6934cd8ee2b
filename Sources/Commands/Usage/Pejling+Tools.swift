import Administration
import Foundation
import Progression
import Storage

extension Pejling {
    /// Global options that print something about pejling itself instead of running a command, in
    /// swift-argument-parser's spelling; listed under GLOBAL OPTIONS in `pejling --help`.
    static let toolOptions: [OptionSpec] = [
        .value(
            "generate-completion-script", "SHELL", choices: CompletionScript.shells,
            HelpText(
                da:
                    "Skriv et fuldførelsesscript til bash, zsh eller fish\n(source <(pejling --generate-completion-script bash)).",
                en:
                    "Print a completion script for bash, zsh or fish\n(source <(pejling --generate-completion-script bash))."
            )
        ),
        .flag(
            "generate-manual",
            HelpText(
                da: "Skriv manualsiden pejling.1 (roff; læs den med man -l).",
                en: "Print the manual page pejling.1 (roff; man -l to read it).")),
    ]

    /// What the completion scripts ask for while completing: `--completion-values case|instrument`
    /// prints the store's case ids or the instrument ids, one a line. Not in the help.
    static let completionValuesOption = OptionSpec.value(
        "completion-values", "KIND", choices: ["case", "instrument"], .none)

    /// Runs a tool option when one was given.
    /// - Returns: the exit status, or nil when no tool option was given.
    /// - Throws: a usage error when a tool option comes with a command.
    static func runTool(
        _ globals: ParsedArguments, rest: [String], environment: CommandEnvironment, console: Console
    ) throws(CommandError) -> ExitStatus? {
        let given = (toolOptions + [completionValuesOption]).map(\.name).filter {
            globals[$0] != nil || globals.has($0)
        }
        guard let tool = given.first else { return nil }
        if given.count > 1 || !rest.isEmpty {
            throw .usage(
                "'--\(tool)' stands alone: give it with no command and no other such option.", command: [])
        }
        switch tool {
        case "generate-completion-script":
            console.write(
                CompletionScript.script(
                    for: globals[tool]!, commands: commands.map(\.spec),
                    globalOptions: globalOptions + toolOptions))
        case "generate-manual":
            console.write(
                Manual.page(
                    summary:
                        "feedback-informed, recovery-oriented practice with ORS, SRS, Brief INSPIRE-O and goals",
                    overview: Self.overview.en, commands: commands.map(\.spec), globalOptions: globalOptions,
                    toolOptions: toolOptions, version: version))
        default:
            let context = try Context(environment: environment, console: console, globals: globals)
            for value in completionValues(globals[tool]!, context) { console.writeLine(value) }
        }
        console.flush()
        return .success
    }

    /// The ids a completion script offers: case ids from the store's summaries (no answers are
    /// read and nothing is audited, as only pseudonyms are listed), or the catalogue's instrument
    /// ids. Quietly none when there is no store or the catalogue does not load: a completion must
    /// never print an error into the line being typed.
    private static func completionValues(_ kind: String, _ context: Context) -> [String] {
        if kind == "instrument" {
            return (try? context.catalogue().instruments.map(\.id)) ?? []
        }
        guard let snapshot = try? context.store().readSummaries() else { return [] }
        return CaseIndex(snapshot).caseIDs
    }
}
