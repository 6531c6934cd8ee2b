import Foundation
import Support
import Testing

@testable import Storage

/// Records of every kind but administrations: hexadecimal and text ids, flags Pejling made and
/// others, notes, goals with and without text, a correction, a withdrawal and an erasure.
private func otherRecords(start: Double = 1_773_400_000, writer: String = "anna@host") -> [Record] {
    func record(_ id: String, _ seconds: Double, _ caseID: String, _ body: RecordBody, version: Int = 1)
        -> Record
    {
        Record(
            id: id, schemaVersion: version, writer: writer,
            time: Date(timeIntervalSince1970: start + seconds),
            caseID: caseID, body: body)
    }
    return [
        record(
            "0123456789abcdef0123456789abcdef", 0.25, "K-1",
            .decision(
                DecisionRecord(flag: "F0123456789abcdef", outcome: "continue", note: nil, worker: "anna"))),
        record(
            "paper-1", 1, "K-2",
            .decision(
                DecisionRecord(flag: "F0123456789ABCDEF", outcome: "sideways", note: "æ \"ø\"", worker: nil))),
        record(
            "fedcba9876543210fedcba9876543210", 2, "K-1",
            .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå ture"))),
        record(
            "goal-2", 3, "K-1", .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .retire, text: nil))),
        record(
            "correction-1", 4, "K-1",
            .correction(
                target: "0123456789abcdef0123456789abcdee",
                replacement: AdministrationRecord(
                    instrument: "ors", instrumentVersion: "1", worker: nil, respondent: "relative",
                    date: "2026-01-02", answers: [:], scores: ["total": 13]))),
        record("withdrawal-1", 5, "K-3", .withdrawal(target: "paper-9", reason: "wrong case"), version: 0),
        record("erasure-1", 6, "K-4", .erasure),
        record(
            "F0123456789abcdef", 7, "K-2",
            .decision(DecisionRecord(flag: "", outcome: "end", note: "", worker: ""))),
    ]
}

@Test func otherRecordsGiveBackEveryRecordAsItWas() {
    let records = otherRecords()
    let table = OtherRecords(records)
    #expect(table.records == records)
    #expect(table.count == records.count)
    #expect(table.fullRecords.map(\.place) == [4, 5, 6])
    #expect(table.decisionFields(0).flagNumber == 0x0123_4567_89ab_cdef)
    #expect(table.decisionFields(1).flagText.map { table.strings[$0] } == "F0123456789ABCDEF")
}

@Test func otherRecordsMergeAsRecordsMerge() {
    // Two journals out of time order, a copy of an id at another time, copies at the same time,
    // and an erasure that hides the case's earlier records in both.
    let first = otherRecords().reversed() + otherRecords(start: 1_773_400_003, writer: "bo@other").prefix(2)
    var second = otherRecords(start: 1_773_399_990, writer: "bo@other")
    second.append(
        Record(
            id: "erasure-2", writer: "bo@other", time: Date(timeIntervalSince1970: 1_773_400_002.5),
            caseID: "K-1", body: .erasure))
    let runs = [Array(first), second]
    let merged = Store.merge(runs)
    #expect(merged.count > 4)
    #expect(
        !merged.contains {
            $0.caseID == "K-1" && $0.body != .erasure && $0.time.timeIntervalSince1970 <= 1_773_400_002.5
        })
    #expect(OtherRecords.merged(runs.map { OtherRecords($0) }).records == merged)
    #expect(Erasures(OtherRecords(merged)).until("K-1") == Erasures(merged).until("K-1"))
}

@Test func aCaseOfOtherRecordsHoldsItsRecordsOnly() {
    let table = OtherRecords(otherRecords())
    #expect(table.only("K-1").records == otherRecords().filter { $0.caseID == "K-1" })
    #expect(table.only("K-none").count == 0)
}

/// The cache's other records damaged in ways its checksum does not catch.
enum OtherRecordsDamage: String, CaseIterable, Sendable {
    case stringOutOfRange, notAnAction, noSuchRecord, unreadableLine, recordOfAnotherKind
}

@Test(arguments: OtherRecordsDamage.allCases)
func aCacheWhoseOtherRecordsAreDamagedIsIgnored(damage: OtherRecordsDamage) throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    try anna.append(ors(12), caseID: "K-1")
    for record in otherRecords() { try anna.append(records: [record]) }
    let parsed = try anna.readSummaries(cacheAfter: .max)
    _ = try anna.readSummaries(cacheAfter: 0)
    let path = directory + "/cache/anna@host.summaries"
    let cache = try #require(
        LoadedCache(try FileDescriptor.openForReading(path), journal: "journal"))
    var entries = cache.others.entries
    var strings = cache.others.pool.strings
    var lines = cache.others.fullLines
    let decision = try #require(entries.firstIndex { $0.kind == .decision })
    let goal = try #require(entries.firstIndex { $0.kind == .goal })
    let held = try #require(entries.firstIndex { $0.holdsRecord })
    switch damage {
    case .stringOutOfRange: entries[decision].b = UInt32(strings.count)
    case .notAnAction:
        strings.append("dance")
        entries[goal].c = UInt32(strings.count - 1)
    case .noSuchRecord: entries[held].a = UInt32(lines.count)
    case .unreadableLine: lines[Int(entries[held].a)] = Array("{\"id\":".utf8)
    case .recordOfAnotherKind: entries[held].kind = entries[held].kind == .erasure ? .withdrawal : .erasure
    }
    let damaged = SummaryCache(
        identity: cache.identity, covered: cache.covered, lines: cache.lines, tailHash: cache.tailHash,
        table: cache.table,
        others: OtherRecords(
            pool: StringPool(strings), entries: entries, full: cache.others.full, fullLines: lines),
        problems: cache.problems)
    try damaged.write(to: path)
    #expect(LoadedCache(try FileDescriptor.openForReading(path), journal: "journal") == nil)
    let read = try anna.readSummaries(cacheAfter: .max)
    #expect(read.others == parsed.others)
    #expect(read.table.count == parsed.table.count)
}

@Test func anAdministrationLeftToTheFullParserIsHeldInFullAndCachedSo() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    try anna.append(ors(12), caseID: "K-1")
    // The kind written with an escape: the summary scanner leaves the line to the full parser.
    let line =
        #"{"id":"late-kind","v":1,"writer":"anna@host","time":"2026-03-14T10:00:00Z","case":"K-2","#
        + #""instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-14","#
        + #""answers":{},"scores":{"total":20},"kind":"\u0061dministration"}"# + "\n"
    let handle = try #require(FileHandle(forWritingAtPath: directory + "/journals/anna@host.jsonl"))
    handle.seekToEndOfFile()
    handle.write(Data(line.utf8))
    try handle.close()
    let parsed = try anna.readSummaries(cacheAfter: .max)
    let held = parsed.others.filter { $0.id == "late-kind" }
    #expect(held.count == 1)
    #expect(held.first.map { if case .administration = $0.body { true } else { false } } == true)
    #expect(parsed.otherRecords.fullRecords.map(\.record) == held)
    _ = try anna.readSummaries(cacheAfter: 0)
    let cached = try anna.readSummaries(cacheAfter: .max)
    #expect(cached.others == parsed.others)
    #expect(try anna.readSummaries(caseID: "K-2", cacheAfter: .max).others == held)
}
