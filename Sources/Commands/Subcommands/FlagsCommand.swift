import InstrumentModel
import Progression
import Storage
import Support

/// `pejling flags` and `pejling decide`.
enum FlagsCommand {
    static let flagsSpec = CommandSpec(
        path: ["flags"],
        abstract: HelpText(
            da: "Vis åbne flag: sager, hvor indsatsen måske skal justeres.",
            en: "List open flags: cases whose support plan may need adjusting."),
        discussion: HelpText(
            da: """
                Et flag er en anledning til en samtale, aldrig en beslutning. Hvert viser sit grundlag i
                tal, grunden, et spørgsmål at stille og det princip i praksis, det tjener. Det står åbent,
                indtil en medarbejder registrerer en beslutning med 'pejling decide'. Med --format json står
                hver regels tekster én gang under "rules", og hvert flag nævner sin regel med "ruleKey".
                """,
            en: """
                A flag is a prompt for a conversation, never a decision. Each shows its evidence in
                numbers, the reason, a question to ask, and the practice principle it serves. It stays
                open until a worker records a decision with 'pejling decide'. With --format json, each
                rule's texts are given once under "rules", and each flag names its rule by "ruleKey".
                """),
        options: [
            .value("case", "ID", HelpText(da: "Kun denne sag.", en: "Only this case.")),
            .flag("all", HelpText(da: "Tag også besluttede flag med.", en: "Include decided flags.")),
            .value(
                "format", "FORMAT", choices: ["text", "json"],
                HelpText(da: "Outputformat (standard text).", en: "Output format (default text).")),
        ])

    static let decideSpec = CommandSpec(
        path: ["decide"],
        abstract: HelpText(
            da: "Registrér beslutningen om et flag (KL Fælles Sprog III E1–E4); lukker det.",
            en: "Record the decision on a flag (KL Fælles Sprog III E1–E4); closes it."),
        discussion: HelpText(
            da: """
                Beslutninger: continue (E1, fortsættes), adjust (E2, ændres inden for rammen),
                end (E3, afsluttes), reassess (E4, revisitation). Giv ét flag med --flag, eller --cleared
                for alle sagens åbne flag, som en senere måling ikke længere viser: medarbejderen beslutter
                stadig, én gang for dem alle.
                """,
            en: """
                Outcomes: continue (E1, fortsættes), adjust (E2, ændres inden for rammen),
                end (E3, afsluttes), reassess (E4, revisitation). Give one flag with --flag, or
                --cleared for every open flag of the case whose condition a later measurement no longer
                shows: the worker still decides, once for all of them.
                """),
        options: [
            .value("case", "ID", HelpText(da: "Sagen.", en: "The case.")),
            .value(
                "flag", "FLAG-ID",
                HelpText(
                    da: "Flaget, som 'pejling flags' viser det.", en: "The flag, as 'pejling flags' shows it."
                )),
            .flag(
                "cleared",
                HelpText(
                    da: "Alle sagens åbne flag, som en senere måling har gjort uaktuelle.",
                    en: "Every open flag of the case that a later measurement cleared.")),
            .value(
                "outcome", "OUTCOME", choices: FollowUpOutcome.allCases.map(\.rawValue),
                HelpText(da: "Beslutningen.", en: "The decision.")),
            .value(
                "note", "TEXT",
                HelpText(da: "Hvad der blev besluttet, med få ord.", en: "What was decided, in a few words.")),
            .value(
                "worker", "ID",
                HelpText(
                    da: "Hvem besluttede (standard: brugernavnet).",
                    en: "Who decided (default: the user name).")),
        ], required: ["case", "outcome"])

    static let commands = [
        Pejling.Command(spec: flagsSpec, handler: list), Pejling.Command(spec: decideSpec, handler: decide),
    ]

    static func list(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseFilter = try arguments["case"].map { (raw: String) throws(CommandError) in
            try arguments.caseID(raw)
        }
        let all = arguments.has("all")
        let flags: FlagList
        if let caseFilter {
            let (index, engine) = try context.caseView(caseFilter)
            let history = index.history(of: caseFilter)
            try context.audit("flags", caseID: caseFilter)
            guard let history else { throw context.unknownCase(caseFilter) }
            flags = engine.flags(of: history, openOnly: !all)
        } else {
            // Each case's history is made while its flags are found, on every core.
            let (index, engine) = try context.reportIndex()
            flags = engine.flags(of: index, openOnly: !all)
            Phases.mark("flags")
            try context.audit("flags", caseID: nil)
        }
        context.keepUntilExit(flags)
        if arguments["format"] == "json" {
            try context.emitJSON(command: flagsSpec.path) { stream throws(FileOutputError) in
                try FlagListJSON.writeDocument(flags, into: &stream)
            }
            Phases.mark("render")
            return
        }
        guard !flags.isEmpty else {
            context.console.writeLine(context.text("Ingen åbne flag.", "No open flags."))
            return
        }
        try show(flags, context)
    }

    /// Each flag with its reason, evidence, question and principle, then how many are open.
    private static func show(_ flags: FlagList, _ context: Context) throws(CommandError) {
        let lang = context.language
        let width = try context.width(option: nil)
        for flag in flags {
            let days = context.today - flag.since
            var head =
                "\(flag.id)  \(flag.caseID)  \(flag.instrument.uppercased())  "
                + context.text("siden \(flag.since) (\(days) dage)", "since \(flag.since) (\(days) days)")
            if let decision = flag.decision {
                head +=
                    "  " + context.text("besluttet: ", "decided: ")
                    + "\(decision.outcome.code) \(lang == .da ? decision.outcome.label.da : decision.outcome.label.en)"
            }
            context.console.writeLine(TerminalText.sanitized(head))
            if flag.isOpenButCleared, let day = flag.clearedOn {
                context.console.writeLine(
                    wrap(
                        "  "
                            + context.text(
                                "Ikke længere aktuelt: målingen \(day) viser det ikke mere. Beslut, om planen stadig skal ændres.",
                                "Cleared by the measurement of \(day): it no longer shows the condition. Decide whether the plan still needs a change."
                            ), width: width, indent: "    "))
            }
            let lines = [
                flag.reason[lang]
                    + (flag.unverified
                        ? context.text(" (tærsklen er ikke bekræftet)", " (threshold unverified)") : ""),
                flag.evidence[lang], context.text("Spørg: ", "Ask: ") + flag.question[lang],
                context.text("Princip \(flag.principle.rawValue): ", "Principle \(flag.principle.rawValue): ")
                    + flag.principle.text[lang],
            ]
            for line in lines {
                context.console.writeLine(
                    wrap("  " + TerminalText.sanitized(line), width: width, indent: "    "))
            }
            context.console.writeLine()
        }
        let open = flags.filter(\.isOpen).count
        let cleared = flags.filter(\.isOpenButCleared).count
        context.console.writeLine(
            context.text(
                (open == 1 ? "1 åbent flag" : "\(open) åbne flag")
                    + ". Luk et med 'pejling decide --case ID --flag FLAG-ID --outcome …'.",
                (open == 1 ? "1 open flag" : "\(open) open flags")
                    + ". Close one with 'pejling decide --case ID --flag FLAG-ID --outcome …'."))
        if cleared > 0 {
            context.console.writeLine(
                context.text(
                    "\(cleared) af dem er ikke længere aktuelle; luk en sags på én gang med 'pejling decide --case ID --cleared --outcome …'.",
                    "\(cleared) of them \(cleared == 1 ? "is" : "are") cleared by a later measurement; close a case's at once with 'pejling decide --case ID --cleared --outcome …'."
                ))
        }
    }

    static func decide(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try arguments.caseID()
        guard (arguments["flag"] == nil) != !arguments.has("cleared") else {
            throw .usage(
                context.text(
                    "Giv enten --flag FLAG-ID eller --cleared.", "Give either --flag FLAG-ID or --cleared."),
                command: decideSpec.path)
        }
        let request = RecordDecision.Request(
            caseID: caseID, flag: arguments["flag"],
            // Required, so the parser saw it.
            outcome: arguments.choice("outcome")!, note: try arguments.text("note", rule: .note),
            worker: try arguments.text(
                arguments["worker"] ?? context.environment.userName, name: "worker", rule: .workerID))
        let (outcome, chosen) = (request.outcome, try RecordDecision.record(request, context: context).closed)
        let label = context.language == .da ? outcome.label.da : outcome.label.en
        context.console.writeLine(
            context.text(
                "Beslutning gemt: \(outcome.code) \(label). "
                    + (chosen.count == 1
                        ? "Flaget \(chosen[0].id) er lukket." : "\(chosen.count) flag er lukket."),
                "Decision saved: \(outcome.code) \(label). "
                    + (chosen.count == 1
                        ? "The flag \(chosen[0].id) is closed." : "\(chosen.count) flags are closed.")))
    }
}
