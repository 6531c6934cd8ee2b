import Foundation
import Testing

@testable import Storage

/// A store whose journals are out of time order, hold copies of ids that differ (hexadecimal and
/// text ids), a synced copy, an erasure, a line that is not a record and a torn last line.
private func scannedStore() throws -> String {
    let directory = try temporaryStore()
    let start = 1_773_400_000.0
    let anna = testStore(directory, writer: "anna@host")
    let bo = testStore(directory, writer: "bo@other")
    func record(_ id: String, _ caseID: String, _ seconds: Double, _ total: Double) -> Record {
        Record(
            id: id, writer: "w", time: Date(timeIntervalSince1970: start + seconds), caseID: caseID,
            body: ors(total))
    }
    let (x, y) = ("0123456789abcdef" + "0000000000000001", "0123456789abcdef" + "0000000000000002")
    for index in 0..<40 {
        try (index % 2 == 0 ? anna : bo).append(
            records: [record(Store.randomID(), "K-\(index % 5)", Double(1000 - index * 7), Double(index))])
    }
    try anna.append(records: [
        record(x, "K-1", 100, 10), record(y, "K-2", 10, 1), record("paper-1", "K-1", 50, 3),
    ])
    try bo.append(records: [record(x, "K-1", 0, 20), record(y, "K-2", 10, 2), record("paper-1", "K-1", 0, 4)])
    try bo.append(records: [
        record("e-1", "K-E", 100, 1),
        Record(
            id: "erasure-1", writer: "w", time: Date(timeIntervalSince1970: start + 200), caseID: "K-E",
            body: .erasure),
        record("e-2", "K-E", 300, 2),
    ])
    try FileManager.default.copyItem(
        atPath: directory + "/journals/bo@other.jsonl", toPath: directory + "/journals/copy@laptop.jsonl")
    let handle = try #require(FileHandle(forWritingAtPath: directory + "/journals/anna@host.jsonl"))
    handle.seekToEndOfFile()
    // A record written by hand: its keys in another order, a number written long, a key from a
    // newer minor version. Its line is not its encoding.
    handle.write(
        Data(
            (#"{"v":1,"kind":"administration","id":"hand-1","writer":"w","time":"2026-03-13T10:00:00Z","#
                + #""case":"K-1","instrument":"ors","instrumentVersion":"1.0.0","respondent":"citizen","#
                + #""date":"2026-03-13","answers":{"overall":2,"individually":1.50},"scores":{"total":3.5},"#
                + #""extra":[1,2]}"# + "\n").utf8))
    handle.write(Data("{not a record}\n{\"id\":\"torn".utf8))
    try handle.close()
    return directory
}

@Test(arguments: [1, 300, 8 << 20])
func aScanGivesTheRecordsAndProblemsOfAFullReadInItsOrder(pieceSize: Int) throws {
    let directory = try scannedStore()
    let store = Store(directory: directory, writer: "reader@host")
    let read = try store.read()
    let scan = try store.scan(keys: true, pieceSize: pieceSize)
    #expect(read.records.count > 40 && read.records.contains { $0.id == "e-2" })
    #expect(!read.records.contains { $0.id == "e-1" })
    #expect(scan.count == read.records.count)
    #expect(try scan.records(Array(0..<scan.count)) == read.records)
    // Read back in any order, in chunks.
    let backwards = Array((0..<scan.count).reversed())
    #expect(try scan.records(backwards) == backwards.map { read.records[$0] })
    #expect(scan.problems == read.problems)
    #expect(read.records.contains { $0.id == "hand-1" })
    // As JSON Lines, each record's encoding, whether its line was one already or not.
    let lines = try store.scan(lines: true, pieceSize: pieceSize)
    let encoded = read.records.map { $0.encodedLine() + "\n" }.joined()
    #expect(try lines.encodedLines(Array(0..<lines.count)) == Array(encoded.utf8))
    #expect(try scan.encodedLines(Array(0..<scan.count)) == Array(encoded.utf8))
    #expect(scan.problems.map(\.kind) == [.malformedLine, .tornLine])
    for (position, record) in read.records.enumerated() {
        #expect(scan.id(position) == record.id)
        #expect(scan.caseID(position) == record.caseID)
        #expect(scan.held(position) == nil || record.body == .erasure)
        if case .administration(let content) = record.body {
            let keys = try #require(scan.keys(position).map { scan.contentKeys[$0] })
            #expect(keys.answers == content.answers.keys.sorted() && keys.instrument == "ors")
        }
    }
}

/// Administrations of one instrument whose keys differ from the last one's in every way a
/// table's columns can: a key renamed, one fewer, one more, another total's key, values that
/// hold commas, braces and escapes, and keys written out of order.
@Test(arguments: [1, 8 << 20])
func aScanNotesTheKeysEachAdministrationHas(pieceSize: Int) throws {
    let directory = try temporaryStore()
    let store = testStore(directory, writer: "anna@host")
    let start = 1_773_400_000.0
    let kinds: [(answers: [String: Answer], scores: [String: Double])] = [
        (["a": .number(1), "b": .number(2)], ["total": 3]),
        (["a": .number(1), "b": .text("x,\"}\\ y")], ["total": 3]),
        (["a": .number(1), "c": .number(2)], ["total": 3]),
        (["b": .number(1), "c": .number(2)], ["total": 3]),
        (["a": .skipped], ["total": 1]),
        (["a": .number(1), "b": .number(2), "c": .text("{}")], ["total": 3]),
        (["a": .number(1), "b": .number(2)], ["sum": 3]),
        (["a": .number(1), "b": .number(2)], ["total": 3, "part": 1]),
        (["a": .number(1), "b": .number(2)], ["total": 3]),
        (["b": .number(2), "a": .number(1)], ["total": 3]),
        ([:], ["total": 0]),
    ]
    var records: [Record] = []
    for (index, kind) in (kinds + kinds.reversed() + kinds).enumerated() {
        records.append(
            Record(
                id: "r-\(index)", writer: "w", time: Date(timeIntervalSince1970: start + Double(index)),
                caseID: "K-1",
                body: .administration(
                    AdministrationRecord(
                        instrument: index % 7 == 3 ? "srs" : "ors", instrumentVersion: "1.0.0", worker: nil,
                        respondent: "citizen", date: "2026-03-14", answers: kind.answers, scores: kind.scores,
                        comment: nil))))
    }
    try store.append(records: records)
    // Written by hand: keys out of order, then in order again.
    let handle = try #require(FileHandle(forWritingAtPath: directory + "/journals/anna@host.jsonl"))
    handle.seekToEndOfFile()
    for (index, answers) in [#"{"b":2,"a":1}"#, #"{"a":1,"b":2}"#, #"{"a" : 1 , "b":"}" }"#].enumerated() {
        let line =
            #"{"v":1,"kind":"administration","id":"hand-\#(index)","writer":"w","#
            + #""time":"2026-03-20T10:00:0\#(index)Z","case":"K-1","instrument":"ors","#
            + #""instrumentVersion":"1.0.0","respondent":"citizen","date":"2026-03-20","#
            + #""answers":\#(answers),"scores":{"total":3}}"#
        records.append(try RecordScanner.parse(line))
        handle.write(Data((line + "\n").utf8))
    }
    try handle.close()
    let scan = try store.scan(keys: true, pieceSize: pieceSize)
    #expect(scan.count == records.count)
    for position in 0..<scan.count {
        guard case .administration(let content) = records[position].body else { continue }
        let keys = try #require(scan.keys(position).map { scan.contentKeys[$0] })
        #expect(keys.instrument == content.instrument)
        #expect(keys.answers == content.answers.keys.sorted())
        #expect(keys.scores == content.scores.keys.sorted())
    }
    // Keys alike are numbered alike.
    #expect(Set(scan.contentKeys).count == scan.contentKeys.count)
}

/// A line of 16 MB or more (a comment of that size, written by hand) keeps its length beside the
/// scan's 40-byte entries; the lines around it are found where they are.
@Test(arguments: [1, 8 << 20])
func aLineOfSixteenMegabytesOrMoreIsReadWhole(pieceSize: Int) throws {
    #expect(MemoryLayout<StoreScan.Entry>.stride == 40)
    let directory = try temporaryStore()
    let store = testStore(directory, writer: "anna@host")
    let start = 1_773_400_000.0
    func record(_ id: String, _ seconds: Double, comment: String? = nil) -> Record {
        Record(
            id: id, writer: "w", time: Date(timeIntervalSince1970: start + seconds), caseID: "K-1",
            body: ors(8, comment: comment))
    }
    try store.append(records: [record("before", 0)])
    let handle = try #require(FileHandle(forWritingAtPath: directory + "/journals/anna@host.jsonl"))
    handle.seekToEndOfFile()
    for (id, size) in [("long", 1 << 24), ("longer", (1 << 24) + 7)] {
        let line = record(id, size == 1 << 24 ? 2 : 1, comment: String(repeating: "a", count: size))
            .encodedLine()
        handle.write(Data((line + "\n").utf8))
    }
    try handle.close()
    try store.append(records: [record("after", 3)])
    let read = try store.read().records
    #expect(read.map(\.id) == ["before", "longer", "long", "after"])
    let scan = try store.scan(keys: true, pieceSize: pieceSize)
    #expect(try scan.records(Array(0..<scan.count)) == read)
    let lines = try store.scan(lines: true, pieceSize: pieceSize)
    let encoded = read.map { $0.encodedLine() + "\n" }.joined()
    #expect(try lines.encodedLines(Array(0..<lines.count)) == Array(encoded.utf8))
}
