import Foundation
import Testing

@testable import Storage

private func record(_ id: String, _ caseID: String, _ body: RecordBody, at second: Double) -> Record {
    Record(
        id: id, writer: "w", time: Date(timeIntervalSince1970: 1_773_482_400 + second), caseID: caseID,
        body: body)
}

private func content(_ total: Double) -> AdministrationRecord {
    AdministrationRecord(
        instrument: "ors", instrumentVersion: "1", worker: "w", respondent: "citizen", date: "2026-03-14",
        answers: [:], scores: ["total": total])
}

@Test func theLatestCorrectionOfTheSameCaseStandsAndWithdrawalsNameAnyCase() {
    let administrations = [("a", "K-1"), ("b", "K-1"), ("c", "K-2"), ("d", "K-2")]
    let others = [
        record("x1", "K-1", .correction(target: "a", replacement: content(1)), at: 1),
        record("x2", "K-1", .correction(target: "a", replacement: content(2)), at: 2),
        // Names K-2's administration from K-1: changes nothing.
        record("x3", "K-1", .correction(target: "c", replacement: content(3)), at: 3),
        record("x4", "K-2", .correction(target: "nowhere", replacement: content(4)), at: 4),
        record("x5", "K-9", .withdrawal(target: "d", reason: nil), at: 5),
        record(
            "x6", "K-2", .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå")), at: 6),
    ]
    let amendments = Amendments(
        others, administrations: administrations.count, id: { administrations[$0].0 },
        caseID: { administrations[$0].1 })
    #expect(amendments.corrections == [0: 1])
    #expect(amendments.withdrawn == ["d"])
    #expect(!amendments.isEmpty)
    let none = Amendments(
        [others[5]], administrations: administrations.count, id: { administrations[$0].0 },
        caseID: { administrations[$0].1 })
    #expect(none.isEmpty)
}

@Test func anErasureHidesItsCaseUpToItsLatestTimeAndNotItself() {
    let records = [
        record("a", "K-1", .administration(content(1)), at: 1),
        record("e1", "K-1", .erasure, at: 2),
        record("b", "K-1", .administration(content(2)), at: 3),
        record("e2", "K-1", .erasure, at: 4),
        record("c", "K-1", .administration(content(3)), at: 5),
        record("d", "K-2", .administration(content(4)), at: 1),
    ]
    let erasures = Erasures(records)
    #expect(records.filter { !erasures.hides($0) }.map(\.id) == ["e1", "e2", "c", "d"])
    #expect(erasures.until("K-1") == records[3].time.timeIntervalSince1970)
    #expect(erasures.until("K-2") == nil)
    #expect(Erasures([records[0]]).isEmpty)
}
