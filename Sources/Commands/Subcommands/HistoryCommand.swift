import InstrumentModel
import Interchange
import Progression
import Support

/// `pejling history --case ID`.
enum HistoryCommand {
    static let spec = CommandSpec(
        path: ["history"],
        abstract: HelpText(
            da: "Vis en sags besvarelser: dato, instrument, scorer, kommentar.",
            en: "List a case's administrations: date, instrument, scores, comment."),
        discussion: HelpText(
            da: """
                Rettelser er medregnet, og tilbagetrukne besvarelser er udeladt. ID-kolonnen (begyndelsen
                af hver posts id) er det, 'pejling withdraw' og 'pejling ask --corrects' tager.
                """,
            en: """
                Corrections are applied and withdrawn administrations left out. The ID column (the start
                of each record's id) is what 'pejling withdraw' and 'pejling ask --corrects' take.
                """),
        options: [
            .value("case", "ID", HelpText(da: "Sagen.", en: "The case.")),
            .value("instrument", "ID", HelpText(da: "Kun dette instrument.", en: "Only this instrument.")),
            .value(
                "format", "FORMAT", choices: ["text", "json", "csv"],
                HelpText(da: "Outputformat (standard text).", en: "Output format (default text).")),
        ], required: ["case"])

    static let command = Pejling.Command(spec: spec, handler: run)

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try arguments.caseID()
        let index = try context.caseIndex(caseID: caseID)
        try context.audit("history", caseID: caseID)
        let history = try context.history(caseID, in: index)
        let readings = history.readings.filter {
            arguments["instrument"] == nil || $0.instrument == arguments["instrument"]
        }
        let goals = Dictionary(uniqueKeysWithValues: history.goals.map { ($0.id, $0.text) })
        switch arguments["format"] {
        case "json":
            try context.emitJSON(JSONValue.array(readings.map(json)), command: spec.path)
        case "csv":
            let csv = CSVWriter(dialect: .standard)
            context.console.write(
                csv.render(
                    [["date", "instrument", "total", "parts", "worker", "respondent", "comment"]]
                        + readings.map {
                            [
                                $0.day.description, $0.instrument, csv.number($0.total),
                                parts($0, goals: goals),
                                $0.worker ?? "", $0.respondent, $0.comment ?? "",
                            ]
                        }))
        default:
            if readings.isEmpty {
                context.console.writeLine(context.text("Ingen målinger.", "No measurements."))
                return
            }
            context.console.write(Table.render(table(readings, goals: goals, context)))
        }
    }

    /// A reading's parts as `name=value`, goals by their words; numbers as the output's readers
    /// write them: a point in CSV, the language's mark in text.
    static func parts(
        _ reading: Reading, goals: [String: String], _ number: (Double) -> String = { Commands.number($0) }
    ) -> String {
        reading.parts.keys.sorted().map { key in "\(goals[key] ?? key)=\(number(reading.parts[key]!))" }
            .joined(separator: "; ")
    }

    /// A reading as JSON.
    static func json(_ reading: Reading) -> JSONValue {
        [
            "id": .string(reading.id), "date": .string(reading.day.description),
            "instrument": .string(reading.instrument),
            "total": .optional(reading.total),
            "parts": .object(
                reading.parts.keys.sorted().map {
                    (key: $0, value: .number(reading.parts[$0]!))
                }),
            "worker": .optional(reading.worker), "respondent": .string(reading.respondent),
            "comment": .optional(reading.comment),
        ]
    }

    /// The readings under a header, as the text table's cells in the context's language.
    static func table(_ readings: [Reading], goals: [String: String], _ context: Context) -> [[String]] {
        let header = [
            context.text("DATO", "DATE"), "INSTRUMENT", "TOTAL", context.text("DELE", "PARTS"),
            context.text("KOMMENTAR", "COMMENT"), "ID",
        ]
        return [header]
            + readings.map {
                [
                    $0.day.description, $0.instrument.uppercased(),
                    $0.total.map { context.number($0) } ?? "–",
                    parts($0, goals: goals) { context.number($0) },
                    $0.comment ?? "",
                    String($0.id.prefix(8)),
                ]
            }
    }
}
