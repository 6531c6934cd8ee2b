import Foundation
import Support
import Testing

@testable import Storage

// `check` counts records and cases without holding them (Store+Check.swift): its counts and
// problems must be those of the full read, whatever the size of the pieces it reads.

/// A line of a record of `caseID` with `id`, written at `seconds` after 2026-03-14 10:00 UTC.
private func line(_ id: String, _ caseID: String, _ seconds: Double, _ body: RecordBody = ors(20)) -> String {
    Record(
        id: id, writer: "anna@host", time: Date(timeIntervalSince1970: 1_773_482_400 + seconds),
        caseID: caseID,
        body: body
    ).encodedLine()
}

/// A store whose journals hold every case `merge` decides: a copy of an id with an earlier time in
/// a later journal (and in another case), copies with equal times, two erasures of a case and a
/// record after them, a journal out of time order, empty, torn, malformed and newer lines, and
/// ids that are hexadecimal and ids that are not.
private func trickyStore() throws -> String {
    let directory = try temporaryStore()
    let journals = directory + "/journals"
    try FileManager.default.createDirectory(atPath: journals, withIntermediateDirectories: true)
    let hex = "0123456789abcdef0123456789abcdef"
    let files = [
        "a@host.jsonl": [
            line(hex, "K-1", 10), line("r-2", "K-1", 11), line("r-3", "K-2", 12), "",
            line("r-4", "K-3", 13), "{\"id\":\"broken", line("r-5", "K-3", 40),
            line("e-1", "K-3", 30, .erasure),
            line("R-6", "K-4", 50), "{\"id\":\"n\",\"v\":99,\"kind\":\"administration\",\"case\":\"K-9\"}",
        ].joined(separator: "\n") + "\n",
        // A synced copy: the hexadecimal id again, earlier and in another case; r-2 at the same time.
        "b@host.jsonl": [
            line(hex, "K-5", 5), line("r-2", "K-6", 11), line("0123456789ABCDEF0123456789ABCDEF", "K-7", 1),
            line("e-2", "K-3", 20, .erasure), line("r-7", "K-3", 15),
            // The same time as a's r-3: a's, in K-2, is read; this one would be erased.
            line("r-3", "K-3", 12),
        ].joined(separator: "\n") + "\n",
        // Out of time order (a clock set back), and torn at the end.
        "c@host.jsonl": [line("r-8", "K-8", 90), line("r-9", "K-8", 60), line("r-6", "K-4", 45)]
            .joined(separator: "\n") + "\n" + "{\"id\":\"torn\",\"v\":1",
        "d@host.jsonl": "",
    ]
    for (name, text) in files {
        try text.write(toFile: journals + "/" + name, atomically: true, encoding: .utf8)
    }
    return directory
}

@Test(arguments: [1, 40, 300, 4 << 20])
func checkCountsWhatTheFullReadGives(pieceSize: Int) throws {
    let store = testStore(try trickyStore())
    let snapshot = try store.read()
    let counted = try store.countJournals(pieceSize: pieceSize)
    #expect(counted.journals == snapshot.journals)
    #expect(counted.records == snapshot.records.count)
    #expect(counted.cases == Set(snapshot.records.map(\.caseID)).count)
    #expect(counted.problems == snapshot.problems)
    // What the store above holds, so that a read that changed with the count would still be caught.
    #expect(counted.journals == 4)
    #expect(counted.records == 11)
    #expect(counted.cases == 7)
    #expect(counted.problems.map(\.kind) == [.malformedLine, .newerVersion, .tornLine])
    #expect(counted.problems.map(\.line) == [6, 10, 4])
}

@Test func aJournalThatCannotBeReadCountsNothingButItsProblem() throws {
    let directory = try trickyStore()
    try FileManager.default.createSymbolicLink(
        atPath: directory + "/journals/e@host.jsonl",
        withDestinationPath: directory + "/journals/a@host.jsonl")
    let store = testStore(directory)
    let snapshot = try store.read()
    let counted = try store.countJournals(pieceSize: 100)
    #expect(counted.records == snapshot.records.count)
    #expect(counted.problems == snapshot.problems)
    #expect(counted.problems.map(\.kind).contains(.symbolicLink))
}

/// Many ids met again in other journals, at other times and in other cases (random ids, ids
/// that share a first or a last half, text ids and escaped ones), and erasures among them: the
/// count sorts ids by their first halves and must still find every copy as the full read does.
@Test func checkFindsEveryCopyOfManyIDsAsTheFullReadDoes() throws {
    var generator = SystemRandomNumberGenerator()
    var ids = (0..<400).map { _ in HexID(high: generator.next(), low: generator.next()).text }
    ids += (0..<200).map { HexID(high: 7, low: UInt64($0)).text }
    ids += (0..<200).map { HexID(high: UInt64($0) << 48, low: 7).text }
    ids += (0..<50).map { "paper-\($0)" } + [HexID(high: 0, low: 0).text]
    let directory = try temporaryStore()
    let journals = directory + "/journals"
    try FileManager.default.createDirectory(atPath: journals, withIntermediateDirectories: true)
    for journal in 0..<3 {
        var lines: [String] = []
        for id in ids.shuffled().prefix(600) {
            let caseID = "K-\(Int.random(in: 1...40))"
            let seconds = Double(Int.random(in: 0...100))
            let body: RecordBody = Int.random(in: 0..<40) == 0 ? .erasure : ors(20)
            var text = line(id, caseID, seconds, body)
            // The id written with an escape now and then: the same id to the read.
            if Bool.random(), let range = text.range(of: "\"id\":\"0") {
                text.replaceSubrange(range, with: "\"id\":\"\\u0030")
            }
            lines.append(text)
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: journals + "/j\(journal)@host.jsonl", atomically: true, encoding: .utf8)
    }
    let store = testStore(directory)
    let snapshot = try store.read()
    for pieceSize in [997, 4 << 20] {
        let counted = try store.countJournals(pieceSize: pieceSize)
        #expect(counted.records == snapshot.records.count)
        #expect(counted.cases == Set(snapshot.records.map(\.caseID)).count)
        #expect(counted.problems == snapshot.problems)
    }
    #expect(snapshot.records.count > 500)
}
