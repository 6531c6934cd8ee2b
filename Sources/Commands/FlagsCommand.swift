import InstrumentModel
import Progression
import Storage

/// `pejling flags` and `pejling decide`.
enum FlagsCommand {
    static let flagsSpec = CommandSpec(
        path: ["flags"], abstract: "List open flags: cases whose support plan may need adjusting.",
        discussion: """
            A flag is a prompt for a conversation, never a decision. Each shows its evidence in
            numbers, the reason, a question to ask, and the practice principle it serves. It stays
            open until a worker records a decision with 'pejling decide'.
            """,
        options: [
            .value("case", "ID", "Only this case."),
            .flag("all", "Include decided flags."),
            .value("format", "FORMAT", choices: ["text", "json"], "Output format (default text)."),
        ])

    static let decideSpec = CommandSpec(
        path: ["decide"], abstract: "Record the decision on a flag (KL Fælles Sprog III E1–E4); closes it.",
        discussion: """
            Outcomes: continue (E1, fortsættes), adjust (E2, ændres inden for rammen),
            end (E3, afsluttes), reassess (E4, revisitation).
            """,
        options: [
            .value("case", "ID", "The case."),
            .value("flag", "FLAG-ID", "The flag, as 'pejling flags' shows it."),
            .value("outcome", "OUTCOME", choices: FollowUpOutcome.allCases.map(\.rawValue), "The decision."),
            .value("note", "TEXT", "What was decided, in a few words."),
            .value("worker", "ID", "Who decided (default: the user name)."),
        ], required: ["case", "flag", "outcome"])

    static let commands = [
        Pejling.Command(spec: flagsSpec, handler: list), Pejling.Command(spec: decideSpec, handler: decide),
    ]

    static func list(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseFilter = try arguments["case"].map { (raw: String) throws(CommandError) in
            try context.caseID(raw, command: flagsSpec.path)
        }
        let shown = { (flag: Flag) in arguments.has("all") || flag.isOpen }
        var flags: [Flag] = []
        if let caseFilter {
            let (view, engine) = try context.caseView(caseFilter)
            flags = view.cases[caseFilter].map { engine.flags(for: $0).filter(shown) } ?? []
            try context.audit("flags", caseID: caseFilter)
            if view.cases[caseFilter] == nil { throw context.unknownCase(caseFilter) }
        } else {
            // Each case's history is made while its flags are found, on every core.
            let (source, engine) = try context.reportSource()
            let count = source.caseIDs.count
            let runs = max(1, min(count, 64))
            flags = parallelMap(runs) { run in
                stride(from: run, to: count, by: runs).flatMap {
                    engine.flags(for: source.history($0)).filter(shown)
                }
            }.flatMap { $0 }
            try context.audit("flags", caseID: nil)
        }
        // Longest open first: the ones waiting longest for a conversation.
        flags.sort { ($0.since, $0.caseID, $0.id) < ($1.since, $1.caseID, $1.id) }
        context.keepUntilExit(flags)
        if arguments["format"] == "json" {
            context.console.writeLine(JSONValue.array(flags.map(json)).rendered())
            return
        }
        guard !flags.isEmpty else {
            context.console.writeLine(context.text("Ingen åbne flag.", "No open flags."))
            return
        }
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
            context.console.writeLine(head)
            let lines = [
                flag.reason[lang]
                    + (flag.unverified
                        ? context.text(" (tærsklen er ikke bekræftet)", " (threshold unverified)") : ""),
                flag.evidence[lang], context.text("Spørg: ", "Ask: ") + flag.question[lang],
                context.text("Princip \(flag.principle.rawValue): ", "Principle \(flag.principle.rawValue): ")
                    + flag.principle.text[lang],
            ]
            for line in lines { context.console.writeLine(wrap("  " + line, width: width, indent: "    ")) }
            context.console.writeLine()
        }
        let open = flags.filter(\.isOpen).count
        context.console.writeLine(
            context.text(
                (open == 1 ? "1 åbent flag" : "\(open) åbne flag")
                    + ". Luk et med 'pejling decide --case ID --flag FLAG-ID --outcome …'.",
                (open == 1 ? "1 open flag" : "\(open) open flags")
                    + ". Close one with 'pejling decide --case ID --flag FLAG-ID --outcome …'."))
    }

    static func json(_ flag: Flag) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(flag.id)), ("case", .string(flag.caseID)),
            ("instrument", .string(flag.instrument)),
            ("rule", .string(flag.rule)), ("goal", .optional(flag.goal)),
            ("since", .string(flag.since.description)),
            ("latest", .string(flag.latest.description)), ("open", .bool(flag.isOpen)),
            ("stillHolds", .bool(flag.stillHolds)),
            ("unverified", .bool(flag.unverified)),
            ("evidence", InstrumentWriter.text(flag.evidence)),
            ("reason", InstrumentWriter.text(flag.reason)),
            ("question", InstrumentWriter.text(flag.question)),
            (
                "principle",
                [
                    "number": .number(Double(flag.principle.rawValue)),
                    "text": InstrumentWriter.text(flag.principle.text),
                ]
            ),
        ]
        if let decision = flag.decision {
            members.append(
                (
                    "decision",
                    [
                        "outcome": .string(decision.outcome.rawValue), "code": .string(decision.outcome.code),
                        "note": .optional(decision.note), "worker": .optional(decision.worker),
                    ]
                ))
        }
        return .object(members)
    }

    static func decide(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try context.caseID(arguments["case"], command: decideSpec.path)
        let flagID = arguments["flag"]!
        let outcome = FollowUpOutcome(rawValue: arguments["outcome"]!)!
        let (view, engine) = try context.caseView(caseID)
        let history = try context.history(caseID, in: view)
        let flags = engine.flags(for: history)
        guard let flag = flags.first(where: { $0.id == flagID }) else {
            let open = flags.filter(\.isOpen).map(\.id)
            throw .usage(
                "The case \(caseID) has no flag \(flagID)."
                    + (open.isEmpty
                        ? " It has no open flags." : " Its open flags: \(open.joined(separator: ", ")).")
                    + " Run 'pejling flags --case \(caseID)'.", command: decideSpec.path)
        }
        if let decision = flag.decision {
            throw .usage(
                "The flag \(flagID) was already decided (\(decision.outcome.code) \(decision.outcome.rawValue)). A new flag opens if the condition shows again.",
                command: decideSpec.path)
        }
        let body = RecordBody.decision(
            DecisionRecord(
                flag: flagID, outcome: outcome.rawValue, note: arguments["note"],
                worker: arguments["worker"] ?? context.environment.userName))
        let saved: Record
        do {
            saved = try context.store().append(body, caseID: caseID)
        } catch {
            throw .failure(error.localizedDescription)
        }
        try context.auditChange(
            "decide", caseID: caseID,
            done: (
                "Beslutningen er gemt (post \(saved.id)).", "The decision was saved (record \(saved.id))."
            ))
        let label = context.language == .da ? outcome.label.da : outcome.label.en
        context.console.writeLine(
            context.text(
                "Beslutning gemt: \(outcome.code) \(label). Flaget \(flagID) er lukket.",
                "Decision saved: \(outcome.code) \(label). The flag \(flagID) is closed."))
    }
}
