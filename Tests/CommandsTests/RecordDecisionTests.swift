import Foundation
import Progression
import Storage
import Testing

@testable import Commands

/// A store with K-7 whose ORS rose reliably after a "not on track" flag was raised: the flag is
/// open but cleared by the last measurement.
private func storeWithAClearedFlag() throws -> String {
    let store = try temporaryFolder()
    for (date, ors) in [
        ("2026-01-05", 14.0), ("2026-01-19", 14.4), ("2026-02-02", 15.2), ("2026-02-16", 16),
        ("2026-03-02", 17.2),
        ("2026-03-09", 20),
    ] {
        let item = String(ors / 4)
        let asked = run(
            ["ask", "ors", "--case", "K-7", "--date", date, "--answers", "\(item),\(item),\(item),\(item)"],
            variables: ["PEJLING_STORE": store],
            // The day before the use case's clock, so the decision comes after every measurement.
            now: fixedNow.addingTimeInterval(-86_400))
        #expect(asked.status == .success, "\(asked.errors)")
    }
    return store
}

private func request(flag: String?, caseID: String = "K-7") -> RecordDecision.Request {
    RecordDecision.Request(caseID: caseID, flag: flag, outcome: .continue, note: "Keep on", worker: "w9")
}

@Test func aDecisionOnTheClearedFlagsSavesOneRecordForEachAndAuditsIt() throws {
    let store = try storeWithAClearedFlag()
    let context = try useCaseContext(store)
    let recorded = try RecordDecision.record(request(flag: nil), context: context)
    #expect(recorded.closed.map(\.rule) == ["notOnTrack"])
    #expect(recorded.closed.allSatisfy { $0.isOpenButCleared })
    #expect(recorded.saved.count == recorded.closed.count)
    let expected = recorded.closed.map { flag in
        RecordBody.decision(DecisionRecord(flag: flag.id, outcome: "continue", note: "Keep on", worker: "w9"))
    }
    #expect(recorded.saved.map(\.body) == expected)
    #expect(recorded.saved.allSatisfy { $0.caseID == "K-7" && $0.writer == "tester@testhost" })
    // On disk, and audited without the note.
    let read = try Store(directory: store, writer: "x").read().records
    #expect(recorded.saved.allSatisfy { saved in read.contains(saved) })
    let audit = try String(contentsOfFile: store + "/audit/tester@testhost.jsonl", encoding: .utf8)
    #expect(audit.contains(#""command":"decide","case":"K-7""#))
    #expect(!audit.contains("Keep on"))

    // The flag is decided now: deciding it again, or the cleared ones, is bad data.
    let flag = recorded.closed[0].id
    #expect(throws: CommandError.self) {
        _ = try RecordDecision.record(request(flag: flag), context: context)
    }
    do {
        _ = try RecordDecision.record(request(flag: nil), context: context)
        Issue.record("a second decision on the cleared flags was saved")
    } catch {
        #expect(error.status == .dataError)
        #expect((error.errorDescription ?? "").contains("no open flag that a later measurement cleared"))
    }
    #expect(try Store(directory: store, writer: "x").read().records.count == read.count)
}

@Test func aDecisionOnAFlagTheCaseDoesNotHaveSavesNothingAndNamesTheOpenFlags() throws {
    let store = try storeWithAClearedFlag()
    let context = try useCaseContext(store)
    let before = try Store(directory: store, writer: "x").read().records.count
    let (index, engine) = try context.caseView("K-7")
    let open = engine.flags(for: try #require(index.history(of: "K-7"))).filter(\.isOpen).map(\.id)
    #expect(!open.isEmpty)
    do {
        _ = try RecordDecision.record(request(flag: "F0000"), context: context)
        Issue.record("a decision on an unknown flag was saved")
    } catch {
        #expect(error.status == .dataError)
        #expect((error.errorDescription ?? "").contains("has no flag F0000"))
        #expect(open.allSatisfy { (error.errorDescription ?? "").contains($0) })
    }
    #expect(throws: CommandError.self) {
        _ = try RecordDecision.record(request(flag: nil, caseID: "K-404"), context: context)
    }
    #expect(try Store(directory: store, writer: "x").read().records.count == before)
}
