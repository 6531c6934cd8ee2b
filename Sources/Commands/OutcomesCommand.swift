import InstrumentModel
import Progression
import Storage
import Support

/// `pejling outcomes`: one row per case and instrument with at least two administrations.
enum OutcomesCommand {
    static let spec = CommandSpec(
        path: ["outcomes"],
        abstract: HelpText(
            da: "Ændring fra første til seneste score pr. sag, med pålidelig ændring og kategori.",
            en: "Change from first to latest score per case, with reliable change and category."),
        discussion: HelpText(
            da: """
                For hver sag og hvert instrument med mindst to besvarelser (i perioden): første og seneste
                dato og score, ændringen, det pålidelige ændringsindeks (Jacobson & Truax 1991, når
                instrumentet angiver reliabilitet og SD) og kategorien: recovered (kommet sig), improved
                (bedret), unchanged (uændret) eller deteriorated (forværret). En score præcis på grænsen
                tæller hverken som klinisk eller funktionel.
                """,
            en: """
                For each case and instrument with at least two administrations (in the period): first and
                latest date and score, the change, the reliable change index (Jacobson & Truax 1991, when
                the instrument declares reliability and SD), and the category: recovered, improved,
                unchanged or deteriorated. A score exactly on the cut-off counts as neither clinical nor
                functional.
                """),
        options: [
            .value("instrument", "ID", HelpText(da: "Kun dette instrument.", en: "Only this instrument.")),
            .value(
                "since", "DATE", HelpText(da: "Første dato, der tages med.", en: "First date to include.")),
            .value("until", "DATE", HelpText(da: "Sidste dato, der tages med.", en: "Last date to include.")),
            .value(
                "format", "FORMAT", choices: ["text", "json", "csv", "csv-da"],
                HelpText(da: "Outputformat (standard text).", en: "Output format (default text).")),
        ])

    static let command = Pejling.Command(spec: spec, handler: run)

    struct Row {
        var caseID: String
        var instrument: Instrument
        var first: Reading
        var last: Reading
        var assessment: ChangeAssessment
    }

    /// One row per case and instrument with two or more scores, in order of case id; each case's
    /// history is made while its rows are found, on every core.
    static func rows(
        _ index: CaseIndex, catalogue: InstrumentCatalogue, instrument filter: String?, since: Day?,
        until: Day?
    ) -> [Row] {
        index.map { number in
            rows(index.history(number), catalogue: catalogue, instrument: filter, since: since, until: until)
        }.flatMap { $0 }
    }

    private static func rows(
        _ history: CaseHistory, catalogue: InstrumentCatalogue, instrument filter: String?, since: Day?,
        until: Day?
    ) -> [Row] {
        var rows: [Row] = []
        let id = history.caseID
        for instrumentID in history.instruments where filter == nil || filter == instrumentID {
            guard let instrument = try? catalogue.instrument(instrumentID) else { continue }
            let series = history.series(instrumentID).filter { reading in
                reading.total != nil && (since.map { reading.day >= $0 } ?? true)
                    && (until.map { reading.day <= $0 } ?? true)
            }
            guard series.count >= 2, let first = series.first, let last = series.last else { continue }
            let assessment = ChangeCalculator.assess(
                pre: first.total!, post: last.total!, instrument: instrument, age: last.age ?? first.age)
            rows.append(
                Row(caseID: id, instrument: instrument, first: first, last: last, assessment: assessment))
        }
        return rows
    }

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let (since, until) = try context.period(arguments, command: spec.path)
        if let filter = arguments["instrument"] { _ = try context.instrument(filter) }
        let index = CaseIndex(try context.readSummaries(caseID: nil))
        context.keepUntilExit(index)
        let rows = rows(
            index, catalogue: try context.catalogue(), instrument: arguments["instrument"], since: since,
            until: until)
        context.keepUntilExit(rows)
        try context.audit("outcomes", caseID: nil)
        let header = [
            "case", "instrument", "first_date", "last_date", "first_score", "last_score", "change", "rci",
            "category",
        ]
        switch arguments["format"] {
        case "json":
            context.console.writeLine(
                JSONValue.array(
                    rows.map { row in
                        [
                            "case": .string(row.caseID), "instrument": .string(row.instrument.id),
                            "first_date": .string(row.first.day.description),
                            "last_date": .string(row.last.day.description),
                            "first_score": .number(row.assessment.pre),
                            "last_score": .number(row.assessment.post),
                            "change": .number(roundTo(row.assessment.change, decimals: 4)),
                            "rci": .optional(row.assessment.rci.map { roundTo($0, decimals: 4) }),
                            "category": .string(row.assessment.category.rawValue),
                        ]
                    }
                ).rendered())
        case "csv", "csv-da":
            let csv = CSV(dialect: arguments["format"] == "csv-da" ? .danish : .standard)
            context.console.write(
                csv.render(
                    [header]
                        + rows.map { row in
                            [
                                row.caseID, row.instrument.id, row.first.day.description,
                                row.last.day.description,
                                csv.number(row.assessment.pre), csv.number(row.assessment.post),
                                csv.number(roundTo(row.assessment.change, decimals: 4)),
                                csv.number(row.assessment.rci.map { roundTo($0, decimals: 4) }),
                                row.assessment.category.rawValue,
                            ]
                        }))
        default:
            guard !rows.isEmpty else {
                context.console.writeLine(
                    context.text(
                        "Ingen sager med mindst to målinger.", "No cases with at least two measurements."))
                return
            }
            let categories: [OutcomeCategory: String] = [
                .recovered: context.text("kommet sig", "recovered"),
                .improved: context.text("bedre", "improved"),
                .unchanged: context.text("uændret", "unchanged"),
                .deteriorated: context.text("forværret", "deteriorated"),
                .undetermined: context.text("retning ikke angivet", "direction not set"),
            ]
            let table =
                [
                    [
                        context.text("SAG", "CASE"), "INSTRUMENT", context.text("FØRSTE", "FIRST"),
                        context.text("SENESTE", "LATEST"),
                        context.text("FRA", "FROM"), context.text("TIL", "TO"),
                        context.text("ÆNDRING", "CHANGE"), "RCI",
                        context.text("KATEGORI", "CATEGORY"),
                    ]
                ]
                + rows.map { row in
                    [
                        row.caseID, row.instrument.abbreviation, row.first.day.description,
                        row.last.day.description,
                        context.number(row.assessment.pre), context.number(row.assessment.post),
                        (row.assessment.change > 0 ? "+" : "") + context.number(row.assessment.change),
                        row.assessment.rci.map { context.number($0) } ?? "–",
                        categories[row.assessment.category]!,
                    ]
                }
            context.console.write(Table.render(table))
        }
    }
}
