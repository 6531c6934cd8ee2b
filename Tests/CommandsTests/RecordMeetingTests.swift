import Administration
import Foundation
import InstrumentModel
import Progression
import Storage
import Support
import Testing

@testable import Commands

/// A context for using a use case directly on `store`, with the tests' fixed clock.
func useCaseContext(_ store: String, input: [String] = []) throws -> Context {
    try Context(
        environment: CommandEnvironment(
            variables: ["USER": "tester", "LANG": "en_DK.UTF-8", "PEJLING_STORE": store], now: { fixedNow },
            hostName: "testhost"),
        console: ScriptedConsole(input: input, interactive: false), globals: ParsedArguments())
}

/// A store holding K-1 with an ORS administration and goals g2 and g4, both since retired; with
/// `others`, also that many simulated cases (K-00001 …) over a year.
private func storeWithRetiredGoals(others: Int = 0) throws -> String {
    let store = try temporaryFolder()
    if others > 0 {
        let simulated = run(
            ["simulate", "--cases", "\(others)", "--months", "12"], variables: ["PEJLING_STORE": store])
        #expect(simulated.status == .success, "\(simulated.errors)")
    }
    let asked = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "4,5,3,6"],
        variables: ["PEJLING_STORE": store])
    #expect(asked.status == .success, "\(asked.errors)")
    let goals: [(String, GoalAction, String?)] = [
        ("g2", .set, "Sleep better"), ("g4", .set, "Find a job"), ("g2", .retire, nil), ("g4", .retire, nil),
    ]
    // One after another, each an hour after the last, before the tests' today.
    for (number, (goal, action, text)) in goals.enumerated() {
        let time = fixedNow.addingTimeInterval(Double(number - 10) * 3600)
        _ = try Store(directory: store, writer: "tester@testhost", now: { time }).append(
            batch: [("K-1", .goal(GoalRecord(instrument: "gbo", goal: goal, action: action, text: text)))])
    }
    return store
}

private func request(_ instrument: Instrument, goals: [String] = [], date: String? = nil)
    -> RecordMeeting.Request
{
    RecordMeeting.Request(
        instrument: instrument, caseID: "K-1", respondent: .citizen, date: date.flatMap { Day(iso: $0) },
        age: nil, worker: "w1", comment: nil, goals: goals, corrects: nil)
}

@Test func goalsGivenBeforeTheAnswersAreNumberedAsASessionNumbersThem() throws {
    let store = try storeWithRetiredGoals()
    let context = try useCaseContext(store)
    let gbo = try context.instrument("gbo")
    var meeting = try RecordMeeting(
        request(gbo, goals: ["Sleep through the night", "Walk daily"]), context: context)
    #expect(meeting.goals.isEmpty)
    #expect(meeting.usedGoalIDs == ["g2", "g4"])
    try meeting.setGivenGoals()

    // The same goals typed at a session's prompts, for the same case.
    var session = Session(
        instrument: gbo,
        console: ScriptedConsole(input: ["", "Sleep through the night", "Walk daily", "", "3", "5", "", ""]),
        goals: [], usedGoalIDs: meeting.usedGoalIDs)
    let typed = try session.run()
    #expect(meeting.goals == typed.goals)
    // Retired ids are never given again: the new ones follow the highest the case has had.
    #expect(meeting.goals.map(\.id) == ["g5", "g6"])
}

@Test func recordingSavesTheGoalsFirstAndTheScoresWithTheirTotal() throws {
    let store = try storeWithRetiredGoals()
    let context = try useCaseContext(store)
    let gbo = try context.instrument("gbo")
    var meeting = try RecordMeeting(
        request(gbo, goals: ["Sleep", "Walk"], date: "2026-03-10"), context: context)
    try meeting.setGivenGoals()
    let answers: [String: ItemAnswer] = ["g5": .number(3), "g6": .number(6)]
    let recorded = try meeting.record(RecordMeeting.Answers(answers: answers, comment: "Tired"))

    #expect(recorded.saved.count == 3)
    let goalRecords = recorded.saved.dropLast().compactMap { record -> GoalRecord? in
        if case .goal(let goal) = record.body { return goal }
        return nil
    }
    #expect(goalRecords.map(\.goal) == ["g5", "g6"])
    #expect(goalRecords.map(\.action) == [.set, .set])
    guard case .administration(let administration) = recorded.saved.last?.body else {
        Issue.record("the last record saved is not the administration")
        return
    }
    let scores = try Scorer.score(gbo, answers: answers)
    #expect(administration.scores["total"] == scores.total)
    #expect(administration.scores.count == scores.parts.count + 1)
    #expect(administration.date == "2026-03-10")
    #expect(administration.comment == "Tired")
    // The case read again holds the meeting, and its goals as set.
    #expect(recorded.history.series("gbo").map(\.day.description) == ["2026-03-10"])
    #expect(recorded.history.currentGoals.map(\.id) == ["g5", "g6"])
}

@Test func aCorrectionKeepsTheMeetingsDateAndARepeatedDayIsNoticed() throws {
    let store = try storeWithRetiredGoals()
    let context = try useCaseContext(store)
    let ors = try context.instrument("ors")
    let same = try RecordMeeting(request(ors, date: "2026-03-01"), context: context)
    #expect(same.repeatsDay)
    let other = try RecordMeeting(request(ors, date: "2026-03-02"), context: context)
    #expect(!other.repeatsDay)

    let id = try #require(same.history?.series("ors").first?.id)
    var correcting = request(ors)
    correcting.corrects = String(id.prefix(8))
    let correction = try RecordMeeting(correcting, context: context)
    #expect(correction.day.description == "2026-03-01")
    #expect(correction.corrected?.id == id)
    #expect(!correction.repeatsDay)
}

@Test func givenGoalsAreRefusedWhereTheInstrumentHasNone() throws {
    let store = try storeWithRetiredGoals()
    let context = try useCaseContext(store)
    var meeting = try RecordMeeting(
        request(try context.instrument("ors"), goals: ["Sleep"]), context: context)
    #expect(throws: CommandError.self) { try meeting.setGivenGoals() }
    #expect(meeting.goals.isEmpty)
}

@Test func theCaseShownAfterSavingIsTheCaseANewReadGives() throws {
    // A report saves the expected bands; the store is large enough that a meeting's records are
    // within the lag `ExpectedBandsCache.recent` allows, so recording takes the case read before
    // the answers with the records just saved rather than reading the store again.
    let store = try storeWithRetiredGoals(others: 120)
    #expect(run(["team"], variables: ["PEJLING_STORE": store]).status == .success)
    let context = try useCaseContext(store)
    let gbo = try context.instrument("gbo")
    let ors = try context.instrument("ors")

    var goals = try RecordMeeting(
        request(gbo, goals: ["Sleep", "Walk"], date: "2026-03-10"), context: context)
    try goals.setGivenGoals()
    let rated = try goals.record(RecordMeeting.Answers(answers: ["g5": .number(3), "g6": .number(6)]))
    #expect(rated.history == (try context.caseIndex(caseID: "K-1").history(of: "K-1")))

    let meeting = try RecordMeeting(request(ors, date: "2026-03-11"), context: context)
    let five = Dictionary(uniqueKeysWithValues: ors.items.map { ($0.id, ItemAnswer.number(5)) })
    let asked = try meeting.record(RecordMeeting.Answers(answers: five))
    #expect(asked.history == (try context.caseIndex(caseID: "K-1").history(of: "K-1")))

    var correcting = request(ors)
    correcting.corrects = String(try #require(asked.saved.last?.id).prefix(8))
    let correction = try RecordMeeting(correcting, context: context)
    let corrected = try correction.record(
        RecordMeeting.Answers(
            answers: Dictionary(uniqueKeysWithValues: ors.items.map { ($0.id, .number(7)) })))
    let reread = try #require(try context.caseIndex(caseID: "K-1").history(of: "K-1"))
    #expect(corrected.history == reread)
    #expect(reread.series("ors").map(\.total) == [18, 28])
}
