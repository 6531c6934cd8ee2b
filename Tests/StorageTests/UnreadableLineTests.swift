import Foundation
import Testing

@testable import Storage

/// Lines a report would stumble on, each in a journal of five good records at line 3, and what the
/// problem says about it.
let linesReportsWouldStumbleOn = [
    ("score-beyond-double-range.jsonl", "the number 1e309 at character"),
    ("score-out-of-range.jsonl", "the number -1e308 at character"),
    ("answer-out-of-range.jsonl", "the number 10000000000000 at character"),
    ("year-zero-date.jsonl", "the date \"0000-01-01\" is not a real date (YYYY-MM-DD) from 1900 to 2200"),
    ("impossible-date.jsonl", "the date \"2026-02-30\" is not a real date"),
    ("month-thirteen-date.jsonl", "the date \"2026-13-02\" is not a real date"),
    ("time-in-year-zero.jsonl", "bad time \"0000-03-02T10:00:00Z\""),
    ("invalid-utf8.jsonl", "invalid UTF-8 at character"),
    ("cpr-case-id.jsonl", "the case id looks like a CPR number"),
]

@Test(arguments: linesReportsWouldStumbleOn)
func aLineAReportWouldStumbleOnIsReportedByFileAndLine(fixture: String, detail: String) throws {
    let directory = try storeWithJournal(fixture, name: "bo@other.jsonl")
    let snapshot = try testStore(directory).read()
    #expect(snapshot.records.count == 5)
    #expect(snapshot.problems.map(\.kind) == [.malformedLine])
    let problem = try #require(snapshot.problems.first)
    #expect(problem.line == 3)
    #expect(problem.detail.contains(detail), "\(problem.detail)")
    #expect(problem.description.hasPrefix("\(directory)/journals/bo@other.jsonl:3: "))
    #expect(!problem.detail.contains("010190"))
}

@Test(arguments: linesReportsWouldStumbleOn)
func summariesRefuseTheSameLinesAsTheFullReader(fixture: String, detail: String) throws {
    let directory = try storeWithJournal(fixture, name: "bo@other.jsonl")
    for pieceSize in [1, 300, 1 << 20] {
        let snapshot = try testStore(directory).readSummaries(pieceSize: pieceSize)
        #expect(snapshot.administrations.count == 5, "piece size \(pieceSize)")
        #expect(snapshot.problems.map(\.kind) == [.malformedLine])
        #expect(snapshot.problems.first?.line == 3)
        #expect(snapshot.problems.first?.detail.contains(detail) == true)
    }
}

@Test func repairQuarantinesEveryLineAReportWouldStumbleOnAndKeepsTheRest() throws {
    let directory = try temporaryStore()
    try FileManager.default.createDirectory(
        atPath: directory + "/journals", withIntermediateDirectories: true)
    for (number, (fixture, _)) in linesReportsWouldStumbleOn.enumerated() {
        let journal = directory + "/journals/w\(number)@host.jsonl"
        try FileManager.default.copyItem(atPath: try fixturePath(fixture), toPath: journal)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journal)
    }
    let store = testStore(directory)
    let before = try store.check()
    #expect(before.problems.filter { $0.kind == .malformedLine }.count == linesReportsWouldStumbleOn.count)
    let after = try store.repair()
    #expect(after.problems.isEmpty)
    #expect(after.records == before.records)
    #expect(after.quarantined.count == linesReportsWouldStumbleOn.count)
    for path in after.quarantined {
        let moved = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(moved.split(separator: UInt8(ascii: "\n")).count == 1)
        #expect(moved.starts(with: Array("{\"id\":\"r99\"".utf8)))
    }
}

@Test(arguments: [1e13, -1e13, 1e308])
func aNumberBeyondWhatAJournalHoldsIsRefusedAndNothingIsWritten(total: Double) throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20), caseID: "K-1")
    #expect(throws: StorageError.notANumber(field: "answers.individually", caseID: "K-2")) {
        try store.append(ors(total), caseID: "K-2")
    }
    #expect(try store.read().records.count == 1)
}
