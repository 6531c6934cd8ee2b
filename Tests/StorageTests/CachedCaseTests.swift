import Foundation
import Support
import Testing

@testable import Storage

/// A store of two writers (text ids and hexadecimal ids) with comments, parts, decisions, goals, a
/// correction filed under one case that names another case's administration, a correction and a
/// withdrawal within a case, an erasure, and a synced copy of a journal.
private func amendedStore() throws -> (directory: String, anna: Store, bo: Store) {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let bo = Store(directory: directory, writer: "bo@other")
    let written = try writeAdministrations(cases: 6, commentEvery: 4, rater: bo) {
        $0 % 3 == 0 ? bo : anna
    }
    try anna.append(
        .decision(DecisionRecord(flag: "flag-1", outcome: "adjust", note: "samtale", worker: "anna")),
        caseID: "K-1")
    try bo.append(
        .decision(DecisionRecord(flag: "flag-2", outcome: "continue", note: nil, worker: nil)), caseID: "K-2")
    try anna.append(
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå ture")), caseID: "K-1")
    let ofK1 = written.filter { $0.caseID == "K-1" }
    let ofK3 = written.filter { $0.caseID == "K-3" }
    try anna.append(
        .correction(target: ofK1[0].id, replacement: correctedORS(31)), caseID: "K-1")
    // Filed under K-2, it names an administration of K-3: it belongs to K-2 (and changes nothing).
    try bo.append(.correction(target: ofK3[0].id, replacement: correctedORS(2)), caseID: "K-2")
    try anna.append(.withdrawal(target: ofK1[1].id, reason: "forkert klient"), caseID: "K-1")
    _ = try anna.erase(caseID: "K-4")
    try FileManager.default.copyItem(
        atPath: directory + "/journals/bo@other.jsonl",
        toPath: directory + "/journals/bo@other (conflicted copy).jsonl")
    return (directory, anna, bo)
}

private func correctedORS(_ total: Double) -> AdministrationRecord {
    guard case .administration(let record) = ors(total) else { preconditionFailure() }
    return record
}

private let caseIDs = ["K-0", "K-1", "K-2", "K-3", "K-4", "K-5", "K-6", "K-none"]

private func journalRead(_ directory: String, _ journal: String, only: String?) -> JournalRead {
    JournalRead(
        path: directory + "/journals/" + journal + ".jsonl",
        cache: directory + "/cache/" + journal + ".summaries",
        only: only)
}

private func journalNames(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory + "/journals").map {
        String($0.dropLast(".jsonl".count))
    }.sorted()
}

/// What a read of `caseID` must give: the case's part of the whole read.
private func expectSameCase(_ one: SummarySnapshot, _ whole: SummarySnapshot, _ caseID: String) {
    #expect(
        one.administrations.map(fields) == whole.administrations.filter { $0.caseID == caseID }.map(fields),
        "\(caseID)")
    #expect(one.others == whole.others.filter { $0.caseID == caseID }, "\(caseID)")
    #expect(one.problems == whole.problems, "\(caseID)")
    #expect(one.fingerprint == whole.fingerprint, "\(caseID)")
}

@Test func aCaseReadThroughTheCaseIndexGivesWhatTheWholeReadHoldsOfIt() throws {
    let (directory, anna, bo) = try amendedStore()
    let parsed = try anna.readSummaries(cacheAfter: .max)
    _ = try anna.readSummaries(cacheAfter: 0)
    // Lines appended after the caches, too few to rewrite them: parsed after what is cached.
    try bo.append(ors(17, comment: "efter"), caseID: "K-2")
    try anna.append(
        .decision(DecisionRecord(flag: "flag-3", outcome: "end", note: nil, worker: "anna")), caseID: "K-5")
    try anna.append(ors(9), caseID: "K-6")
    let whole = try anna.readSummaries()
    #expect(whole.table.count == parsed.table.count + 2)
    #expect(whole.others.count == parsed.others.count + 1)
    for caseID in caseIDs {
        for journal in try journalNames(directory) {
            let read = journalRead(directory, journal, only: caseID)
            #expect(read.cachedCase != nil && read.cached == nil && !read.stale, "\(journal) \(caseID)")
        }
        expectSameCase(try anna.readSummaries(caseID: caseID), whole, caseID)
    }
    // The correction filed under K-2 is read with K-2, not with the case it names.
    let (k2, k3) = (try anna.readSummaries(caseID: "K-2"), try anna.readSummaries(caseID: "K-3"))
    #expect(k2.others.contains { $0.body.kind == "correction" })
    #expect(!k3.others.contains { $0.body.kind == "correction" })
    // Of the erased case only the erasure marker is read.
    #expect(try anna.readSummaries(caseID: "K-4").table.count == 0)
    #expect(try anna.readSummaries(caseID: "K-4").others.map(\.body) == [.erasure])
}

@Test func aCaseReadAfterMuchWasAppendedReadsTheCacheWholeAndWritesItAnew() throws {
    let (directory, anna, _) = try amendedStore()
    _ = try anna.readSummaries(cacheAfter: 0)
    try anna.append(ors(12), caseID: "K-1")
    let journal = directory + "/journals/anna@host.jsonl"
    let size = try FileDescriptor.openForReading(journal).size()
    let before = try #require(
        SummaryCache.Header(try FileDescriptor.openForReading(directory + "/cache/anna@host.summaries")))
    #expect(before.covered < size)
    #expect(journalRead(directory, "anna@host", only: "K-1").cachedCase != nil)
    let read = JournalRead(
        path: journal, cache: directory + "/cache/anna@host.summaries", only: "K-1", cacheAfter: 1)
    #expect(read.cached != nil && read.cachedCase == nil)
    let one = try anna.readSummaries(caseID: "K-1", cacheAfter: 1)
    let after = try #require(
        SummaryCache.Header(try FileDescriptor.openForReading(directory + "/cache/anna@host.summaries")))
    #expect(after.covered == size)
    expectSameCase(one, try anna.readSummaries(), "K-1")
    expectSameCase(try anna.readSummaries(caseID: "K-1"), try anna.readSummaries(), "K-1")
}

/// The cases that hold the record whose bytes the damage falls in, when it falls in a section of
/// records; nil for a section every read of a case reads, or none reads.
private func casesHolding(
    _ offset: Int, in section: SummaryCache.Section, of cache: LoadedCache, header: SummaryCache.Header
) -> Set<String>? {
    let place = offset - header.range(section).lowerBound
    switch section {
    case .entries:
        return [cache.strings[Int(cache.entry(place / SummaryCache.entrySize).caseID)]]
    case .parts:
        let part = place / SummaryCache.partSize
        let owner = (0..<cache.count).first {
            let entry = cache.entry($0)
            return Int(entry.partStart) <= part && part < Int(entry.partStart + entry.partCount)
        }
        return owner.map { [cache.strings[Int(cache.entry($0).caseID)]] } ?? []
    case .otherEntries:
        return [cache.others.caseID(place / OtherEntry.size)]
    default:
        return nil
    }
}

@Test(arguments: SummaryCache.Section.allCases)
func aDamagedSectionIsNoticedByEveryReadThatReadsItAndOnlyThose(section: SummaryCache.Section) throws {
    let (directory, anna, _) = try amendedStore()
    let parsed = try anna.readSummaries(cacheAfter: .max)
    _ = try anna.readSummaries(cacheAfter: 0)
    // The journal with records of every kind, parts and hexadecimal ids (its synced copy's cache
    // stays sound).
    let path = directory + "/cache/bo@other.summaries"
    let header = try #require(SummaryCache.Header(try FileDescriptor.openForReading(path)))
    let cache = try #require(LoadedCache(try FileDescriptor.openForReading(path), journal: "journal"))
    let range = header.range(section)
    try #require(!range.isEmpty)
    let offset = range.lowerBound + range.count / 2
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[offset] ^= 0x40
    try bytes.write(to: URL(fileURLWithPath: path))

    let wholeReads: Set<SummaryCache.Section> = [
        .strings, .entries, .parts, .order, .problems, .otherStrings, .otherEntries, .fullLines,
    ]
    #expect(
        (LoadedCache(try FileDescriptor.openForReading(path), journal: "journal") == nil)
            == wholeReads.contains(section))
    let holding = casesHolding(offset, in: section, of: cache, header: header)
    var refused: Set<String> = []
    for caseID in caseIDs {
        let read = journalRead(directory, "bo@other", only: caseID)
        #expect(read.cached == nil)
        if read.cachedCase == nil {
            #expect(read.stale)
            refused.insert(caseID)
        }
    }
    // Whatever was damaged, what is read is what the journals hold (a read that finds the damage
    // lets the cache go).
    for caseID in caseIDs {
        expectSameCase(try anna.readSummaries(caseID: caseID, cacheAfter: .max), parsed, caseID)
    }
    switch section {
    case .entries, .parts, .otherEntries:
        #expect(refused == holding)
    case .problems, .buckets, .cases:
        // (The store's few cases share one bucket.)
        #expect(refused == Set(caseIDs))
    case .strings, .order, .otherStrings, .fullLines:
        #expect(refused.isEmpty)
    }
    #expect(try describeAll(anna.readSummaries(cacheAfter: .max)) == describeAll(parsed))
}

private func describeAll(_ snapshot: SummarySnapshot) -> [String] {
    snapshot.administrations.map(fields) + snapshot.others.map { "\($0)" }
        + snapshot.problems.map(\.description)
}

@Test func aCaseIndexSpreadsManyCasesOverBucketsAndFindsEach() throws {
    let directory = try temporaryStore()
    let anna = Store(directory: directory, writer: "anna@host")
    try anna.append(batch: (0..<300).map { (caseID: "K-\($0 % 100)", body: ors(Double($0 % 40))) })
    try anna.append(
        .decision(DecisionRecord(flag: "flag-1", outcome: "adjust", note: nil, worker: nil)),
        caseID: "K-only-decided")
    let whole = try anna.readSummaries(cacheAfter: 0)
    let header = try #require(
        SummaryCache.Header(try FileDescriptor.openForReading(directory + "/cache/anna@host.summaries")))
    #expect(header.range(.buckets).count / 16 == 8)
    for caseID in (0..<100).map({ "K-\($0)" }) + ["K-only-decided", "K-100"] {
        #expect(journalRead(directory, "anna@host", only: caseID).cachedCase != nil)
        expectSameCase(try anna.readSummaries(caseID: caseID), whole, caseID)
    }
}
