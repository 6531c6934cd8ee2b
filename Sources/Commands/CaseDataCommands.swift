import InstrumentModel
import Storage

/// `pejling check`, `pejling erase`, and `pejling export` of the store's records.
enum CaseDataCommands {
    static let checkSpec = CommandSpec(
        path: ["check"], abstract: "Report the store's health: files, records, cases, problems.",
        discussion: """
            Reads every journal and reports lines that are not records, with file and line. With
            --repair, such lines are moved to quarantine/ (never deleted) and each journal is rewritten
            atomically. Exits 65 when problems remain.
            """,
        options: [.flag("repair", "Move bad lines to quarantine/.")])

    static let eraseSpec = CommandSpec(
        path: ["erase"], abstract: "Erase everything held about one case (the right to erasure).",
        discussion: """
            Removes the case's records from every journal and quarantine file, rewriting each
            atomically, and leaves a marker holding only the case id, who and when, so a stale copy
            of a journal cannot bring the case back. Cannot be undone; asks for --yes.
            """,
        options: [.value("case", "ID", "The case to erase."), .flag("yes", "Confirm the erasure.")],
        required: ["case"])

    static let exportSpec = CommandSpec(
        path: ["export"], abstract: "Export records: one case (right of access) or the whole store.",
        discussion: """
            jsonl: the store's records exactly as stored (with --case: everything held about one citizen).
            """,
        options: [
            .value("case", "ID", "Only this case."),
            .value("format", "FORMAT", choices: ["jsonl"], "Output format."),
            .value("out", "FILE", "Write to FILE (created private, 0600) instead of standard output."),
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
            throw .failure(error.localizedDescription)
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
        for problem in health.problems { context.console.writeLine("  " + problem.description) }
        throw .data(
            t(
                "\(health.problems.count) problemer i databasen.",
                "\(health.problems.count) problems in the store."))
    }

    static func erase(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try context.caseID(arguments["case"], command: eraseSpec.path)
        guard arguments.has("yes") else {
            throw .usage(
                "Erasing \(caseID) removes every answer, comment and goal held about the case and cannot be undone. Add --yes to confirm.",
                command: eraseSpec.path)
        }
        let report: ErasureReport
        do {
            report = try context.store().erase(caseID: caseID)
        } catch {
            throw .failure(error.localizedDescription)
        }
        try context.audit("erase", caseID: caseID)
        let count = report.removed.values.reduce(0, +)
        context.console.writeLine(
            context.text(
                "Slettet: \(count) poster om \(caseID) fra \(report.removed.count) filer. En markering uden svar er efterladt.",
                "Erased: \(count) records about \(caseID) from \(report.removed.count) files. A marker holding no answers was left."
            ))
    }

    static func export(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try arguments["case"].map { (raw: String) throws(CommandError) in
            try context.caseID(raw, command: exportSpec.path)
        }
        let records = try context.readStore().records.filter { caseID == nil || $0.caseID == caseID }
        if let caseID, records.isEmpty {
            throw .failure(
                context.text(
                    "Databasen har intet om sagen '\(caseID)'.",
                    "The store holds nothing about the case '\(caseID)'."))
        }
        try context.audit("export \(arguments["format"]!)", caseID: caseID)
        try context.emit(records.map { $0.encodedLine() + "\n" }.joined(), to: arguments["out"])
    }
}
