import Administration
import Foundation
import InstrumentModel
import Progression
import Storage
import Support

/// `pejling ask INSTRUMENT --case ID`: administer an instrument and save the answers.
enum AskCommand {
    static let spec = CommandSpec(
        path: ["ask"],
        abstract: HelpText(
            da: "Stil et instruments spørgsmål og gem svarene i databasen.",
            en: "Ask an instrument and save the answers to the store."),
        discussion: HelpText(
            da: """
                Stiller ét spørgsmål ad gangen: ? viser hjælp, < går tilbage, Enter beholder et vist svar.
                Intet gemmes, før svarene er bekræftet til sidst; Ctrl-D eller Ctrl-C stopper uden at
                gemme. Med --answers, eller med svar sendt ind på standardinput ét pr. linje, tjekkes hvert
                svar på samme måde, og intet gemmes, medmindre alle er gyldige.

                Skalaer tager 7, 7.5 eller 7,5. I --answers adskilles svarene med kommaer, eller med
                semikoloner, når svarene bruger decimalkomma: --answers "4,2;5;3,8;6,1".

                EKSEMPLER:
                  pejling ask ors --case K-0042
                  pejling ask srs --case K-0042 --respondent citizen --lang da
                  pejling ask ors --case K-0042 --date 2026-03-02 --answers 4.2,5,3.8,6.1
                  printf '4.2\\n5\\n3.8\\n6.1\\n' | pejling ask ors --case K-0042
                  pejling ask gbo --case K-0042 --goal "Sove igennem natten" --answers 3
                """,
            en: """
                Asks one question at a time: ? shows help, < goes back, Enter keeps a shown answer.
                Nothing is saved until the answers are confirmed at the end; Ctrl-D or Ctrl-C stops
                without saving. With --answers, or answers piped on standard input one per line, every
                answer is checked the same way and nothing is saved unless all are valid.

                Scales take 7, 7.5 or 7,5. In --answers, separate answers with commas, or with
                semicolons when the answers use decimal commas: --answers "4,2;5;3,8;6,1".

                EXAMPLES:
                  pejling ask ors --case K-0042
                  pejling ask srs --case K-0042 --respondent citizen --lang da
                  pejling ask ors --case K-0042 --date 2026-03-02 --answers 4.2,5,3.8,6.1
                  printf '4.2\\n5\\n3.8\\n6.1\\n' | pejling ask ors --case K-0042
                  pejling ask gbo --case K-0042 --goal "Sleep through the night" --answers 3
                """),
        positionals: "<instrument>",
        positionalHelp: [
            (
                "<instrument>",
                HelpText(
                    da: "Instrumentets id: ors, srs, cors, csrs, brief-inspire-o, gbo, …",
                    en: "The instrument's id: ors, srs, cors, csrs, brief-inspire-o, gbo, …")
            )
        ],
        options: [
            .value(
                "case", "ID",
                HelpText(
                    da: "Borgerens pseudonyme sags-id (aldrig et CPR-nummer).",
                    en: "The citizen's pseudonymous case id (never a CPR number).")),
            .value(
                "worker", "ID",
                HelpText(
                    da: "Medarbejderens id (standard: brugernavnet).",
                    en: "The worker's id (default: the user name).")),
            .value(
                "respondent", "WHO", choices: ["citizen", "worker", "relative"],
                HelpText(
                    da:
                        "Hvem svarer; citizen betyder, at borgeren selv svarer\nog derefter ser sit eget resultat og forløb.",
                    en:
                        "Who answers; citizen means the citizen scores themselves\nand then sees their own result and trend."
                )),
            .value(
                "date", "DATE",
                HelpText(
                    da: "Mødets dato, for et papirskema fra et tidligere møde\n(ÅÅÅÅ-MM-DD; standard i dag).",
                    en:
                        "The meeting's date, for a paper form from an earlier meeting\n(YYYY-MM-DD; default today)."
                )),
            .value(
                "answers", "A,B,...",
                HelpText(
                    da:
                        "Alle svar på én gang, i spørgsmålenes rækkefølge (tomt springer et frivilligt over).",
                    en: "All answers at once, in item order (empty skips an optional item).")),
            .value(
                "comment", "TEXT",
                HelpText(
                    da: "En kommentar med borgerens egne ord.", en: "A comment in the citizen's own words.")),
            .value(
                "age", "YEARS",
                HelpText(
                    da: "Borgerens alder, for aldersafhængige grænser (ORS: 13–17 mod 18+).",
                    en: "The citizen's age, for age-banded cut-offs (ORS: 13–17 vs 18+).")),
            .repeated(
                "goal", "TEXT",
                HelpText(
                    da: "Et mål med borgerens egne ord (GBO, første gang, uden spørgsmål).",
                    en: "A goal in the citizen's own words (GBO, first time, without prompts).")),
            .value(
                "corrects", "RECORD-ID",
                HelpText(
                    da:
                        "Erstat en tidligere besvarelse af dette instrument på sagen\n(ID'et fra 'pejling history'); originalen bliver i journalen.",
                    en:
                        "Replace an earlier administration of this case and instrument\n(the ID from 'pejling history'); the original is kept in the journal."
                )),
            .flag(
                "accessible",
                HelpText(
                    da: "Kun nummererede, enkle spørgsmål (også ACCESSIBLE=1).",
                    en: "Numbered plain prompts only (also ACCESSIBLE=1).")),
            .value(
                "format", "FORMAT", choices: ["text", "json"],
                HelpText(
                    da: "Output efter gemning (json: den gemte post).",
                    en: "Output after saving (json: the saved record).")),
        ], required: ["case"], positionalCount: 1...1)

    static let command = Pejling.Command(spec: spec, handler: run)

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let instrument = try context.instrument(arguments.positionals[0])
        let caseID = try context.caseID(arguments["case"], command: spec.path)
        let respondent = Respondent(rawValue: arguments["respondent"] ?? "citizen") ?? .citizen
        let selfScoring = arguments["respondent"] == "citizen"
        let today = context.today
        var day = try context.date(arguments["date"], option: "date", command: spec.path) ?? today
        guard day <= today else {
            throw .usage(
                context.text(
                    "Datoen \(day) ligger i fremtiden. Giv datoen for det møde, der fandt sted.",
                    "The date \(day) is in the future. Give the date of the meeting that took place."),
                command: spec.path)
        }
        var age: Int?
        if let raw = arguments["age"] {
            guard let value = Int(raw), (0...120).contains(value) else {
                throw .usage(
                    context.text(
                        "Alderen '\(raw)' er ikke et antal år fra 0 til 120.",
                        "The age '\(raw)' is not a number of years from 0 to 120."), command: spec.path)
            }
            age = value
        }
        if !instrument.respondents.contains(respondent) {
            let allowed = instrument.respondents.map(\.rawValue).joined(separator: ", ")
            throw .usage(
                context.text(
                    "\(instrument.abbreviation) besvares af \(allowed), ikke af --respondent \(respondent.rawValue).",
                    "\(instrument.abbreviation) is answered by \(allowed), not by a \(respondent.rawValue)."),
                command: spec.path)
        }
        let worker =
            try context.freeText(
                arguments["worker"] ?? context.environment.userName, option: "worker", rule: .workerID,
                command: spec.path) ?? ""
        var comment = try context.freeText(
            arguments["comment"], option: "comment", rule: .comment, command: spec.path)
        for text in arguments.lists["goal"] ?? [] {
            _ = try context.freeText(text, option: "goal", rule: .goal, command: spec.path)
        }
        let store = context.store()
        // The case alone: its goals and earlier answers are all the questions need.
        let history = store.exists ? try context.caseIndex(caseID: caseID).history(of: caseID) : nil
        var goals = (history?.currentGoals ?? []).filter { $0.instrument == instrument.id }.map {
            Goal(id: $0.id, text: $0.text)
        }
        let usedGoalIDs = Set((history?.goals ?? []).map(\.id))
        let corrected = try arguments["corrects"].map { (prefix: String) throws(CommandError) -> Reading in
            try RecordLookup.reading(
                prefix, in: history, instrument: instrument.id, context: context, command: spec.path)
        }
        // A correction keeps the meeting's date unless a new one is given.
        if let corrected, arguments["date"] == nil { day = corrected.day }
        if corrected == nil, history?.series(instrument.id).contains(where: { $0.day == day }) == true {
            // Said before the first question where someone answers at the prompts, so it can stop
            // them in time; on standard error for scripts, whose output stays the result alone.
            let atPrompts = context.console.isInteractive && arguments["answers"] == nil
            (atPrompts ? context.console.write : context.console.writeError)(
                context.text(
                    "Bemærk: \(caseID) har allerede \(instrument.abbreviation) den \(day); dette bliver en måling mere samme dag.\n",
                    "Note: \(caseID) already has \(instrument.abbreviation) on \(day); this adds another one that day.\n"
                ))
        }
        var goalChanges: [GoalChange] = []

        // Goals given on the command line (GBO, first time).
        let goalTexts = arguments.lists["goal"] ?? []
        if !goalTexts.isEmpty {
            guard let settings = instrument.goals else {
                throw .usage(
                    context.text(
                        "--goal er til målbaserede instrumenter som gbo.",
                        "--goal is for goal-based instruments such as gbo."),
                    command: spec.path)
            }
            guard goals.isEmpty else {
                throw .usage(
                    context.text(
                        "Sagen har allerede mål (\(goals.map(\.text).joined(separator: "; "))). Kør 'pejling ask \(instrument.id) --case \(caseID)' for at omformulere eller afslutte dem.",
                        "The case already has goals (\(goals.map(\.text).joined(separator: "; "))). Run 'pejling ask \(instrument.id) --case \(caseID)' to reword or retire them."
                    ),
                    command: spec.path)
            }
            guard goalTexts.count <= settings.maxGoals else {
                throw .usage(
                    context.text(
                        "\(instrument.abbreviation) rummer højst \(settings.maxGoals) mål.",
                        "\(instrument.abbreviation) holds at most \(settings.maxGoals) goals."),
                    command: spec.path
                )
            }
            let firstNumber = (usedGoalIDs.compactMap { Int($0.dropFirst()) }.max() ?? 0) + 1
            for (index, text) in goalTexts.enumerated() {
                let goal = Goal(id: "g\(firstNumber + index)", text: text)
                goals.append(goal)
                goalChanges.append(GoalChange(goal: goal.id, action: .set, text: text))
            }
        }

        let language = context.language
        let accessible =
            arguments.has("accessible") || !(context.environment.variables["ACCESSIBLE"] ?? "").isEmpty
        var answers: [String: ItemAnswer]
        if let list = arguments["answers"] {
            let separator: Character = list.contains(";") ? ";" : ","
            answers = try sheet(
                list.split(separator: separator, omittingEmptySubsequences: false).map(String.init),
                instrument, goals, language)
        } else if !context.console.isInteractive {
            let count = AnswerSheet.questions(instrument, goals: goals).count
            var lines: [String] = []
            while lines.count < max(count, 1), let line = context.console.readLine() { lines.append(line) }
            if lines.count < count || instrument.goals != nil && goals.isEmpty {
                if instrument.goals != nil && goals.isEmpty {
                    throw .usage(
                        context.text(
                            "Sagen har ingen mål endnu. Giv dem med --goal \"…\" (ét pr. mål), eller kør dette i en terminal.",
                            "The case has no goals yet. Give them with --goal \"…\" (one per goal), or run this in a terminal."
                        ),
                        command: spec.path)
                }
                throw .data(
                    context.text(
                        "Inputtet sluttede efter \(lines.count) af \(count) svar. Intet er gemt.",
                        "Input ended after \(lines.count) of \(count) answers. Nothing was saved."))
            }
            // All or nothing, as with --answers: more answers than questions is a mistake in the
            // script or the file (a line too many, answers for another instrument), not extra input.
            var extra = 0
            while let line = context.console.readLine() {
                if !line.trimmingCharacters(in: .whitespaces).isEmpty { extra += 1 }
            }
            if extra > 0 {
                throw .data(
                    context.text(
                        "Inputtet har \(count + extra) svar, men \(instrument.abbreviation) stiller \(count) spørgsmål. Intet er gemt.",
                        "Input holds \(count + extra) answers, but \(instrument.abbreviation) asks \(count) questions. Nothing was saved."
                    ))
            }
            answers = try sheet(lines, instrument, goals, language)
        } else {
            InterruptTrap.install(
                message: context.text("\nAfbrudt: intet er gemt.\n", "\nInterrupted: nothing was saved.\n"))
            var session = Session(
                instrument: instrument, console: context.console,
                options: SessionOptions(
                    language: language, respondent: respondent, accessible: accessible, age: age,
                    asksComment: comment == nil,
                    workerLed: !selfScoring,
                    // Screen readers read lines whole; a terminal breaks them mid-word.
                    width: accessible ? nil : try context.width(option: nil)),
                goals: goals, usedGoalIDs: usedGoalIDs)
            do {
                let result = try session.run()
                answers = result.answers
                comment = comment ?? result.comment
                goals = result.goals
                goalChanges += result.goalChanges
            } catch {
                throw .failure(
                    context.text(
                        "Inputtet sluttede før svarene blev gemt. Intet er gemt.",
                        "Input ended before the answers were saved. Nothing was saved."))
            }
        }

        let scores: ScoreResult
        do {
            scores = try Scorer.score(instrument, answers: answers)
        } catch {
            throw .data(error.message(context.language))
        }
        var scoreMap = scores.parts
        if let total = scores.total { scoreMap["total"] = total }
        let administration = AdministrationRecord(
            instrument: instrument.id, instrumentVersion: instrument.version, worker: worker,
            respondent: respondent.rawValue,
            date: day.description, answers: answers.mapValues(storedAnswer), scores: scoreMap,
            comment: comment, age: age)
        var batch: [(caseID: String, body: RecordBody)] = goalChanges.map { change in
            (
                caseID,
                .goal(
                    GoalRecord(
                        instrument: instrument.id, goal: change.goal,
                        action: GoalAction(rawValue: change.action.rawValue)!,
                        text: change.text))
            )
        }
        if let corrected {
            batch.append((caseID, .correction(target: corrected.id, replacement: administration)))
        } else {
            batch.append((caseID, .administration(administration)))
        }
        let saved: [Record]
        do {
            saved = try InterruptTrap.protect { () throws(StorageError) -> [Record] in
                try store.append(batch: batch)
            }
        } catch {
            throw .failure(
                context.describe(error) + context.text(" Intet er gemt.", " Nothing was saved."))
        }
        try context.auditChange(
            "ask \(instrument.id)", caseID: caseID,
            done: (
                "Svarene er gemt (post \(saved.last!.id)).",
                "The answers were saved (record \(saved.last!.id))."
            ))

        // The case as the store now holds it, and expected bands learned with this meeting's
        // answers; they are saved, so the chart that usually follows need not learn them again.
        // Should the store not read now, the answers are saved all the same: show them without bands.
        let caseHistory: CaseHistory
        let engine: FlagEngine
        if let (index, learned) = try? context.caseView(caseID), let read = index.history(of: caseID) {
            (caseHistory, engine) = (read, learned)
        } else {
            caseHistory = history.map { $0.adding(saved) } ?? CaseIndex(records: saved).history(of: caseID)!
            engine = FlagEngine(catalogue: try context.catalogue(), today: context.today)
        }
        // The flags this meeting's answers raise; "overdue" speaks of today, not of this meeting.
        let raised = engine.flags(for: caseHistory).filter {
            $0.isOpen && $0.latest == day && $0.rule != "overdue"
        }
        if arguments["format"] == "json" {
            let document: JSONValue = [
                "record": RecordJSON.value(saved.last!),
                "goals": .array(saved.dropLast().map(RecordJSON.value)),
                "flags": .array(raised.map { FlagsCommand.json($0) }),
            ]
            context.console.writeLine(document.rendered())
            return
        }
        ResultScreen(
            context: context, instrument: instrument, history: caseHistory, day: day, age: age, flags: raised
        )
        .show(selfScoring: selfScoring)
        if selfScoring && caseHistory.series(instrument.id).count > 1 {
            // The citizen's own chart: no flags (they are prompts for the worker) and no expected
            // band (it is drawn from other citizens' courses).
            let own = FlagEngine(catalogue: engine.catalogue, today: context.today)
            let chart = CaseChart(context: context, history: caseHistory, flags: [], engine: own)
            context.console.writeLine()
            let drawn = chart.render(
                [instrument], options: chart.options(width: try context.width(option: nil), height: 10))
            context.console.write(drawn.hasSuffix("\n") ? drawn : drawn + "\n")
        }
    }

    private static func sheet(
        _ values: [String], _ instrument: Instrument, _ goals: [Goal], _ language: Language
    )
        throws(CommandError) -> [String: ItemAnswer]
    {
        do {
            return try AnswerSheet.parse(values, instrument: instrument, goals: goals, language: language)
        } catch {
            throw .data(error.description + (language == .da ? "\nIntet er gemt." : "\nNothing was saved."))
        }
    }

    static func storedAnswer(_ answer: ItemAnswer) -> Answer {
        switch answer {
        case .number(let value): return .number(value)
        case .text(let words): return .text(words)
        case .skipped: return .skipped
        }
    }
}
