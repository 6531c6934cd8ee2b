import Foundation
import InstrumentModel
import Interchange
import Storage
import Support

/// `pejling import FILE`: a FHIR Questionnaire as an instrument, or administrations from FHIR or CSV.
enum ImportCommand {
    static let spec = CommandSpec(
        path: ["import"],
        abstract: "Import an instrument (FHIR Questionnaire) or administrations (FHIR, CSV).",
        discussion: """
            What FILE holds decides what is imported:

            A FHIR R4 Questionnaire becomes an instrument file <id>.json in the organisation's
            instrument folder (--instruments DIR or PEJLING_INSTRUMENTS). An existing file is never
            replaced, nor a shipped instrument. Parts Pejling cannot represent (conditional display,
            calculated expressions, value sets) are listed by linkId and stop the import; --lossy
            leaves them out.

            A FHIR QuestionnaireResponse, or a Bundle of them (as 'pejling export --format fhir'
            writes), becomes administrations of the instrument its questionnaire URL names. Answers
            are read by linkId and scores recomputed; a total Observation that disagrees is reported,
            and the recomputed total imported.

            A CSV file in the layout of 'pejling export --format csv' or csv-da (found from the
            header) becomes administrations: paper forms typed in bulk. Leave the id column empty
            for new rows. Every row is checked (instrument, case id, date, every answer) and every
            problem reported by row and column.

            Nothing is written unless everything is valid. Records keep the ids the file carries, and
            ids already in the store are skipped, so importing a file twice adds nothing. --dry-run
            shows what would be written.

            EXAMPLES:
              pejling --instruments ./instrumenter import phq-9.questionnaire.json
              pejling import export.fhir.json --dry-run
              pejling import paper-forms.csv
            """,
        positionals: "<file>",
        positionalHelp: [
            ("<file>", "A FHIR JSON resource (Questionnaire, QuestionnaireResponse, Bundle) or CSV.")
        ],
        options: [
            .flag("dry-run", "Check and show what would be written; write nothing."),
            .flag("lossy", "Import a Questionnaire leaving out what cannot be represented."),
        ], positionalCount: 1...1)

    static let command = Pejling.Command(spec: spec, handler: run)

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let path = arguments.positionals[0]
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .failure(
                "Cannot read \(path): \(error.localizedDescription). Check the path and that it is UTF-8.")
        }
        let start = text.first { !$0.isWhitespace && $0 != "\u{FEFF}" }
        guard start == "{" else {
            let facts = try storeFacts(context)
            try importRecords(
                try table(text, path: path, context: context, held: facts.held), path: path, context,
                arguments,
                existing: facts.ids)
            return
        }
        let resource: JSONValue
        do {
            resource = try JSONParser.parse(text).root
        } catch {
            throw .data("\(path): \(error.position): \(error.message). The file is not JSON.")
        }
        if resource["resourceType"] == "Questionnaire" {
            try importQuestionnaire(resource, path: path, context, arguments)
            return
        }
        let imported: RecordImport
        let facts = try storeFacts(context)
        let setting = try setting(context, held: facts.held)
        do {
            imported = try ResponseImport.records(from: resource, setting: setting)
        } catch {
            throw problems(error, path: path, context)
        }
        try importRecords(imported, path: path, context, arguments, existing: facts.ids)
    }

    private static func table(_ text: String, path: String, context: Context, held: Set<String>)
        throws(CommandError)
        -> RecordImport
    {
        let rows: [[String]]
        do {
            rows = try CSVReader.rows(text, separator: CSVReader.separator(of: text))
        } catch {
            throw .data(
                "\(path): the quoted field starting on line \(error.line) is never closed. Check the quotes, or that the file is CSV."
            )
        }
        let setting = try setting(context, held: held)
        do {
            return try AdministrationTable.records(rows, setting: setting)
        } catch {
            throw problems(error, path: path, context)
        }
    }

    /// What the store already holds, read once: the goals set per case and every record id.
    private static func storeFacts(_ context: Context) throws(CommandError) -> (
        held: Set<String>, ids: Set<String>
    ) {
        guard context.store().exists else { return ([], []) }
        var held = Set<String>()
        var ids = Set<String>()
        for record in try context.readStore(answers: false).records {
            ids.insert(record.id)
            if case .goal(let goal) = record.body, goal.action == .set {
                held.insert("\(record.caseID)/\(goal.instrument)/\(goal.goal)")
            }
        }
        return (held, ids)
    }

    private static func setting(_ context: Context, held: Set<String>) throws(CommandError)
        -> RecordImport.Setting
    {
        RecordImport.Setting(
            catalogue: try context.catalogue(), language: context.language, writer: context.writer,
            now: context.environment.now(), heldGoals: held)
    }

    private static func problems(_ error: RecordImportError, path: String, _ context: Context) -> CommandError
    {
        let count = error.problems.count
        return .data(
            context.text(
                "\(count) problem\(count == 1 ? "" : "er") i \(path); intet er importeret:",
                "\(count) problem\(count == 1 ? "" : "s") in \(path); nothing was imported:")
                + error.problems.map { "\n  " + $0.description }.joined())
    }

    private static func importRecords(
        _ imported: RecordImport, path: String, _ context: Context, _ arguments: ParsedArguments,
        existing: Set<String>
    ) throws(CommandError) {
        for warning in imported.warnings {
            context.console.writeError(context.text("Advarsel: ", "Warning: ") + warning + "\n")
        }
        let store = context.store()
        let fresh = imported.records.filter { !existing.contains($0.id) }
        let known = imported.records.count - fresh.count
        let summary = RecordImport(records: fresh, warnings: [])
        let administrations = summary.counts.reduce(0) { $0 + $1.count }
        let dryRun = arguments.has("dry-run")
        if !dryRun {
            do {
                try store.append(records: fresh)
            } catch {
                throw .failure(
                    error.localizedDescription
                        + context.text(" Intet er importeret.", " Nothing was imported."))
            }
            let cases = Set(fresh.map(\.caseID))
            try context.auditChange(
                "import", caseID: cases.count == 1 ? cases.first : nil,
                done: (
                    "\(fresh.count) poster fra \(path) er importeret.",
                    "\(fresh.count) records from \(path) were imported."
                ))
        }
        context.console.writeLine(
            dryRun
                ? context.text(
                    "Prøvekørsel: \(administrations) besvarelser ville blive importeret fra \(path); intet er skrevet.",
                    "Dry run: \(administrations) administrations would be imported from \(path); nothing was written."
                )
                : context.text(
                    "Importeret: \(administrations) besvarelser fra \(path).",
                    "Imported: \(administrations) administrations from \(path)."))
        if fresh.count > administrations {
            context.console.writeLine(
                context.text(
                    "Og \(fresh.count - administrations) mål med deres ordlyd.",
                    "And \(fresh.count - administrations) goals with their wording."))
        }
        for row in summary.counts {
            context.console.writeLine("  \(row.instrument.padding(16))\(row.caseID.padding(20))\(row.count)")
        }
        if known > 0 {
            context.console.writeLine(
                context.text(
                    "\(known) poster findes allerede i databasen og er sprunget over.",
                    "\(known) records are already in the store and were skipped."))
        }
    }

    private static func importQuestionnaire(
        _ resource: JSONValue, path: String, _ context: Context, _ arguments: ParsedArguments
    ) throws(CommandError) {
        guard let directory = context.instrumentsDirectory else {
            throw .usage(
                "A Questionnaire becomes an instrument file in the organisation's instrument folder: give --instruments DIR (or set PEJLING_INSTRUMENTS).",
                command: spec.path)
        }
        let result: QuestionnaireImport.Result
        do {
            result = try QuestionnaireImport.instrument(
                from: resource, file: path, lossy: arguments.has("lossy"))
        } catch {
            throw .data(error.description)
        }
        let instrument = result.instrument
        if ShippedInstruments.ids.contains(instrument.id) {
            throw .failure(
                "\(path) has the id '\(instrument.id)', a shipped instrument; an organisation file with that id would replace it. Give the Questionnaire another id."
            )
        }
        let text = InstrumentWriter.json(instrument).rendered() + "\n"
        do {
            _ = try InstrumentReader.read(text, file: path)
        } catch {
            throw .data(error.description)
        }
        let target = (directory as NSString).appendingPathComponent("\(instrument.id).json")
        if FileManager.default.fileExists(atPath: target) {
            throw .failure(
                "\(target) already exists, and import never replaces an instrument file. Remove or rename it first if the Questionnaire should replace it."
            )
        }
        for loss in result.losses {
            context.console.writeError(context.text("Udeladt: ", "Left out: ") + loss.description + "\n")
        }
        let summary = "\(instrument.abbreviation) (\(instrument.id), \(instrument.items.count) items)"
        guard !arguments.has("dry-run") else {
            context.console.writeLine(
                "Dry run: \(summary) would be written to \(target); nothing was written.")
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileOutput.write(text, to: target)
        } catch let error as FileOutputError {
            throw .failure(error.localizedDescription)
        } catch {
            throw .failure(
                "Cannot create the folder \(directory): \(error.localizedDescription). Check you may write there."
            )
        }
        context.console.writeLine("Imported: \(summary) to \(target).")
        context.console.writeLine(
            "Ask it with: pejling --instruments \(directory) ask \(instrument.id) --case ID")
    }
}
