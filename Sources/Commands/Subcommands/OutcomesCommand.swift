import InstrumentModel
import Interchange
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

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let (since, until) = try arguments.period()
        if let filter = arguments["instrument"] { _ = try context.instrument(filter) }
        let report = try OutcomesReport(
            context, instrument: arguments["instrument"], since: since, until: until)
        switch arguments["format"] {
        case "json":
            try context.emitJSON(command: spec.path) { stream throws(FileOutputError) in
                stream.beginArray()
                let rows = report.rows
                try stream.elements(rows.count) { place, stream throws(FileOutputError) in
                    try write(rows[place], into: &stream)
                }
                try stream.endArray()
            }
        case "csv", "csv-da":
            let csv = CSVWriter(dialect: arguments["format"] == "csv-da" ? .danish : .standard)
            // A stretch of rows at a time through one buffered writer, the next stretch made on
            // every core while one is written: the text is never held whole.
            try context.emit(to: nil, command: spec.path) { writer throws(FileOutputError) in
                try csv.write(csvHeader, to: writer)
                let rows = report.rows
                try parallelPipeline(
                    stretchesOf: rows.count, size: csvStretch, batch: 8,
                    make: { stretch in
                        var bytes: [UInt8] = []
                        for row in rows[stretch] {
                            csv.append(fields(row, csv: csv), to: &bytes)
                        }
                        return bytes
                    },
                    consume: { (bytes: consuming [UInt8]) throws(FileOutputError) in
                        try writer.write(bytes: bytes)
                    })
            }
        default:
            guard !report.rows.isEmpty else {
                context.console.writeLine(
                    context.text(
                        "Ingen sager med mindst to målinger.", "No cases with at least two measurements."))
                return
            }
            context.console.write(Table.render(table(report.rows, context)))
        }
        Phases.mark("render")
    }

    /// One row as a JSON object (the rows are written one at a time, as one array).
    static func json(_ row: OutcomesReport.Row) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        forEachMember(row) { members.append((key: $0, value: $1.json)) }
        return .object(members)
    }

    /// Writes `json(row)` into `stream` member by member, with no value made for the row (a
    /// report writes hundreds of thousands).
    static func write(_ row: OutcomesReport.Row, into stream: inout JSONStream) throws(FileOutputError) {
        stream.beginObject()
        try forEachMember(row) { key, member throws(FileOutputError) in
            try member.write(named: key, into: &stream)
        }
        try stream.endObject()
    }

    /// One row's members, handed to `body` in order: the one list of them, which `json` makes a
    /// value of and `write` streams.
    private static func forEachMember<Failure: Error>(
        _ row: OutcomesReport.Row, _ body: (_ key: String, _ value: RowMember) throws(Failure) -> Void
    ) throws(Failure) {
        try body("case", .text(row.caseID))
        try body("instrument", .text(row.instrumentID))
        try body("first_date", .day(row.firstDay))
        try body("last_date", .day(row.lastDay))
        try body("first_score", .number(row.assessment.pre))
        try body("last_score", .number(row.assessment.post))
        try body("change", .number(roundTo(row.assessment.change, decimals: 4)))
        try body("rci", .number(row.assessment.rci.map { roundTo($0, decimals: 4) }))
        try body("category", .text(row.assessment.category.rawValue))
    }

    /// A row member's value: a text, a day as text, or a number (null when nil).
    private enum RowMember {
        case text(String)
        case day(Day)
        case number(Double?)

        var json: JSONValue {
            switch self {
            case .text(let text): return .string(text)
            case .day(let day): return .string(day.description)
            case .number(let number): return .optional(number)
            }
        }

        /// Writes the member `key` with this value, as `stream.member(key, json)` writes it.
        func write(named key: String, into stream: inout JSONStream) throws(FileOutputError) {
            switch self {
            case .text(let text): try stream.member(key, text: text)
            case .day(let day): try stream.member(key, day: day)
            case .number(let number?): try stream.member(key, number: number)
            case .number(nil): try stream.member(key, text: nil)
            }
        }
    }

    /// How many CSV rows are made in one task.
    static let csvStretch = 512

    /// The CSV header.
    static let csvHeader = [
        "case", "instrument", "first_date", "last_date", "first_score", "last_score", "change", "rci",
        "category",
    ]

    /// One row as CSV fields.
    static func fields(_ row: OutcomesReport.Row, csv: CSVWriter) -> [String] {
        [
            row.caseID, row.instrumentID, row.firstDay.description,
            row.lastDay.description,
            csv.number(row.assessment.pre), csv.number(row.assessment.post),
            csv.number(roundTo(row.assessment.change, decimals: 4)),
            csv.number(row.assessment.rci.map { roundTo($0, decimals: 4) }),
            row.assessment.category.rawValue,
        ]
    }

    /// The rows under a header, as the text table's cells in the context's language (a stretch of
    /// rows to a task, on every core).
    static func table(_ rows: [OutcomesReport.Row], _ context: Context) -> [[String]] {
        let categories: [OutcomeCategory: String] = [
            .recovered: context.text("kommet sig", "recovered"),
            .improved: context.text("bedre", "improved"),
            .unchanged: context.text("uændret", "unchanged"),
            .deteriorated: context.text("forværret", "deteriorated"),
            .undetermined: context.text("retning ikke angivet", "direction not set"),
        ]
        let language = context.language
        @Sendable func number(_ value: Double) -> String { Context.number(value, in: language) }
        let ranges = stretches(of: rows.count, size: 2048)
        let cells = parallelMap(ranges.count) { part in
            rows[ranges[part]].map { row in
                [
                    row.caseID, row.abbreviation, row.firstDay.description,
                    row.lastDay.description,
                    number(row.assessment.pre), number(row.assessment.post),
                    (row.assessment.change > 0 ? "+" : "") + number(row.assessment.change),
                    row.assessment.rci.map { number($0) } ?? "–",
                    categories[row.assessment.category]!,
                ]
            }
        }
        return [
            [
                context.text("SAG", "CASE"), "INSTRUMENT", context.text("FØRSTE", "FIRST"),
                context.text("SENESTE", "LATEST"),
                context.text("FRA", "FROM"), context.text("TIL", "TO"),
                context.text("ÆNDRING", "CHANGE"), "RCI",
                context.text("KATEGORI", "CATEGORY"),
            ]
        ] + cells.joined()
    }
}
