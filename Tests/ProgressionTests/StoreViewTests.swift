import Foundation
import Storage
import Testing

@testable import Progression

private let start = Date(timeIntervalSince1970: 1_773_482_400)

private func administration(
    _ id: String, case caseID: String, _ instrument: String, _ date: String, total: Double,
    after seconds: Double
) -> Record {
    Record(
        id: id, writer: "w", time: start.addingTimeInterval(seconds), caseID: caseID,
        body: .administration(
            AdministrationRecord(
                instrument: instrument, instrumentVersion: "1", worker: "w", respondent: "citizen",
                date: date,
                answers: [:], scores: ["total": total])))
}

@Test func readingsArrivingOutOfOrderAreOrderedByDayThenTimeThenIDPerCase() {
    let records = [
        administration("k2-b", case: "K2", "ors", "2026-03-08", total: 2, after: 5),
        administration("k1-c", case: "K1", "srs", "2026-03-08", total: 3, after: 4),
        administration("k1-b", case: "K1", "ors", "2026-03-08", total: 2, after: 3),
        administration("k2-a", case: "K2", "srs", "2026-03-01", total: 1, after: 2),
        administration("k1-z", case: "K1", "ors", "2026-03-01", total: 1, after: 1),
        administration("k1-a", case: "K1", "srs", "2026-03-01", total: 1, after: 1),
    ]
    let view = StoreView(records: records)
    #expect(view.caseIDs == ["K1", "K2"])
    let k1 = view.cases["K1"]!
    #expect(k1.readings.map(\.id) == ["k1-a", "k1-z", "k1-b", "k1-c"])
    #expect(k1.instruments == ["srs", "ors"])
    #expect(k1.series("ors").map(\.id) == ["k1-z", "k1-b"])
    #expect(k1.series("srs").map(\.id) == ["k1-a", "k1-c"])
    #expect(k1.series("gbo").isEmpty)
    #expect(k1.lastDay == day("2026-03-08"))
    #expect(view.cases["K2"]!.readings.map(\.id) == ["k2-a", "k2-b"])
    // The same readings given to a history directly come out in the same order.
    let direct = CaseHistory(caseID: "K1", readings: k1.readings.reversed())
    #expect(direct == k1)
}

@Test func aCorrectionToAnotherDayMovesTheReadingInItsSeries() {
    let records = [
        administration("a", case: "K", "ors", "2026-03-01", total: 10, after: 0),
        administration("b", case: "K", "ors", "2026-03-08", total: 12, after: 1),
        Record(
            id: "c", writer: "w", time: start.addingTimeInterval(2), caseID: "K",
            body: .correction(
                target: "a",
                replacement: AdministrationRecord(
                    instrument: "ors", instrumentVersion: "1", worker: "w", respondent: "citizen",
                    date: "2026-03-15", answers: [:], scores: ["total": 11]))),
    ]
    let history = StoreView(records: records).cases["K"]!
    #expect(history.series("ors").map(\.id) == ["b", "a"])
    #expect(history.series("ors").map(\.total) == [12, 11])
    #expect(history.series("ors")[1].recorded == start)
}
