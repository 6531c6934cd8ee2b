import Administration
import Foundation
import InstrumentModel
import Progression
import Storage

/// `pejling ask INSTRUMENT --case ID`: administer an instrument and save the answers.
enum AskCommand {
    static let spec = CommandSpec(
        path: ["ask"], abstract: "Ask an instrument and save the answers to the store.",
        discussion: """
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
            """,
        positionals: "<instrument>",
        positionalHelp: [
            ("<instrument>", "The instrument's id: ors, srs, cors, csrs, brief-inspire-o, gbo, …")
        ],
        options: [
            .value("case", "ID", "The citizen's pseudonymous case id (never a CPR number)."),
            .value("worker", "ID", "The worker's id (default: the user name)."),
            .value(
                "respondent", "WHO", choices: ["citizen", "worker", "relative"],
                "Who answers; citizen means the citizen scores themselves\nand then sees their own result and trend."
            ),
            .value(
                "date", "DATE",
                "The meeting's date, for a paper form from an earlier meeting\n(YYYY-MM-DD; default today)."),
            .value(
                "answers", "A,B,...", "All answers at once, in item order (empty skips an optional item)."),
            .value("comment", "TEXT", "A comment in the citizen's own words."),
            .value("age", "YEARS", "The citizen's age, for age-banded cut-offs (ORS: 13–17 vs 18+)."),
            .repeated(
                "goal", "TEXT", "A goal in the citizen's own words (GBO, first time, without prompts)."),
            .value(
                "corrects", "RECORD-ID",
                "Replace an earlier administration of this case and instrument\n(the ID from 'pejling history'); the original is kept in the journal."
            ),
            .flag("accessible", "Numbered plain prompts only (also ACCESSIBLE=1)."),
            .value(
                "format", "FORMAT", choices: ["text", "json"], "Output after saving (json: the saved record)."
            ),
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
                "The date \(day) is in the future. Give the date of the meeting that took place.",
                command: spec.path)
        }
        var age: Int?
        if let raw = arguments["age"] {
            guard let value = Int(raw), (0...120).contains(value) else {
                throw .usage("The age '\(raw)' is not a number of years from 0 to 120.", command: spec.path)
            }
            age = value
        }
        if !instrument.respondents.contains(respondent) {
            let allowed = instrument.respondents.map(\.rawValue).joined(separator: ", ")
            throw .usage(
                "\(instrument.abbreviation) is answered by \(allowed), not by a \(respondent.rawValue).",
                command: spec.path)
        }
        let worker = arguments["worker"] ?? context.environment.userName
        let store = context.store()
        // The case alone: its goals and earlier answers are all the questions need.
        let history = store.exists ? try context.storeView(caseID: caseID).cases[caseID] : nil
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
            context.console.writeError(
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
                throw .usage("--goal is for goal-based instruments such as gbo.", command: spec.path)
            }
            guard goals.isEmpty else {
                throw .usage(
                    "The case already has goals (\(goals.map(\.text).joined(separator: "; "))). Run 'pejling ask \(instrument.id) --case \(caseID)' to reword or retire them.",
                    command: spec.path)
            }
            guard goalTexts.count <= settings.maxGoals else {
                throw .usage(
                    "\(instrument.abbreviation) holds at most \(settings.maxGoals) goals.", command: spec.path
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
        var comment = arguments["comment"]
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
                        "The case has no goals yet. Give them with --goal \"…\" (one per goal), or run this in a terminal.",
                        command: spec.path)
                }
                throw .data(
                    context.text(
                        "Inputtet sluttede efter \(lines.count) af \(count) svar. Intet er gemt.",
                        "Input ended after \(lines.count) of \(count) answers. Nothing was saved."))
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
                    workerLed: !selfScoring), goals: goals, usedGoalIDs: usedGoalIDs)
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
            throw .data(error.description)
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
                error.localizedDescription + context.text(" Intet er gemt.", " Nothing was saved."))
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
        if let (view, learned) = try? context.caseView(caseID), let read = view.cases[caseID] {
            (caseHistory, engine) = (read, learned)
        } else {
            caseHistory = history.map { $0.adding(saved) } ?? StoreView(records: saved).cases[caseID]!
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
            context.console.write(
                chart.render(
                    [instrument], options: chart.options(width: try context.width(option: nil), height: 10)))
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
