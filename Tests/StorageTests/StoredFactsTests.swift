import Foundation
import Support
import Synchronization
import Testing

@testable import Storage

@Test func theFactsAnImportNeedsAreTheSameFromTheSummariesAsFromEveryRecord() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let bo = Store(directory: directory, writer: "bo@other")
    var written: [Record] = []
    for index in 0..<30 {
        written.append(try (index % 3 == 0 ? bo : anna).append(ors(Double(index)), caseID: "K-\(index % 5)"))
    }
    // Text ids, as a paper form or another system gives them.
    try anna.append(records: [
        Record(
            id: "paper-1", writer: "anna@host", time: Date(timeIntervalSince1970: 1_773_300_000),
            caseID: "K-1",
            body: ors(12))
    ])
    try anna.append(
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå ture")), caseID: "K-1")
    try bo.append(
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .reword, text: "Gå lange ture")),
        caseID: "K-1")
    try bo.append(.goal(GoalRecord(instrument: "gbo", goal: "g2", action: .set, text: "Sove")), caseID: "K-2")
    try bo.append(.goal(GoalRecord(instrument: "gbo", goal: "g2", action: .retire, text: nil)), caseID: "K-2")
    try anna.append(
        .decision(DecisionRecord(flag: "flag-1", outcome: "adjust", note: nil, worker: "anna")), caseID: "K-1"
    )
    let target = written.first { $0.caseID == "K-1" }!
    try anna.append(.withdrawal(target: target.id, reason: "forkert klient"), caseID: "K-1")
    try anna.append(
        .goal(GoalRecord(instrument: "gbo", goal: "g9", action: .set, text: "Glemmes")), caseID: "K-3")
    try FileManager.default.copyItem(
        atPath: directory + "/journals/bo@other.jsonl", toPath: directory + "/journals/bo@other (copy).jsonl")
    _ = try anna.erase(caseID: "K-3")

    let records = try anna.read(answers: false).records
    let full = StoredFacts(records)
    #expect(full.count == Set(records.map(\.id)).count)
    #expect(full.goalsSet == ["K-1/gbo/g1", "K-2/gbo/g2"])
    // Read without caches, then from the caches the first read wrote.
    for _ in 0..<2 {
        let summaries = StoredFacts(try anna.readSummaries(cacheAfter: 0))
        #expect(summaries.count == full.count)
        #expect(summaries.goalsSet == full.goalsSet)
        #expect(records.allSatisfy { summaries.holds($0.id) })
        #expect(summaries.holds("paper-1"))
        #expect(!summaries.holds("paper-2"))
        #expect(!written.filter { $0.caseID == "K-3" }.contains { summaries.holds($0.id) })
    }
    #expect(FileManager.default.fileExists(atPath: directory + "/cache"))
}

/// A store of two writers where every rule of a read applies: a synced copy of a journal, goals,
/// a decision, an erasure and a record of the erased case after it. Its directory and one writer.
private func storeOfEveryRule(_ name: String = #function) throws -> (directory: String, anna: Store) {
    let directory = try temporaryStore(name)
    let anna = testStore(directory)
    let bo = Store(directory: directory, writer: "bo@other")
    for index in 0..<12 {
        _ = try (index % 2 == 0 ? anna : bo).append(ors(Double(index)), caseID: "K-\(index % 4)")
    }
    try bo.append(
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå ture")), caseID: "K-goal")
    try anna.append(
        .decision(DecisionRecord(flag: "flag-1", outcome: "adjust", note: nil, worker: nil)), caseID: "K-flag"
    )
    try FileManager.default.copyItem(
        atPath: directory + "/journals/bo@other.jsonl", toPath: directory + "/journals/bo@other (copy).jsonl")
    _ = try anna.erase(caseID: "K-1")
    _ = try anna.append(ors(30), caseID: "K-1")
    return (directory, anna)
}

private let casesOfEveryRule = ["K-0", "K-1", "K-2", "K-3", "K-goal", "K-flag", "K-none"]

@Test func whetherAStoreHoldsACaseIsWhatAFullReadSays() throws {
    let (_, anna) = try storeOfEveryRule()
    let cases = casesOfEveryRule
    // Without caches, then with them.
    for _ in 0..<2 {
        let records = try anna.read(answers: false).records
        for caseID in cases {
            #expect(
                try anna.holdsRecords(of: caseID) == records.contains { $0.caseID == caseID }, "\(caseID)")
        }
        _ = try anna.readSummaries(cacheAfter: 0)
    }
    #expect(try anna.holdsRecords(of: "K-1"), "its erasure marker")
    #expect(try !anna.holdsRecords(of: "K-none"))
}

@Test func anErasuresOwnReadOfABigStoreDoesNotWaitOnTheErasuresLock() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    for index in 0..<6 { _ = try store.append(ors(Double(index)), caseID: "K-\(index % 2)") }
    // As `erase` holds it while it asks whether the case is there: a read that would write the
    // caches ahead (as one of over `parseAheadLimit` bytes does) must not wait for the lock.
    let lock = try store.erasureLock(exclusive: true)
    let done = DispatchSemaphore(value: 0)
    let found = Mutex<Bool?>(nil)
    Thread.detachNewThread {
        let holds = try? store.holdsRecords(of: "K-1", parsingAhead: 0)
        found.withLock { $0 = holds }
        done.signal()
    }
    #expect(done.wait(timeout: .now() + 30) == .success, "the read waited on the erasure's own lock")
    #expect(found.withLock { $0 } == true)
    withExtendedLifetime(lock) {}
}

@Test func aCaseReadWithNoCacheWrittenKeepsOnlyItsCaseAndGivesWhatTheOrdinaryReadGives() throws {
    let (directory, anna) = try storeOfEveryRule()
    let whole = try anna.readSummaries(cacheAfter: .max)
    for caseID in casesOfEveryRule {
        // Both without caches: the first writes none (and keeps only the case of what it parses),
        // the second parses everything and writes them, which the whole store is then read
        // through; then they are dropped again.
        let kept = try anna.readSummaries(caseID: caseID, pieceSize: 512, cacheAfter: .max)
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/cache")) ?? []
        #expect(cached.filter { $0.hasSuffix(".summaries") }.isEmpty, "\(cached)")
        let ordinary = try anna.readSummaries(caseID: caseID, pieceSize: 512, cacheAfter: 0)
        let throughCaches = try anna.readSummaries(cacheAfter: .max)
        #expect(throughCaches.administrations.map(fields) == whole.administrations.map(fields), "\(caseID)")
        #expect(throughCaches.others.map { "\($0)" } == whole.others.map { "\($0)" }, "\(caseID)")
        try? FileManager.default.removeItem(atPath: directory + "/cache")
        #expect(kept.administrations.map(fields) == ordinary.administrations.map(fields), "\(caseID)")
        #expect(kept.others.map { "\($0)" } == ordinary.others.map { "\($0)" }, "\(caseID)")
        #expect(kept.problems.map(\.description) == ordinary.problems.map(\.description), "\(caseID)")
        #expect(kept.table.count + kept.otherRecords.count > 0 || caseID == "K-none")
    }
}
