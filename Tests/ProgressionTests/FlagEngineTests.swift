import Foundation
import InstrumentModel
import Storage
import Support
import Testing

@testable import Progression

/// The flags of case K1 on `date` (default: the day after its last meeting, so nothing is overdue).
func flags(_ readings: [Reading], decisions: [Decision] = [], goals: [GoalHistory] = [], on date: Day? = nil)
    -> [Flag]
{
    let today = date ?? readings.map(\.day).max()! + 1
    return FlagEngine(catalogue: catalogue, today: today).flags(
        for: CaseHistory(caseID: "K1", readings: readings, decisions: decisions, goals: goals))
}

func decide(_ flag: Flag, _ outcome: FollowUpOutcome = .continue, at date: Date) -> Decision {
    Decision(flag: flag.id, outcome: outcome, note: nil, worker: "anna", recorded: date)
}

/// ORS and a matching SRS at every meeting, so only the rule under test fires.
func ors(_ totals: [Double], srs srsTotals: [Double]? = nil) -> [Reading] {
    weekly("ors", totals) + weekly("srs", srsTotals ?? totals.map { _ in 38 })
}

func rules(_ flags: [Flag]) -> [String] { flags.map(\.rule) }

@Test func notOnTrackIsRaisedAtTheThirdMeetingWithoutReliableImprovement() throws {
    let raised = flags(ors([18, 19, 20]))
    #expect(rules(raised) == ["notOnTrack"])
    let flag = try #require(raised.first)
    #expect(flag.since == day("2026-01-19"))
    #expect(
        flag.evidence[.en] == "Intake 18, measurement 3: 20; change 2, reliable improvement needs 5 points.")
    #expect(flag.evidence[.da] == "Start 18, måling 3: 20; ændring 2, pålidelig bedring kræver 5 point.")
    #expect(flag.principle == .followUp)
    #expect(flag.unverified)
    #expect(!flag.question[.da].isEmpty && !flag.reason[.en].isEmpty)
}

@Test func notOnTrackIsNotRaisedWithReliableImprovementOrBeforeTheThirdMeeting() {
    #expect(flags(ors([18, 19])).isEmpty)
    #expect(flags(ors([18, 21, 23])).isEmpty)
}

@Test func aDecisionClosesAFlagAndNewEvidenceRaisesANewOne() throws {
    let first = try #require(flags(ors([18, 19, 20])).first)
    let decision = decide(first, at: day("2026-01-20").date)
    let closed = flags(ors([18, 19, 20]), decisions: [decision])
    #expect(closed.count == 1)
    #expect(closed[0].id == first.id)
    #expect(!closed[0].isOpen)
    #expect(closed[0].decision?.outcome == .continue)
    let later = flags(ors([18, 19, 20, 21]), decisions: [decision])
    #expect(later.map(\.isOpen) == [false, true])
    #expect(later[1].since == day("2026-01-26"))
    #expect(later[1].id != first.id)
}

@Test func flagIdsAreStableAcrossEvaluations() {
    #expect(flags(ors([18, 19, 20])).map(\.id) == flags(ors([18, 19, 20, 20.5])).map(\.id))
}

@Test func reliableDeteriorationSinceIntakeAndSincePrevious() throws {
    let raised = flags(ors([30, 24, 23]))
    #expect(rules(raised).sorted() == ["notOnTrack", "reliableDeterioration", "reliableDeterioration"])
    let fromPrevious = try #require(
        raised.first { $0.rule == "reliableDeterioration" && $0.since == day("2026-01-12") })
    #expect(fromPrevious.evidence[.en].contains("change -6"))
    #expect(flags(ors([30, 26, 31])).isEmpty)
    let decided = raised.map { decide($0, at: day("2026-02-01").date) }
    #expect(flags(ors([30, 24, 23]), decisions: decided).allSatisfy { !$0.isOpen })
}

@Test func allianceBelowTheCutoffOrDroppingFromLastTime() throws {
    let below = flags(ors([20, 26], srs: [35.9, 38]))
    #expect(rules(below) == ["worseThan"])
    #expect(below[0].principle == .respect)
    #expect(below[0].stillHolds == false)
    let drop = flags(ors([20, 26], srs: [39, 38]))
    #expect(rules(drop) == ["drop"])
    #expect(drop[0].evidence[.en] == "Measurement 1: 39 → measurement 2: 38, 1 point worse.")
    #expect(flags(ors([20, 26], srs: [36, 36.5])).isEmpty)  // exactly 36 is not below 36
    #expect(flags(ors([20, 26], srs: [39, 38.1])).isEmpty)  // a drop of 0.9
    let decided = flags(
        ors([20, 26], srs: [35, 38]), decisions: below.map { decide($0, at: day("2026-02-01").date) })
    #expect(decided.allSatisfy { !$0.isOpen })
}

@Test func recoveryBelowFiftyOrDownEight() {
    let inspire = weekly("brief-inspire-o", [60, 52], every: 60)
    #expect(rules(flags(inspire, on: day("2026-03-10"))) == ["drop"])
    let low = weekly("brief-inspire-o", [45], every: 60)
    let raised = flags(low, on: day("2026-01-10"))
    #expect(rules(raised) == ["worseThan"])
    #expect(raised[0].principle == .hopes)
    #expect(flags(weekly("brief-inspire-o", [50, 55], every: 60), on: day("2026-03-10")).isEmpty)
    #expect(
        flags(low, decisions: [decide(raised[0], at: day("2026-01-09").date)], on: day("2026-01-10"))
            .allSatisfy { !$0.isOpen })
}

func goal(_ id: String, _ text: String) -> GoalHistory {
    GoalHistory(id: id, instrument: "gbo", wordings: [(text, day("2026-01-01").date)], retired: nil)
}

@Test func aGoalStalledForThreeRatingsOrReached() throws {
    let ratings: [[String: Double]] = [["g1": 3, "g2": 8], ["g1": 3, "g2": 9], ["g1": 3, "g2": 10]]
    let readings = weekly("gbo", [5.5, 6, 6.5], parts: ratings)
    let goals = [goal("g1", "Sleep better"), goal("g2", "Cook dinner")]
    let raised = flags(readings, goals: goals)
    #expect(raised.map { "\($0.rule) \($0.goal!)" }.sorted() == ["goalReached g2", "goalStalled g1"])
    let stalled = try #require(raised.first { $0.rule == "goalStalled" })
    #expect(stalled.evidence[.en] == "The goal \"Sleep better\" was rated 3 3 times in a row.")
    let moving: [[String: Double]] = [["g1": 3], ["g1": 4], ["g1": 4]]
    #expect(flags(weekly("gbo", [3, 4, 4], parts: moving), goals: goals).isEmpty)
    let decided = flags(
        readings, decisions: raised.map { decide($0, at: day("2026-02-01").date) }, goals: goals)
    #expect(decided.allSatisfy { !$0.isOpen })
}

@Test func anOverdueMeasurementOfAnActiveCase() throws {
    let readings = ors([20, 26])
    #expect(flags(readings, on: day("2026-02-11")).isEmpty)  // 30 days after the last meeting
    let raised = flags(readings, on: day("2026-02-12"))
    #expect(rules(raised) == ["overdue"])  // ORS declares it; SRS does not
    #expect(raised[0].evidence[.en] == "Latest ORS: 2026-01-12, 31 days ago (limit 30 days).")
}

@Test func aDecisionClosesAnOverdueFlagUntilTheNextMeeting() throws {
    let readings = ors([20, 26])
    let overdue = try #require(flags(readings, on: day("2026-03-01")).first { $0.rule == "overdue" })
    let decided = [decide(overdue, at: day("2026-03-01").date)]
    #expect(flags(readings, decisions: decided, on: day("2026-03-05")).allSatisfy { !$0.isOpen })
    // A later meeting, then a long silence again: a new overdue flag.
    let later = readings + weekly("ors", [27], start: "2026-03-10") + weekly("srs", [38], start: "2026-03-10")
    let again = flags(later, decisions: decided, on: day("2026-05-01")).filter {
        $0.rule == "overdue" && $0.isOpen
    }
    #expect(again.count == 1)
    #expect(again[0].id != overdue.id)
}

@Test func anOrsMeetingWithoutSrs() throws {
    let readings = weekly("ors", [20, 26]) + weekly("srs", [38])
    let raised = flags(readings)
    #expect(rules(raised) == ["companionMissing"])
    #expect(raised[0].since == day("2026-01-12"))
    #expect(flags(weekly("ors", [20]) + weekly("srs", [38])).isEmpty)
    // Today's meeting may still get its SRS at the end.
    #expect(flags(weekly("ors", [20], start: "2026-03-01"), on: day("2026-03-01")).isEmpty)
    #expect(
        rules(flags(weekly("ors", [20], start: "2026-03-01"), on: day("2026-03-02"))) == ["companionMissing"])
    #expect(
        flags(readings, decisions: [decide(raised[0], at: day("2026-02-01").date)]).allSatisfy { !$0.isOpen })
}

@Test func anEndedCaseIsNotOverdue() throws {
    let readings = ors([20, 26])
    let overdue = flags(readings, on: day("2026-06-01"))
    let ended = overdue.map { decide($0, .end, at: day("2026-03-01").date) }
    #expect(flags(readings, decisions: ended, on: day("2026-09-01")).allSatisfy { !$0.isOpen })
}

@Test func theExpectedBandFlagsACaseBelowWhatSimilarCasesShow() throws {
    let orsInstrument = try catalogue.instrument("ors")
    // 25 cases that started near 18 and improved steadily; at session 3 they span 22–26.
    let cohort = (0..<25).map { index in
        CaseHistory(
            caseID: "C\(index)",
            readings: weekly("ors", [18, 20, 22 + Double(index % 5), 26], caseID: "C\(index)"))
    }
    let bands = ExpectedBands(instrument: orsInstrument, cases: cohort)
    let band = try #require(bands.band(intake: 18, session: 3))
    #expect(band.cases == 25)
    #expect(band.low == 22 && band.high == 26)
    #expect(bands.band(intake: 35, session: 3) == nil)  // no cases started that high
    let engine = FlagEngine(catalogue: catalogue, expected: ["ors": bands], today: day("2026-01-20"))
    // 18 → 23.5 at session 3: reliable improvement and inside the band.
    let inside = engine.flags(for: CaseHistory(caseID: "K", readings: ors([18, 20, 23.5])))
    #expect(inside.isEmpty)
    let below = engine.flags(for: CaseHistory(caseID: "K", readings: ors([18, 20, 21.5])))
    #expect(below.map(\.rule) == ["notOnTrack"])
    #expect(below[0].evidence[.en].contains("below the expected band 22–26 (from 25 similar courses"))
}

@Test func goalsSetTogetherKeepTheirOrderWhateverTheRecordIds() {
    let time = Date(timeIntervalSince1970: 1_000)
    for ids in [["b", "a"], ["a", "b"]] {
        let records = [
            Record(
                id: ids[0], writer: "w", time: time, caseID: "K",
                body: .goal(GoalRecord(instrument: "gbo", goal: "g2", action: .set, text: "Two"))),
            Record(
                id: ids[1], writer: "w", time: time, caseID: "K",
                body: .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "One"))),
        ].sorted { $0.id < $1.id }
        #expect(CaseIndex(records: records).history(of: "K")?.currentGoals.map(\.id) == ["g1", "g2"])
    }
}

@Test func aGoalHeldAtTheTopIsReachedNotStalled() {
    let ratings: [[String: Double]] = [["g1": 10], ["g1": 10], ["g1": 10]]
    let raised = flags(weekly("gbo", [10, 10, 10], parts: ratings), goals: [goal("g1", "Walk daily")])
    #expect(rules(raised) == ["goalReached"])
}

@Test func correctionsReplaceAndWithdrawalsRemoveTheirTargets() {
    let time = Date(timeIntervalSince1970: 1_773_482_400)
    func ors(_ total: Double, _ date: String) -> AdministrationRecord {
        AdministrationRecord(
            instrument: "ors", instrumentVersion: "1", worker: "w", respondent: "citizen", date: date,
            answers: [:],
            scores: ["total": total])
    }
    let records = [
        Record(id: "a", writer: "w", time: time, caseID: "K", body: .administration(ors(10, "2026-03-01"))),
        Record(
            id: "b", writer: "w", time: time.addingTimeInterval(1), caseID: "K",
            body: .administration(ors(12, "2026-03-08"))),
        Record(
            id: "c", writer: "w", time: time.addingTimeInterval(2), caseID: "K",
            body: .administration(ors(14, "2026-03-15"))),
        Record(
            id: "d", writer: "w", time: time.addingTimeInterval(3), caseID: "K",
            body: .correction(target: "a", replacement: ors(11, "2026-03-02"))),
        Record(
            id: "e", writer: "w", time: time.addingTimeInterval(4), caseID: "K",
            body: .withdrawal(target: "b", reason: "wrong case")),
        Record(
            id: "f", writer: "w", time: time.addingTimeInterval(5), caseID: "K",
            body: .correction(target: "a", replacement: ors(11.5, "2026-03-02"))),
    ]
    let readings = CaseIndex(records: records).history(of: "K")!.readings
    #expect(readings.map(\.id) == ["a", "c"])
    #expect(readings.map(\.total) == [11.5, 14])
    #expect(readings[0].day == day("2026-03-02"))
    #expect(readings[0].recorded == time)
}
