import Foundation
import InstrumentModel
import Interchange
import Support

/// `pejling instruments list | show ID | validate FILE...`
enum InstrumentsCommand {
    static let format = OptionSpec.value(
        "format", "FORMAT", choices: ["text", "json"],
        HelpText(da: "Outputformat (standard text).", en: "Output format (default text)."))

    static let commands: [Pejling.Command] = [
        Pejling.Command(
            spec: CommandSpec(
                path: ["instruments", "list"],
                abstract: HelpText(
                    da: "Vis de instrumenter, der kan stilles.", en: "List the instruments that can be asked."
                ),
                discussion: HelpText(
                    da:
                        "Viser de medfølgende instrumenter og eventuelle fra --instruments DIR (som erstatter\nmedfølgende med samme id).",
                    en:
                        "Shows the shipped instruments and any from --instruments DIR (which replace shipped\nones with the same id)."
                ),
                options: [format]),
            handler: list),
        Pejling.Command(
            spec: CommandSpec(
                path: ["instruments", "show"],
                abstract: HelpText(
                    da: "Vis et instrument: spørgsmål, scoring, grænser, kilde, licens.",
                    en: "Show an instrument: items, scoring, cut-offs, source, licence."),
                positionals: "<id>",
                positionalHelp: [
                    (
                        "<id>",
                        HelpText(
                            da: "Instrumentets id, som 'pejling instruments list' viser det.",
                            en: "The instrument's id, as 'pejling instruments list' shows it.")
                    )
                ],
                options: [format], positionalCount: 1...1),
            handler: show),
        Pejling.Command(
            spec: CommandSpec(
                path: ["instruments", "validate"],
                abstract: HelpText(
                    da: "Tjek instrumentfiler og vis alle problemer i dem.",
                    en: "Check instrument files and report every problem in them."),
                discussion: HelpText(
                    da: """
                        Hvert problem nævner filen, linjen og kolonnen, JSON-stien, hvad der er galt, og hvordan
                        det rettes. Slutter med 0, når alle filer er gyldige, og 65, når en ikke er. Formatet er
                        beskrevet i Instruments/README.md.
                        """,
                    en: """
                        Each problem names the file, the line and column, the JSON path, what is wrong and how to
                        fix it. Exits 0 when every file is valid, 65 when any is not. The format is described in
                        Instruments/README.md.
                        """),
                positionals: "<file> ...",
                positionalHelp: [
                    ("<file>", HelpText(da: "En instrumentfil (JSON).", en: "An instrument file (JSON)."))
                ],
                options: [format], positionalCount: 1...10_000),
            handler: validate),
        Pejling.Command(
            spec: CommandSpec(
                path: ["instruments", "export"],
                abstract: HelpText(
                    da: "Skriv et instrument som et FHIR R4 Questionnaire.",
                    en: "Write an instrument as a FHIR R4 Questionnaire."),
                discussion: HelpText(
                    da: """
                        Spørgsmålene beholder deres id'er som linkId; svarmuligheder har koder og ordinalværdier;
                        intervaller er minValue/maxValue-udvidelser; det andet sprog gives med FHIR's
                        oversættelsesudvidelse. Den kanoniske URL er urn:pejling:questionnaire:ID, eller under
                        PEJLING_FHIR_BASE.
                        """,
                    en: """
                        Items keep their ids as linkId; choice options carry codes and ordinal values; ranges are
                        minValue/maxValue extensions; the other language is given with the FHIR translation
                        extension. The canonical URL is urn:pejling:questionnaire:ID, or under PEJLING_FHIR_BASE.
                        """),
                positionals: "<id>",
                positionalHelp: [("<id>", HelpText(da: "Instrumentets id.", en: "The instrument's id."))],
                options: [
                    .value(
                        "format", "FORMAT", choices: ["fhir"],
                        HelpText(da: "Formatet (fhir).", en: "The format (fhir).")),
                    .value(
                        "out", "FILE",
                        HelpText(
                            da: "Skriv til FILE i stedet for standardoutput.",
                            en: "Write to FILE instead of standard output.")),
                ], required: ["format"], positionalCount: 1...1),
            handler: export),
    ]

    static func list(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let catalogue = try context.catalogue()
        let language = context.language
        if arguments["format"] == "json" {
            let entries = catalogue.instruments.map { instrument -> JSONValue in
                [
                    "id": .string(instrument.id), "version": .string(instrument.version),
                    "abbreviation": .string(instrument.abbreviation),
                    "title": .string(instrument.title[language]),
                    "items": .number(Double(instrument.items.count)),
                    "timing": .string(instrument.timing.rawValue),
                    "role": .string(instrument.role.rawValue),
                    "origin": origin(catalogue.origins[instrument.id]),
                ]
            }
            context.console.writeLine(JSONValue.array(entries).rendered())
            return
        }
        let header = [
            "ID", context.text("NAVN", "NAME"), context.text("SPØRGSMÅL", "ITEMS"),
            context.text("HVORNÅR", "WHEN"),
            context.text("TITEL", "TITLE"),
        ]
        var rows = [header]
        for instrument in catalogue.instruments {
            let count =
                instrument.goals.map {
                    context.text("op til \($0.maxGoals) mål", "up to \($0.maxGoals) goals")
                }
                ?? String(instrument.items.count)
            var title = instrument.title[language]
            if case .file(let path)? = catalogue.origins[instrument.id] {
                title += context.text(" (fra \(path))", " (from \(path))")
            }
            rows.append([
                instrument.id, instrument.abbreviation, count, timingText(instrument.timing, context), title,
            ])
        }
        context.console.write(Table.render(rows))
    }

    static func origin(_ origin: InstrumentCatalogue.Origin?) -> JSONValue {
        switch origin {
        case .file(let path)?: return .string(path)
        default: return "shipped"
        }
    }

    static func timingText(_ timing: Timing, _ context: Context) -> String {
        switch timing {
        case .start: return context.text("start af møde", "start of meeting")
        case .end: return context.text("slut af møde", "end of meeting")
        case .any: return context.text("når som helst", "any time")
        }
    }

    static func show(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let instrument = try context.instrument(arguments.positionals[0])
        if arguments["format"] == "json" {
            context.console.writeLine(InstrumentDescription.json(instrument).rendered())
        } else {
            let text = TerminalText.sanitized(
                InstrumentDescription.text(instrument, context: context), keepingLineBreaks: true)
            context.console.write(wrapLines(text, width: try context.width(option: nil)))
        }
    }

    /// A file checked as an instrument definition: its problems, or its id when it has none.
    typealias Validation = (file: String, problems: [InstrumentProblem], id: String?)

    static func validate(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let results = arguments.positionals.map(validation)
        let invalid = results.filter { !$0.problems.isEmpty }
        if arguments["format"] == "json" {
            context.console.writeLine(JSONValue.array(results.map(json)).rendered())
        } else {
            for result in results {
                if result.problems.isEmpty {
                    context.console.writeLine(
                        context.text(
                            "\(result.file): gyldig (\(result.id!))", "\(result.file): valid (\(result.id!))")
                    )
                } else {
                    let count = result.problems.count
                    context.console.writeLine(
                        context.text(
                            "\(result.file): \(count) \(count == 1 ? "problem" : "problemer")",
                            "\(result.file): \(count) \(count == 1 ? "problem" : "problems")"))
                    for problem in result.problems {
                        context.console.writeLine("  " + problem.description(context.language))
                    }
                }
            }
        }
        if !invalid.isEmpty {
            let message = context.text(
                "\(invalid.count) af \(results.count) filer er ikke gyldige; se Instruments/README.md for formatet.",
                "\(invalid.count) of \(results.count) files are not valid; see Instruments/README.md for the format."
            )
            throw .data(message)
        }
    }

    /// Reads `file` as an instrument definition; a file that cannot be read is one problem.
    private static func validation(_ file: String) -> Validation {
        do {
            let instrument = try InstrumentCatalogue.readFile(file)
            return (file, [], instrument.id)
        } catch .invalid(_, let problems) {
            return (file, problems, nil)
        } catch {
            return (
                file,
                [
                    InstrumentProblem(
                        file: file, path: "", position: nil,
                        message: LocalizedText(da: error.message(.da), en: error.description),
                        fix: LocalizedText(da: "tjek stien", en: "check the path"))
                ], nil
            )
        }
    }

    /// A file's validation as JSON: whether it is valid, its id, and each problem in both languages.
    private static func json(_ result: Validation) -> JSONValue {
        [
            "file": .string(result.file), "valid": .bool(result.problems.isEmpty),
            "id": .optional(result.id),
            "problems": .array(
                result.problems.map { problem in
                    [
                        "path": .string(problem.path),
                        "line": .optional(problem.position.map { Double($0.line) }),
                        "column": .optional(problem.position.map { Double($0.column) }),
                        "message": .string(problem.message), "fix": .string(problem.fix),
                        "messageDa": .string(problem.localizedMessage[.da]),
                        "fixDa": .string(problem.localizedFix[.da]),
                    ]
                }),
        ]
    }
}

extension InstrumentsCommand {
    static func export(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let instrument = try context.instrument(arguments.positionals[0])
        let resource = QuestionnaireExport.questionnaire(
            instrument, language: context.language, base: context.environment.variables["PEJLING_FHIR_BASE"])
        try context.emit(
            resource.rendered() + "\n", to: arguments["out"], command: ["instruments", "export"])
    }
}
