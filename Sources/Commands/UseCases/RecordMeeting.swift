import Administration
import Foundation
import InstrumentModel
import Interchange
import Progression
import Storage
import Support

/// Recording one meeting: the case as it stands, the goals given new ids, the answers scored and
/// appended with the goal changes in one batch, then the case as the store now holds it and the
/// flags the meeting raised.
///
/// `pejling ask` parses the command line, gathers the answers (from `--answers`, standard input or
/// a session at the prompts) and shows what `record` returns; every rule of recording is here.
struct RecordMeeting {
    /// The meeting as the command line describes it.
    struct Request {
        var instrument: Instrument
        var caseID: String
        var respondent: Respondent
        /// The meeting's date as given; nil for today, or a corrected administration's own date.
        var date: Day?
        var age: Int?
        var worker: String
        /// A comment given before the answers (a session asks for one only without it).
        var comment: String?
        /// Goals given in the citizen's words before the answers (goal-based instruments, first time).
        var goals: [String] = []
        /// The start of the id of an administration this one replaces.
        var corrects: String?
    }

    /// What the answers say, however they were gathered.
    struct Answers {
        var answers: [String: ItemAnswer]
        var comment: String?
        /// Goals set, reworded or retired while answering, after those of the request.
        var goalChanges: [GoalChange] = []
    }

    /// What was saved and what it shows.
    struct Recorded {
        /// The goal records first, the administration (or its correction) last.
        var saved: [Record]
        /// The case as the store holds it after the meeting.
        var history: CaseHistory
        var engine: FlagEngine
        /// The open flags this meeting's answers raise.
        var raised: [Flag]
    }

    let context: Context
    let request: Request
    /// The case before the meeting; nil when the store holds nothing about it.
    let history: CaseHistory?
    /// The meeting's day: the date given, else a corrected administration's, else today.
    let day: Day
    /// The administration this one replaces.
    let corrected: Reading?
    /// The goals rated, as they stand: the case's current ones and any given in the request.
    private(set) var goals: [Goal]
    /// Every goal id the case has had, so a new goal gets a fresh id.
    let usedGoalIDs: Set<String>
    private var goalChanges: [GoalChange] = []

    /// Throws when the date lies after `today`: a meeting is recorded once it took place.
    static func check(date: Day?, today: Day, _ context: Context) throws(CommandError) {
        guard let date, date > today else { return }
        throw .usage(
            context.text(
                "Datoen \(date) ligger i fremtiden. Giv datoen for det møde, der fandt sted.",
                "The date \(date) is in the future. Give the date of the meeting that took place."),
            command: AskCommand.spec.path)
    }

    /// Throws when `instrument` is not answered by `respondent`.
    static func check(_ respondent: Respondent, answers instrument: Instrument, _ context: Context)
        throws(CommandError)
    {
        guard !instrument.respondents.contains(respondent) else { return }
        let allowed = instrument.respondents.map(\.rawValue).joined(separator: ", ")
        throw .usage(
            context.text(
                "\(instrument.abbreviation) besvares af \(allowed), ikke af --respondent \(respondent.rawValue).",
                "\(instrument.abbreviation) is answered by \(allowed), not by a \(respondent.rawValue)."),
            command: AskCommand.spec.path)
    }

    /// Reads the case (its goals and earlier answers are all the questions need) and finds the
    /// administration a correction replaces.
    init(_ request: Request, context: Context) throws(CommandError) {
        self.context = context
        self.request = request
        let instrument = request.instrument
        let history =
            context.store().exists
            ? try context.caseIndex(caseID: request.caseID).history(of: request.caseID) : nil
        self.history = history
        goals = (history?.currentGoals ?? []).filter { $0.instrument == instrument.id }.map {
            Goal(id: $0.id, text: $0.text)
        }
        usedGoalIDs = Set((history?.goals ?? []).map(\.id))
        corrected = try request.corrects.map { (prefix: String) throws(CommandError) -> Reading in
            try RecordLookup.reading(
                prefix, in: history, instrument: instrument.id, context: context,
                command: AskCommand.spec.path)
        }
        // A correction keeps the meeting's date unless a new one is given.
        day = request.date ?? corrected?.day ?? context.today
    }

    /// Whether the case already has an administration of the instrument on the meeting's day (and
    /// this one is not a correction): worth a note, never a refusal.
    var repeatsDay: Bool {
        corrected == nil && history?.series(request.instrument.id).contains { $0.day == day } == true
    }

    /// Sets the goals given in the request, numbered after every goal the case has had.
    /// - Throws: a usage error when the instrument has no goals, the case has goals already, or
    ///   there are more than the instrument holds.
    mutating func setGivenGoals() throws(CommandError) {
        let texts = request.goals
        guard !texts.isEmpty else { return }
        let instrument = request.instrument
        let t = context.text
        let command = AskCommand.spec.path
        guard let settings = instrument.goals else {
            throw .usage(
                t(
                    "--goal er til målbaserede instrumenter som gbo.",
                    "--goal is for goal-based instruments such as gbo."), command: command)
        }
        guard goals.isEmpty else {
            throw .usage(
                t(
                    "Sagen har allerede mål (\(goals.map(\.text).joined(separator: "; "))). Kør 'pejling ask \(instrument.id) --case \(request.caseID)' for at omformulere eller afslutte dem.",
                    "The case already has goals (\(goals.map(\.text).joined(separator: "; "))). Run 'pejling ask \(instrument.id) --case \(request.caseID)' to reword or retire them."
                ), command: command)
        }
        guard texts.count <= settings.maxGoals else {
            throw .usage(
                t(
                    "\(instrument.abbreviation) rummer højst \(settings.maxGoals) mål.",
                    "\(instrument.abbreviation) holds at most \(settings.maxGoals) goals."), command: command)
        }
        var numbering = GoalNumbering(used: usedGoalIDs.union(goals.map(\.id)))
        for text in texts {
            let goal = Goal(id: numbering.take(), text: text)
            goals.append(goal)
            goalChanges.append(GoalChange(goal: goal.id, action: .set, text: text))
        }
    }

    /// Scores `answers`, appends the goal changes and the administration (or its correction) in
    /// one batch, and reads the case again with the flags the meeting raised.
    /// - Throws: `.data` when the answers do not score, `.failure` when nothing could be saved.
    func record(_ answers: Answers) throws(CommandError) -> Recorded {
        let instrument = request.instrument
        let caseID = request.caseID
        let scores: ScoreResult
        do {
            scores = try Scorer.score(instrument, answers: answers.answers)
        } catch {
            throw .data(error.message(context.language))
        }
        let administration = AdministrationRecord(
            instrument: instrument.id, instrumentVersion: instrument.version, worker: request.worker,
            respondent: request.respondent.rawValue, date: day.description,
            answers: answers.answers.mapValues(RecordImport.stored), scores: scores.stored,
            comment: request.comment ?? answers.comment, age: request.age)
        var batch: [(caseID: String, body: RecordBody)] = (goalChanges + answers.goalChanges).map { change in
            (
                caseID,
                .goal(
                    GoalRecord(
                        instrument: instrument.id, goal: change.goal, action: change.action, text: change.text
                    ))
            )
        }
        if let corrected {
            batch.append((caseID, .correction(target: corrected.id, replacement: administration)))
        } else {
            batch.append((caseID, .administration(administration)))
        }
        let saved: [Record]
        do {
            let store = context.store()
            saved = try InterruptTrap.protect { () throws(StorageError) -> [Record] in
                try store.append(batch: batch)
            }
        } catch {
            throw .failure(context.describe(error) + context.text(" Intet er gemt.", " Nothing was saved."))
        }
        try context.auditChange(
            "ask \(instrument.id)", caseID: caseID,
            done: (
                "Svarene er gemt (post \(saved.last!.id)).",
                "The answers were saved (record \(saved.last!.id))."
            ))

        // The case as the store now holds it, and the expected bands: those saved before this
        // meeting when only a few records were appended since (see `ExpectedBandsCache.recent`),
        // else learned with its answers and saved, so the chart that usually follows need not
        // learn them again. Should the store not read now, the answers are saved all the same:
        // show them without bands.
        let caseHistory: CaseHistory
        let engine: FlagEngine
        if let history, let fingerprint = try? context.store().currentFingerprint(),
            let recent = try? ExpectedBandsCache(context).recent(fingerprint: fingerprint)
        {
            // The case as read before the answers with the records just saved is the case a new
            // read gives (`CaseHistory.adding` applies the index's rules), without reading every
            // journal's summaries a second time.
            (caseHistory, engine) = (history.adding(saved), recent)
        } else if let (index, learned) = try? context.caseView(caseID, bandsMayLag: true),
            let read = index.history(of: caseID)
        {
            (caseHistory, engine) = (read, learned)
        } else {
            caseHistory = history.map { $0.adding(saved) } ?? CaseIndex(records: saved).history(of: caseID)!
            engine = FlagEngine(catalogue: try context.catalogue(), today: context.today)
        }
        // The flags this meeting's answers raise; "overdue" speaks of today, not of this meeting.
        let raised = engine.flags(for: caseHistory).filter {
            $0.isOpen && $0.latest == day && $0.rule != "overdue"
        }
        return Recorded(saved: saved, history: caseHistory, engine: engine, raised: raised)
    }
}
