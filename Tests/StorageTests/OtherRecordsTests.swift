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

/// Other records at a few times shared by many (a busy day), written against the clock (each time
/// before the one before it, as by a clock set back): hexadecimal and text ids among them, goals,
/// a correction, a withdrawal, and an erasure of case K-9 that hides its earlier records.
/// `ids` gives the hexadecimal ids, so two journals can be given some of the same.
private func busyDay(
    writer: String, start: Double, count: Int, ids: (Int) -> String
) -> [Record] {
    (0..<count).map { index in
        let caseID = index % 11 == 9 ? "K-9" : "K-\(index % 7)"
        // Text ids met again in the case (a copy is of the same case).
        let id = index % 5 == 0 ? "paper-\(caseID)-\(index % 35)" : ids(index)
        let body: RecordBody
        switch index % 11 {
        case 3:
            body = .goal(
                GoalRecord(instrument: "gbo", goal: "g\(index % 4)", action: .set, text: "mål \(index)"))
        case 7: body = .withdrawal(target: "paper-\(index)", reason: "wrong case")
        case 9 where index < 30: body = .erasure
        default:
            body = .decision(
                DecisionRecord(
                    flag: index % 2 == 0 ? "F\(ids(index).prefix(16))" : "hand-\(index)",
                    outcome: ["continue", "adjust", "end"][index % 3],
                    note: index % 4 == 0 ? "n\(index)" : nil,
                    worker: "w\(index % 3)"))
        }
        return Record(
            id: id, writer: writer, time: Date(timeIntervalSince1970: start - Double(index / 6)),
            caseID: caseID, body: body)
    }
}

/// 32 hexadecimal digits made from `seed` (no two seeds alike).
private func hexID(_ seed: Int) -> String {
    var bits = UInt64(seed + 1) &* 0x9E37_79B9_7F4A_7C15
    var digits = ""
    for _ in 0..<2 {
        bits ^= bits >> 29
        bits = bits &* 0xBF58_476D_1CE4_E5B9
        digits += String(repeating: "0", count: 16 - String(bits, radix: 16).count) + String(bits, radix: 16)
    }
    return digits
}

@Test func otherRecordsInMergeOrderHoldTheSameRecordsByTimeThenIDThenPlace() {
    let records = busyDay(writer: "anna@host", start: 1_773_400_000, count: 60, ids: hexID)
    let ordered = OtherRecords(records).inMergeOrder()
    // Worked out apart from the merge: 32 lowercase hexadecimal digits order as their text does.
    let expected = records.enumerated().sorted {
        ($0.element.time, $0.element.id, $0.offset) < ($1.element.time, $1.element.id, $1.offset)
    }.map(\.element)
    #expect(ordered.records == expected)
    #expect(ordered.records != records)
    #expect(ordered.fullRecords.map(\.record) == expected.filter { OtherRecords.Kind($0.body).rawValue >= 3 })
    #expect(ordered.inMergeOrder().records == expected)
}

@Test func theCachedOtherRecordsMergeAsTheFullRecordsDo() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let bo = testStore(directory, writer: "bo@other")
    let annas = busyDay(writer: "anna@host", start: 1_773_400_000, count: 90, ids: hexID)
    // Bo's journal: a synced copy of some of Anna's records, as they are and at another time (the
    // earlier counts), and records of its own at the same times, text ids shared with Anna's.
    var bos = busyDay(writer: "bo@other", start: 1_773_400_000, count: 60) { hexID($0 + 1000) }
    bos += annas.prefix(20)
    for index in [6, 12, 13] {
        var copy = annas[index]
        copy.time = copy.time.addingTimeInterval(index == 6 ? -0.5 : 0.5)
        bos.append(copy)
    }
    try anna.append(ors(12), caseID: "K-1")
    try anna.append(records: annas)
    try bo.append(records: bos)
    func fullMerge() throws -> [Record] {
        try anna.read().records.filter { if case .administration = $0.body { false } else { true } }
    }
    let expected = try fullMerge()
    #expect(expected.count > 100)
    #expect(try anna.readSummaries(cacheAfter: .max).others == expected)
    _ = try anna.readSummaries(cacheAfter: 0)
    let cachePaths = ["anna@host", "bo@other"].map { directory + "/cache/" + $0 + ".summaries" }
    for path in cachePaths {
        let cached = try #require(LoadedCache(try FileDescriptor.openForReading(path), journal: "journal"))
        let (keys, texts) = Store.mergeKeys(cached.others)
        #expect(Store.orderedPlaces(keys, texts: texts) == nil)
    }
    #expect(try anna.readSummaries(cacheAfter: .max).others == expected)
    for caseID in ["K-1", "K-3", "K-9"] {
        #expect(
            try anna.readSummaries(caseID: caseID, cacheAfter: .max).others
                == expected.filter { $0.caseID == caseID })
    }

    // Anna's journal grown after its cache, with records before those cached, at their times, and
    // a copy of one of them: the cache stays as it is and the new lines are merged in.
    let cachedBytes = try allBytes(under: directory + "/cache")
    var later = busyDay(writer: "anna@host", start: 1_773_400_003, count: 25) { hexID($0 + 2000) }
    later.append(annas[40])
    try anna.append(records: later)
    let grown = try fullMerge()
    #expect(grown.count > expected.count)
    #expect(try anna.readSummaries(cacheAfter: .max).others == grown)
    #expect(try allBytes(under: directory + "/cache").map(\.bytes) == cachedBytes.map(\.bytes))
    for caseID in ["K-2", "K-9"] {
        #expect(
            try anna.readSummaries(caseID: caseID, cacheAfter: .max).others
                == grown.filter { $0.caseID == caseID })
    }
    _ = try anna.readSummaries(cacheAfter: 0)
    #expect(try allBytes(under: directory + "/cache").map(\.bytes) != cachedBytes.map(\.bytes))
    #expect(try anna.readSummaries(cacheAfter: .max).others == grown)
}
