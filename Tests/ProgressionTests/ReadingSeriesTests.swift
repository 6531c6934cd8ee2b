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

@Test func monthKeysOfDaysInAnyOrderAreEachDaysMonth() {
    var monthOf = TeamReport.MonthKeys()
    // Every day of three years (leap year included), then days jumping back and forth.
    let days = Array(20_000..<21_100) + [20_500, 19_000, 20_501, 20_499, 0, -1, 59, 60, 20_500]
    for number in days {
        let day = Day(number: number)
        #expect(monthOf(day) == TeamReport.monthKey(day), "\(day)")
    }
}

@Test func aChangeRuleTakesTheCutoffTheInterpretationChooses() {
    for instrument in catalogue.instruments {
        let rule = ChangeRule(instrument)
        for age in [nil, 0, 5, 12, 13, 15, 17, 18, 19, 30, 64, 65, 120] as [Int?] {
            let chosen = instrument.interpretation.cutoff(forAge: age)?.value(
                direction: instrument.scoring.direction)
            #expect(rule.cutoff(forAge: age) == chosen, "\(instrument.id) \(String(describing: age))")
        }
    }
}
