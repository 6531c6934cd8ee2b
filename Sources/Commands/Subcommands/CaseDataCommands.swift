import InstrumentModel
import Interchange
import Progression
import Storage
import Support

/// `pejling check`, `pejling erase`, and `pejling export` of the store's records.
enum CaseDataCommands {
    static let checkSpec = CommandSpec(
        path: ["check"],
        abstract: HelpText(
            da: "Vis databasens tilstand: filer, poster, sager, problemer.",
            en: "Report the store's health: files, records, cases, problems."),
        discussion: HelpText(
            da: """
                Læser hver journal og viser linjer, der ikke er poster, med fil og linje. Med --repair
                flyttes sådanne linjer til quarantine/ (slettes aldrig), og hver journal skrives om atomart.
                Slutter med 65, når der stadig er problemer.
                """,
            en: """
                Reads every journal and reports lines that are not records, with file and line. With
                --repair, such lines are moved to quarantine/ (never deleted) and each journal is rewritten
                atomically. Exits 65 when problems remain.
                """),
        options: [
            .flag(
                "repair",
                HelpText(
                    da: "Flyt fejlbehæftede linjer til quarantine/.", en: "Move bad lines to quarantine/."))
        ])

    static let eraseSpec = CommandSpec(
        path: ["erase"],
        abstract: HelpText(
            da: "Slet alt om én sag (retten til sletning).",
            en: "Erase everything held about one case (the right to erasure)."),
        discussion: HelpText(
            da: """
                Fjerner sagens poster fra hver journal og karantænefil, skriver hver om atomart, og
                efterlader en markering med kun sags-id'et, hvem og hvornår, så en gammel kopi af en journal
                ikke kan bringe sagen tilbage. Kan ikke fortrydes; kræver --yes.
                """,
            en: """
                Removes the case's records from every journal and quarantine file, rewriting each
                atomically, and leaves a marker holding only the case id, who and when, so a stale copy
                of a journal cannot bring the case back. Cannot be undone; asks for --yes.
                """),
        options: [
            .value("case", "ID", HelpText(da: "Sagen, der skal slettes.", en: "The case to erase.")),
            .flag("yes", HelpText(da: "Bekræft sletningen.", en: "Confirm the erasure.")),
        ],
        required: ["case"])

    static let exportSpec = CommandSpec(
        path: ["export"],
        abstract: HelpText(
            da: "Eksportér poster: én sag (indsigtsret) eller hele databasen.",
            en: "Export records: one case (right of access) or the whole store."),
        discussion: HelpText(
            da: """
                jsonl: databasens poster præcis som gemt (med --case: alt om én borger, indsigtsretten).

                csv, csv-da: én række pr. besvarelse, med rettelser og uden tilbagetrukne: id, recorded,
                case, date, instrument, version, worker, respondent, age, comment, og derefter for hvert
                instrument hvert svar (ors.individually; gbo.g1 for et mål), totalen (ors.total) og andre
                scorer (ors.score.DEL). Citering efter RFC 4180. csv-da har ';' mellem felterne,
                decimalkomma og et byte order mark, så dansk Excel åbner den i de rigtige kolonner. Filen
                kan læses ind igen med 'pejling import', og papirskemaer kan tastes ind i samme layout.

                fhir: et FHIR R4 Bundle (type collection): ét QuestionnaireResponse pr. besvarelse (svar
                efter linkId = spørgsmålets id, sagen som pseudonym identifikator, questionnaire
                urn:pejling:questionnaire:ID|VERSION eller under PEJLING_FHIR_BASE) og én Observation pr.
                total, afledt af svaret. fullUrl er urn:uuid:-adresser afledt af postens id.

                Hver eksport skrives i revisionsloggen. Filer oprettes private (0600).

                EKSEMPLER:
                  pejling export --case K-0042 --format jsonl --out K-0042.jsonl
                  pejling export --format csv-da --out pejling.csv
                  pejling export --case K-0042 --format fhir --out K-0042.fhir.json
                """,
            en: """
                jsonl: the store's records exactly as stored (with --case: everything held about one
                citizen, the right of access).

                csv, csv-da: one row per administration, corrections applied and withdrawn ones left out:
                id, recorded, case, date, instrument, version, worker, respondent, age, comment, then per
                instrument every answer (ors.individually; gbo.g1 for a goal), the total (ors.total) and
                other scores (ors.score.PART). RFC 4180 quoting. csv-da has ';' between fields, decimal
                commas and a byte order mark, so Danish Excel opens it in the right columns. The file reads
                back with 'pejling import', and paper forms can be typed into the same layout.

                fhir: a FHIR R4 Bundle (type collection): one QuestionnaireResponse per administration
                (answers by linkId = item id, the case as a pseudonymous identifier, questionnaire
                urn:pejling:questionnaire:ID|VERSION or under PEJLING_FHIR_BASE) and one Observation per
                total, derived from its response. fullUrls are urn:uuid: addresses derived from record ids.

                Every export is written to the audit log. Files are created private (0600).

                EXAMPLES:
                  pejling export --case K-0042 --format jsonl --out K-0042.jsonl
                  pejling export --format csv-da --out pejling.csv
                  pejling export --case K-0042 --format fhir --out K-0042.fhir.json
                """),
        options: [
            .value("case", "ID", HelpText(da: "Kun denne sag.", en: "Only this case.")),
            .value(
                "format", "FORMAT", choices: ["csv", "csv-da", "jsonl", "fhir"],
                HelpText(da: "Outputformat.", en: "Output format.")),
            .value(
                "out", "FILE",
                HelpText(
                    da: "Skriv til FILE (oprettes privat, 0600) i stedet for standardoutput.",
                    en: "Write to FILE (created private, 0600) instead of standard output.")),
        ], required: ["format"])

    static let commands = [
        Pejling.Command(spec: checkSpec, handler: check), Pejling.Command(spec: eraseSpec, handler: erase),
        Pejling.Command(spec: exportSpec, handler: export),
    ]

    static func check(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let store = context.store()
        let health: StoreHealth
        do {
            health = arguments.has("repair") ? try store.repair() : try store.check()
        } catch {
            throw .failure(context.describe(error))
        }
        let t = context.text
        context.console.writeLine(t("Database: ", "Store: ") + store.directory)
        context.console.writeLine(
            t(
                "\(health.journals) journalfiler, \(health.records) poster, \(health.cases) sager.",
                "\(health.journals) journal files, \(health.records) records, \(health.cases) cases."))
        for path in health.quarantined {
            context.console.writeLine(t("Flyttet til karantæne: ", "Moved to quarantine: ") + path)
        }
        if health.problems.isEmpty {
            context.console.writeLine(t("Ingen problemer.", "No problems."))
            return
        }
        for problem in health.problems {
            context.console.writeLine("  " + problem.message(danish: context.language == .da))
        }
        throw .data(
            t(
                health.problems.count == 1
                    ? "1 problem i databasen." : "\(health.problems.count) problemer i databasen.",
                health.problems.count == 1
                    ? "1 problem in the store." : "\(health.problems.count) problems in the store."))
    }

    static func erase(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try arguments.caseID()
        guard arguments.has("yes") else {
            throw .usage(
                context.text(
                    "Sletning af \(caseID) fjerner alle svar, kommentarer og mål om sagen og kan ikke fortrydes. Tilføj --yes for at bekræfte.",
                    "Erasing \(caseID) removes every answer, comment and goal held about the case and cannot be undone. Add --yes to confirm."
                ),
                command: eraseSpec.path)
        }
        let report: ErasureReport
        do {
            report = try context.store().erase(caseID: caseID)
        } catch {
            throw .failure(context.describe(error))
        }
        try context.auditChange(
            "erase", caseID: caseID,
            done: (
                "Sagen \(caseID) er slettet.", "The case \(caseID) was erased."
            ))
        let count = report.removed.values.reduce(0, +)
        let files = report.removed.count
        context.console.writeLine(
            context.text(
                "Slettet: \(count) \(count == 1 ? "post" : "poster") om \(caseID) fra \(files) \(files == 1 ? "fil" : "filer"). En markering uden svar er efterladt.",
                "Erased: \(count) \(count == 1 ? "record" : "records") about \(caseID) from \(files) \(files == 1 ? "file" : "files"). A marker holding no answers was left."
            ))
    }

    /// Writes the store's records (or one case's) as `--format` says, streamed a chunk at a time
    /// to standard output or to `--out`.
    ///
    /// The store is scanned once (`StoreScan`: where each record stands, in the store's order);
    /// the records are then read again a chunk at a time, made and rendered on every core, so
    /// memory holds a few chunks, never the store. csv, csv-da and fhir carry the administrations
    /// as they stand, in the store's order, each goal's wording as the read model (`CaseIndex`)
    /// says: the wording in force when the goal was rated, of the goal as last set. (A rewording
    /// of a goal never set, which the read model ignores, is not a wording; a goal set again
    /// starts its wordings anew.)
    static func export(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try arguments["case"].map { (raw: String) throws(CommandError) in
            try arguments.caseID(raw)
        }
        try context.checkOutput(arguments["out"], command: exportSpec.path)
        let format = arguments["format"]!
        let scan: StoreScan
        do {
            scan = try context.store().scan(
                keys: format != "jsonl", lines: format == "jsonl")
        } catch {
            throw .failure(context.describe(error))
        }
        context.reportProblems(scan.problems)
        if let caseID, !(0..<scan.count).contains(where: { scan.caseID($0) == caseID }) {
            throw context.unknownCase(caseID)
        }
        let catalogue = format == "jsonl" ? nil : try context.catalogue()
        try context.audit("export \(format)", caseID: caseID)
        var unread: StorageError?
        do {
            try context.emit(to: arguments["out"], command: exportSpec.path) {
                writer throws(FileOutputError) in
                do throws(StreamedExportError) {
                    guard let catalogue else {
                        try StreamedExport.writeLines(scan, caseID: caseID) { bytes throws(FileOutputError) in
                            try writer.write(bytes: bytes)
                        }
                        return
                    }
                    // Goals' wordings are shown in FHIR only (a table has none): their records are
                    // read again from the journals, not held since the scan.
                    let goalRecords: [Record]
                    do throws(StorageError) {
                        goalRecords = format == "fhir" ? try scan.records(of: .goal, caseID: caseID) : []
                    } catch {
                        throw .read(error)
                    }
                    let goals = CaseIndex(records: goalRecords)
                    let administrations = StoredAdministration.current(scan, caseID: caseID) {
                        caseID, goal, rated in
                        goals.goalWording(caseID: caseID, goal: goal, at: rated)
                    }
                    Phases.mark("select")
                    switch format {
                    case "csv", "csv-da":
                        let danish = format == "csv-da"
                        // The byte order mark tells Excel the file is UTF-8 (æ, ø, å); it reads CSV as ANSI otherwise.
                        if danish {
                            do throws(FileOutputError) {
                                try writer.write("\u{FEFF}")
                            } catch {
                                throw .output(error)
                            }
                        }
                        try AdministrationTable.write(
                            administrations, catalogue: catalogue, dialect: danish ? .danish : .standard,
                            to: writer)
                    default:
                        try ResponseExport.writeBundle(
                            administrations, catalogue: catalogue, language: context.language,
                            base: context.environment.variables["PEJLING_FHIR_BASE"], to: writer)
                    }
                } catch {
                    switch error {
                    case .output(let failure): throw failure
                    case .read(let failure):
                        // Stops the output (a file is not put in place); reported below.
                        unread = failure
                        throw .failed(path: arguments["out"] ?? "-", reason: "")
                    }
                }
            }
        } catch {
            if let unread { throw .failure(context.describe(unread)) }
            throw error
        }
        Phases.mark("write")
    }
}
