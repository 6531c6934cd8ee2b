import Foundation
import Storage
import Support
import Testing

@testable import Progression

private let start = Date(timeIntervalSince1970: 1_773_482_400)

/// GBO ratings of two cases, some meetings rating only one goal or none, one rating corrected (a
/// reading of its own among the table's) and one withdrawn.
private func goalRecords() -> [Record] {
    var records: [Record] = []
    var second = 0.0
    func record(_ id: String, _ caseID: String, _ body: RecordBody) {
        second += 60
        records.append(
            Record(id: id, writer: "w", time: start.addingTimeInterval(second), caseID: caseID, body: body))
    }
    func gbo(_ date: String, _ scores: [String: Double]) -> RecordBody {
        .administration(
            AdministrationRecord(
                instrument: "gbo", instrumentVersion: "1", worker: "w", respondent: "citizen", date: date,
                answers: [:], scores: scores))
    }
    for caseID in ["K-1", "K-2"] {
        for meeting in 0..<9 {
            var scores: [String: Double] = ["total": Double(meeting)]
            if meeting % 3 != 1 { scores["g1"] = Double(meeting % 4 + 2) }
            if meeting % 2 == 0 { scores["g2"] = Double(10 - meeting) }
            record("\(caseID)-\(meeting)", caseID, gbo("2026-0\(meeting + 1)-10", scores))
        }
    }
    record(
        "c1", "K-1",
        .correction(
            target: "K-1-4",
            replacement: AdministrationRecord(
                instrument: "gbo", instrumentVersion: "1", worker: "w", respondent: "citizen",
                date: "2026-05-10",
                answers: [:], scores: ["total": 4, "g1": 9, "g3": 1])))
    record("w1", "K-2", .withdrawal(target: "K-2-2", reason: nil))
    return records
}

@Test func aGoalsRatingsAreTheRatingsEachReadingHolds() throws {
    let index = CaseIndex(records: goalRecords())
    for caseID in ["K-1", "K-2"] {
        let series = try #require(index.history(of: caseID)).series("gbo")
        #expect(series.count >= 8)
        for goal in ["g1", "g2", "g3", "g4"] {
            let plain = series.indices.compactMap { index in series[index].part(goal).map { (index, $0) } }
            let rated = series.ratings(of: goal)
            #expect(rated.map(\.index) == plain.map(\.0), "\(caseID) \(goal)")
            #expect(rated.map(\.value) == plain.map(\.1), "\(caseID) \(goal)")
        }
    }
    // The corrected reading rates g3, read from the correction.
    #expect(try #require(index.history(of: "K-1")).series("gbo").ratings(of: "g3").map(\.value) == [1])
}

@Test func readingsGroupedByTheirNumberInATableAreGroupedAsByTheirText() {
    // Instruments as a case's readings name them, with the numbers of their ids in a table (nil
    // for a reading of its own, as a correction makes), a correction to another instrument included.
    let readings: [(String, Int?)] = [
        ("ors", 4), ("srs", 7), ("ors", 4), ("gbo", nil), ("srs", 7), ("gbo", 2), ("ors", nil), ("srs", 7),
        ("brief-inspire-o", 9), ("gbo", 2), ("ors", 4), ("brief-inspire-o", nil),
    ]
    var byText = InstrumentGroups()
    var byNumber = InstrumentGroups()
    for (position, (instrument, number)) in readings.enumerated() {
        byText.add(position, instrument: instrument)
        if let number {
            byNumber.add(position, number: number, instrument: instrument)
        } else {
            byNumber.add(position, instrument: instrument)
        }
    }
    #expect(byNumber.groups == byText.groups)
    #expect(byText.groups.map(\.instrument) == ["ors", "srs", "gbo", "brief-inspire-o"])
    #expect(byText.groups[0].positions == [0, 2, 6, 10])
}

@Test func aCasesGoalRatingsAreEachGoalsRatingsInTheSeriesAskedFor() throws {
    let goals = ["g1", "g2", "g3", "g4"].map { goal in
        Record(
            id: "set-\(goal)", writer: "w", time: start, caseID: "K-1",
            body: .goal(GoalRecord(instrument: "gbo", goal: goal, action: .set, text: "goal \(goal)")))
    }
    let history = try #require(CaseIndex(records: goals + goalRecords()).history(of: "K-1"))
    #expect(history.goals.map(\.id) == ["g1", "g2", "g3", "g4"])
    var goalRatings = GoalRatings()
    // Found when first asked for, then kept: the same both times.
    for _ in 0..<2 {
        let found = goalRatings.ratings(of: "gbo", series: history.series("gbo"), history: history)
        #expect(found.count == history.goals.count)
        for (goal, rated) in zip(history.goals, found) {
            let plain = history.series("gbo").ratings(of: goal.id)
            #expect(rated.map(\.index) == plain.map(\.index), "\(goal.id)")
            #expect(rated.map(\.value) == plain.map(\.value), "\(goal.id)")
        }
        #expect(found[0].count > 2 && found[2].map(\.value) == [1] && found[3].isEmpty)
    }
    // Another instrument's series has ratings of its own (none here), not the ones kept.
    let ors = goalRatings.ratings(of: "ors", series: history.series("ors"), history: history)
    #expect(ors.count == history.goals.count && ors.allSatisfy(\.isEmpty))
}
