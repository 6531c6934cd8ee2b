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
        var meeting = try RecordMeeting(try request(context, arguments), context: context)
        if meeting.repeatsDay {
            // Said before the first question where someone answers at the prompts, so it can stop
            // them in time; on standard error for scripts, whose output stays the result alone.
            let atPrompts = context.console.isInteractive && arguments["answers"] == nil
            let request = meeting.request
            (atPrompts ? context.console.write : context.console.writeError)(
                context.text(
                    "Bemærk: \(request.caseID) har allerede \(request.instrument.abbreviation) den \(meeting.day); dette bliver en måling mere samme dag.\n",
                    "Note: \(request.caseID) already has \(request.instrument.abbreviation) on \(meeting.day); this adds another one that day.\n"
                ))
        }
        try meeting.setGivenGoals()
        let recorded = try meeting.record(try answers(meeting, context, arguments))
        if arguments["format"] == "json" {
            let document = JSONValue.object(
                [
                    ("record", RecordJSON.value(recorded.saved.last!)),
                    ("goals", .array(recorded.saved.dropLast().map(RecordJSON.value))),
                ] + FlagListJSON.members(recorded.raised, named: "flags"))
            context.console.writeLine(document.rendered())
            return
        }
        try show(recorded, of: meeting, selfScoring: arguments["respondent"] == "citizen", context)
    }

    /// The meeting the command line describes, each value checked in the order given.
    private static func request(_ context: Context, _ arguments: ParsedArguments) throws(CommandError)
        -> RecordMeeting.Request
    {
        let instrument = try context.instrument(arguments.positionals[0])
        let caseID = try arguments.caseID()
        let respondent = arguments.choice("respondent", default: Respondent.citizen)
        let date = try arguments.day("date")
        try RecordMeeting.check(date: date, today: context.today, context)
        let age = try arguments.integer("age", in: 0...120) { raw in
            context.text(
                "Alderen '\(raw)' er ikke et antal år fra 0 til 120.",
                "The age '\(raw)' is not a number of years from 0 to 120.")
        }
        try RecordMeeting.check(respondent, answers: instrument, context)
        let worker =
            try arguments.text(
                arguments["worker"] ?? context.environment.userName, name: "worker", rule: .workerID)
            ?? ""
        let comment = try arguments.text("comment", rule: .comment)
        let goals = arguments.lists["goal"] ?? []
        for text in goals { _ = try arguments.text(text, name: "goal", rule: .goal) }
        return RecordMeeting.Request(
            instrument: instrument, caseID: caseID, respondent: respondent, date: date, age: age,
            worker: worker, comment: comment, goals: goals, corrects: arguments["corrects"])
    }

    /// The answers from `--answers`, from standard input one per line, or from a session at the
    /// prompts; all or nothing, each checked as the prompts check it.
    private static func answers(_ meeting: RecordMeeting, _ context: Context, _ arguments: ParsedArguments)
        throws(CommandError) -> RecordMeeting.Answers
    {
        let instrument = meeting.request.instrument
        let goals = meeting.goals
        let language = context.language
        if let list = arguments["answers"] {
            let separator: Character = list.contains(";") ? ";" : ","
            return RecordMeeting.Answers(
                answers: try sheet(
                    list.split(separator: separator, omittingEmptySubsequences: false).map(String.init),
                    instrument, goals, language))
        }
        if !context.console.isInteractive {
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
            return RecordMeeting.Answers(answers: try sheet(lines, instrument, goals, language))
        }
        InterruptTrap.install(
            message: context.text("\nAfbrudt: intet er gemt.\n", "\nInterrupted: nothing was saved.\n"))
        let accessible =
            arguments.has("accessible") || !(context.environment.variables["ACCESSIBLE"] ?? "").isEmpty
        var session = Session(
            instrument: instrument, console: context.console,
            options: SessionOptions(
                language: language, respondent: meeting.request.respondent, accessible: accessible,
                age: meeting.request.age, asksComment: meeting.request.comment == nil,
                workerLed: arguments["respondent"] != "citizen",
                // Screen readers read lines whole; a terminal breaks them mid-word.
                width: accessible ? nil : try context.width(option: nil)),
            goals: goals, usedGoalIDs: meeting.usedGoalIDs)
        do {
            let result = try session.run()
            return RecordMeeting.Answers(
                answers: result.answers, comment: result.comment, goalChanges: result.goalChanges)
        } catch {
            throw .failure(
                context.text(
                    "Inputtet sluttede før svarene blev gemt. Intet er gemt.",
                    "Input ended before the answers were saved. Nothing was saved."))
        }
    }

    /// The result screen, and for a citizen who scored themselves, their own chart.
    private static func show(
        _ recorded: RecordMeeting.Recorded, of meeting: RecordMeeting, selfScoring: Bool, _ context: Context
    ) throws(CommandError) {
        let instrument = meeting.request.instrument
        ResultScreen(
            context: context, instrument: instrument, history: recorded.history, day: meeting.day,
            age: meeting.request.age, flags: recorded.raised
        )
        .show(selfScoring: selfScoring)
        guard selfScoring && recorded.history.series(instrument.id).count > 1 else { return }
        // The citizen's own chart: no flags (they are prompts for the worker) and no expected
        // band (it is drawn from other citizens' courses).
        let own = FlagEngine(catalogue: recorded.engine.catalogue, today: context.today)
        let chart = CaseChart(context: context, history: recorded.history, flags: [], engine: own)
        context.console.writeLine()
        let drawn = chart.render(
            [instrument], options: chart.options(width: try context.width(option: nil), height: 10))
        context.console.write(drawn.hasSuffix("\n") ? drawn : drawn + "\n")
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
}
