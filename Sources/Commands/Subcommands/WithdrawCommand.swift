import Progression
import Storage

/// Finds a case's administration by the start of its record id.
enum RecordLookup {
    static func reading(
        _ prefix: String, in history: CaseHistory?, instrument: String?, context: Context, command: [String]
    )
        throws(CommandError) -> Reading
    {
        let readings = (history?.readings ?? []).filter { instrument == nil || $0.instrument == instrument }
        guard prefix.count >= 4 else {
            throw .usage(
                context.text(
                    "Id'et '\(prefix)' er for kort: giv mindst de første 4 tegn af besvarelsens id. Se id'erne med 'pejling history --case ID'.",
                    "The id '\(prefix)' is too short: give at least the first 4 characters of the record id. See the ids with 'pejling history --case ID'."
                ), command: command)
        }
        let matches = readings.filter { $0.id.hasPrefix(prefix.lowercased()) }
        guard matches.count == 1 else {
            let reason =
                matches.isEmpty
                ? context.text(
                    "Ingen besvarelse på sagen begynder med id'et '\(prefix)'.",
                    "No administration of the case has an id starting with '\(prefix)'.")
                : context.text(
                    "Flere besvarelser begynder med '\(prefix)'; skriv mere af id'et.",
                    "Several administrations start with '\(prefix)'; give more of the id.")
            throw .usage(
                reason
                    + context.text(
                        " Se id'erne med 'pejling history --case ID'.",
                        " See the ids with 'pejling history --case ID'."), command: command)
        }
        return matches[0]
    }
}

/// `pejling withdraw`: take back an administration entered by mistake, keeping it in the journal.
enum WithdrawCommand {
    static let spec = CommandSpec(
        path: ["withdraw"],
        abstract: HelpText(
            da: "Træk en fejlagtigt indtastet besvarelse tilbage (den bliver i journalen).",
            en: "Withdraw an administration entered by mistake (it stays in the journal)."),
        discussion: HelpText(
            da: """
                Besvarelsen udelades af diagrammer, flag og rapporter fra nu af; journalen beholder den og
                tilbagetrækningen, så intet går tabt, og historikken kan følges. Vil du i stedet erstatte
                forkerte svar, så brug 'pejling ask INSTRUMENT --case ID --corrects RECORD-ID'.
                """,
            en: """
                The administration is left out of charts, flags and reports from then on; the journal keeps
                it and the withdrawal, so nothing is lost and the history can be followed. To replace wrong
                answers instead, use 'pejling ask INSTRUMENT --case ID --corrects RECORD-ID'.
                """),
        options: [
            .value("case", "ID", HelpText(da: "Sagen.", en: "The case.")),
            .value(
                "record", "RECORD-ID",
                HelpText(
                    da: "Besvarelsen (ID'et fra 'pejling history').",
                    en: "The administration (the ID from 'pejling history').")),
            .value("reason", "TEXT", HelpText(da: "Hvorfor, med få ord.", en: "Why, in a few words.")),
        ], required: ["case", "record"])

    static let command = Pejling.Command(spec: spec, handler: run)

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try arguments.caseID()
        let reason = try arguments.text("reason", rule: .note)
        let history = CaseIndex(
            records: try context.readStore(answers: false).records.filter { $0.caseID == caseID }
        ).history(of: caseID)
        let reading = try RecordLookup.reading(
            arguments["record"]!, in: history, instrument: nil, context: context, command: spec.path)
        let saved: Record
        do {
            saved = try context.store().append(
                .withdrawal(target: reading.id, reason: reason), caseID: caseID)
        } catch {
            throw .failure(context.describe(error))
        }
        try context.auditChange(
            "withdraw", caseID: caseID,
            done: (
                "Tilbagetrækningen er gemt (post \(saved.id)).",
                "The withdrawal was saved (record \(saved.id))."
            ))
        context.console.writeLine(
            context.text(
                "Trukket tilbage: \(reading.instrument.uppercased()) \(reading.day) (\(reading.id.prefix(8))). Den står stadig i journalen.",
                "Withdrawn: \(reading.instrument.uppercased()) \(reading.day) (\(reading.id.prefix(8))). It stays in the journal."
            ))
    }
}
