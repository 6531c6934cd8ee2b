import Foundation
import Support
import Testing

@testable import Storage

@Test func appendedRecordsReadBackInOrder() throws {
    let store = testStore(try temporaryStore())
    let first = try store.append(ors(20), caseID: "K-1")
    let second = try store.append(ors(25, comment: "bedre"), caseID: "K-2")
    let snapshot = try store.read()
    #expect(snapshot.records == [first, second])
    #expect(snapshot.problems.isEmpty)
    #expect(try store.records(forCase: "K-2") == [second])
}

@Test func readersMergeJournalsDeduplicatedAndOrderedByTime() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory, writer: "anna@host", start: Date(timeIntervalSince1970: 100))
    let bo = testStore(directory, writer: "bo@other", start: Date(timeIntervalSince1970: 50))
    let a = try anna.append(ors(20), caseID: "K-1")
    let b = try bo.append(ors(21), caseID: "K-1")
    // The same record arriving twice (a synced copy) is read once.
    try bo.append(records: [a])
    #expect(try anna.read().records == [b, a])
    #expect(try anna.read().journals == 2)
}

@Test func aBatchIsAllOrNothing() throws {
    let store = testStore(try temporaryStore())
    #expect(throws: StorageError.self) {
        try store.append(batch: [("K-1", ors(20)), ("0101901234", ors(21))])
    }
    #expect(try !store.exists || store.read().records.isEmpty)
}

@Test func filesAre0600AndFolders0700UnderUmask022() throws {
    let directory = try temporaryStore()
    let result = try runStress(directory, writer: "umask@host", count: 3, extra: ["--umask", "022"])
    #expect(result.status == 0)
    #expect(FileSystem.mode(directory) == 0o700)
    #expect(FileSystem.mode(directory + "/journals") == 0o700)
    #expect(FileSystem.mode(directory + "/journals/umask@host.jsonl") == 0o600)
    let store = testStore(directory)
    try store.audit(command: "history", caseID: "K-1")
    #expect(FileSystem.mode(directory + "/audit/anna@host.jsonl") == 0o600)
}

@Test(arguments: [
    ("torn-last-line.jsonl", StoreProblem.Kind.tornLine, 5, 4),
    ("malformed-middle-line.jsonl", .malformedLine, 3, 5),
    ("unknown-schema-version.jsonl", .newerVersion, 3, 4),
    ("truncated-file.jsonl", .tornLine, 5, 4),
])
func eachBadFileIsReportedByFileAndLineAndLosesNothingElse(
    fixture: String, kind: StoreProblem.Kind, line: Int, records: Int
) throws {
    let directory = try storeWithJournal(fixture, name: "bo@other.jsonl")
    let store = testStore(directory)
    let snapshot = try store.read()
    #expect(snapshot.records.count == records)
    #expect(snapshot.problems.count == 1)
    let problem = try #require(snapshot.problems.first)
    #expect(problem.kind == kind)
    #expect(problem.line == line)
    #expect(problem.description.hasPrefix("\(directory)/journals/bo@other.jsonl:\(line): "))
}

@Test func aWriterSetsItsOwnTornTailAsideBeforeAppending() throws {
    let directory = try storeWithJournal("torn-last-line.jsonl")
    let store = testStore(directory)
    let torn = try String(contentsOfFile: directory + "/journals/anna@host.jsonl", encoding: .utf8).split(
        separator: "\n"
    ).last!
    let added = try store.append(ors(30), caseID: "K-9")
    let snapshot = try store.read()
    #expect(snapshot.problems.isEmpty)
    #expect(snapshot.records.count == 5)
    #expect(snapshot.records.last == added)
    let quarantined = try FileManager.default.contentsOfDirectory(atPath: directory + "/quarantine")
    #expect(quarantined.count == 1)
    let kept = try String(contentsOfFile: directory + "/quarantine/" + quarantined[0], encoding: .utf8)
    #expect(kept == torn + "\n")
}

@Test func repairQuarantinesBadLinesAndDeletesNothing() throws {
    let directory = try storeWithJournal("malformed-middle-line.jsonl", name: "bo@other.jsonl")
    try FileManager.default.copyItem(
        atPath: try fixturePath("unknown-schema-version.jsonl"),
        toPath: directory + "/journals/cy@third.jsonl")
    try FileManager.default.setAttributes(
        [.posixPermissions: 0o600], ofItemAtPath: directory + "/journals/cy@third.jsonl")
    let store = testStore(directory)
    let before = try store.check()
    #expect(before.problems.count == 2)
    let after = try store.repair()
    #expect(after.quarantined.count == 1)
    #expect(after.problems.map(\.kind) == [.newerVersion])  // a newer Pejling's record stays
    #expect(after.records == before.records)
    let moved = try String(contentsOfFile: after.quarantined[0], encoding: .utf8)
    #expect(moved.contains("this is not json"))
    #expect(FileSystem.mode(directory + "/journals/bo@other.jsonl") == 0o600)
}

@Test func erasureLeavesNoTraceOfTheCasesAnswersAnywhere() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let bo = testStore(directory, writer: "bo@other")
    try anna.append(ors(17.3, comment: "UNIQUE-SECRET-COMMENT"), caseID: "K-7")
    try bo.append(ors(22.2, comment: "UNIQUE-SECRET-TWO"), caseID: "K-7")
    let other = try anna.append(ors(30, comment: "keep me"), caseID: "K-8")
    // A broken line that mentions the case, and one in quarantine.
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/journals/bo@other.jsonl"))
    handle.seekToEndOfFile()
    handle.write(Data(#"{"case":"K-7","comment":"UNIQUE-SECRET-BROKEN"#.utf8))
    try handle.close()
    _ = try bo.append(ors(1), caseID: "K-8")  // sets the torn line aside into quarantine

    let report = try anna.erase(caseID: "K-7")
    #expect(report.removed.values.reduce(0, +) == 3)
    for (path, bytes) in try allBytes(under: directory) where !path.contains("/audit/") {
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("UNIQUE-SECRET"), "\(path) still holds the erased case's words")
        #expect(
            !text.contains("17.3") && !text.contains("22.2"), "\(path) still holds the erased case's scores")
    }
    let snapshot = try anna.read()
    #expect(snapshot.records.contains(other))
    #expect(snapshot.records.filter { $0.caseID == "K-7" }.map(\.body) == [.erasure])
    #expect(throws: StorageError.unknownCase("K-404")) { try anna.erase(caseID: "K-404") }
}

@Test func aStaleJournalCopyDoesNotBringAnErasedCaseBack() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let record = try anna.append(ors(12), caseID: "K-7")
    _ = try anna.erase(caseID: "K-7")
    // A colleague's synced folder brings back an old copy of the record.
    try testStore(directory, writer: "bo@other").append(records: [record])
    #expect(try anna.read().records.filter { $0.caseID == "K-7" }.map(\.body) == [.erasure])
}

@Test func exportOfACaseIsItsRecordsExactlyAsStored() throws {
    let store = testStore(try temporaryStore())
    let mine = try store.append(ors(20, comment: "mig"), caseID: "K-1")
    try store.append(ors(25), caseID: "K-2")
    #expect(try store.exportCase("K-1") == mine.encodedLine() + "\n")
    #expect(throws: StorageError.unknownCase("K-3")) { try store.exportCase("K-3") }
}

@Test func theAuditTrailHoldsNoAnswers() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20, comment: "PRIVATE"), caseID: "K-1")
    try store.audit(command: "ask ors", caseID: "K-1")
    let audit = try String(contentsOfFile: directory + "/audit/anna@host.jsonl", encoding: .utf8)
    #expect(
        audit == #"{"time":"2026-03-14T10:00:01Z","writer":"anna@host","command":"ask ors","case":"K-1"}"#
            + "\n")
}

/// A summary's fields, for comparing the two read paths.
func fields(_ summary: AdministrationSummary) -> String {
    "\(summary.id)|\(summary.caseID)|\(summary.instrument)|\(summary.worker ?? "-")|\(summary.respondent)|\(summary.day ?? -1)|\(summary.time.timeIntervalSince1970)|\(summary.total ?? -1)|\(summary.parts.sorted { $0.key < $1.key })|\(summary.age ?? -1)|\(summary.comment ?? "-")"
}

@Test(arguments: [1, 64, 1000, 8 << 20])
func summariesReadInPiecesAgreeWithFullRecords(pieceSize: Int) throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let bo = testStore(directory, writer: "bo@other", start: Date(timeIntervalSince1970: 1_773_400_000))
    for index in 0..<40 {
        try (index % 2 == 0 ? anna : bo).append(
            ors(Double(index % 40), comment: index % 7 == 0 ? "ord \"æ\" \\ \(index)" : nil),
            caseID: "K-\(index % 5)")
    }
    let goal = try anna.append(
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå ture")), caseID: "K-1")
    let target = try bo.append(ors(12), caseID: "K-9")
    try anna.append(
        .correction(
            target: target.id,
            replacement: AdministrationRecord(
                instrument: "ors", instrumentVersion: "1", worker: nil, respondent: "relative",
                date: "2026-01-02T10:00:00+01:00",
                answers: [:], scores: ["total": 13, "sub": 2])), caseID: "K-9")
    _ = try anna.erase(caseID: "K-4")

    let full = try anna.read()
    let expected = SummarySnapshot(records: full.records)
    let pieces = try anna.readSummaries(pieceSize: pieceSize)
    #expect(Set(pieces.administrations.map(fields)) == Set(expected.administrations.map(fields)))
    #expect(pieces.others == expected.others)
    #expect(pieces.others.contains(goal))
    #expect(pieces.problems.isEmpty)
}

@Test(arguments: [
    ("torn-last-line.jsonl", StoreProblem.Kind.tornLine, 5, 4),
    ("malformed-middle-line.jsonl", .malformedLine, 3, 5),
    ("unknown-schema-version.jsonl", .newerVersion, 3, 4),
    ("truncated-file.jsonl", .tornLine, 5, 4),
])
func summariesReportTheSameProblemsWithTheRightLines(
    fixture: String, kind: StoreProblem.Kind, line: Int, records: Int
) throws {
    let directory = try storeWithJournal(fixture, name: "bo@other.jsonl")
    for pieceSize in [1, 300, 1 << 20] {
        let snapshot = try testStore(directory).readSummaries(pieceSize: pieceSize)
        #expect(snapshot.administrations.count == records)
        #expect(snapshot.problems.map(\.kind) == [kind])
        #expect(snapshot.problems.first?.line == line, "piece size \(pieceSize)")
    }
}

@Test func aPlainReadReportsATornTailButChangesNothing() throws {
    let directory = try storeWithJournal("torn-last-line.jsonl")
    let before = try allBytes(under: directory)
    let snapshot = try testStore(directory, writer: "reader@host").read()
    #expect(snapshot.problems.map(\.kind) == [.tornLine])
    _ = try testStore(directory, writer: "reader@host").check()
    let after = try allBytes(under: directory)
    #expect(after.map(\.path) == before.map(\.path))
    #expect(after.map(\.bytes) == before.map(\.bytes))
}

@Test func repairSetsAnotherWritersTornTailAsideAndTheJournalReadsClean() throws {
    let directory = try storeWithJournal("truncated-file.jsonl", name: "bo@other.jsonl")
    let original = try Data(contentsOf: URL(fileURLWithPath: directory + "/journals/bo@other.jsonl"))
    let health = try testStore(directory).repair()
    #expect(health.problems.isEmpty)
    #expect(health.records == 4)
    #expect(health.quarantined.count == 1)
    let journal = try Data(contentsOf: URL(fileURLWithPath: directory + "/journals/bo@other.jsonl"))
    let moved = try Data(contentsOf: URL(fileURLWithPath: health.quarantined[0]))
    // Nothing is lost: the journal and the quarantined line together are the original bytes.
    #expect(journal + moved.dropLast() == original)
    #expect(moved.last == 0x0A)
    #expect(FileSystem.mode(health.quarantined[0]) == 0o600)
    #expect(FileSystem.mode(directory + "/quarantine") == 0o700)
}

@Test func aDuplicateIdIsReadOnceEvenWithAnotherTime() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let original = try anna.append(ors(20), caseID: "K-1")
    var copy = original
    copy.time = original.time.addingTimeInterval(3600)
    try testStore(directory, writer: "bo@other").append(records: [copy])
    #expect(try anna.read().records == [original])
}

@Test func theExportOfACaseKeepsEachLineExactlyAsStored() throws {
    let directory = try temporaryStore()
    try FileManager.default.createDirectory(
        atPath: directory + "/journals", withIntermediateDirectories: true)
    let lines = [
        #"{"v":1,"id":"a1","kind":"withdrawal","writer":"bo","time":"2026-03-01T10:00:00Z","case":"K-1","target":"x","future":[1,{"k":null}]}"#,
        #"{"id":"a2","v":1,"kind":"erasure","writer":"bo","time":"2026-03-01T09:00:00Z","case":"K-2"}"#,
        #"{"id":"a3","v":7,"kind":"hologram","writer":"bo","time":"2026-03-02T10:00:00Z","case":"K-1"}"#,
        #"{"id":"a4", "v":1, "kind":"goal", "writer":"bo", "time":"2026-02-01T10:00:00.250Z", "case":"K-1", "instrument":"gbo", "goal":"g1", "action":"set", "text":"Sove"}"#,
    ]
    try Data(lines.joined(separator: "\n").appending("\n").utf8).write(
        to: URL(fileURLWithPath: directory + "/journals/bo.jsonl"))
    let export = try testStore(directory).exportCase("K-1")
    #expect(export == [lines[3], lines[0], lines[2]].joined(separator: "\n") + "\n")
}

@Test func aNumberJSONCannotHoldIsRefusedAndNothingIsWritten() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20), caseID: "K-1")
    #expect(throws: StorageError.notANumber(field: "answers.individually", caseID: "K-2")) {
        try store.append(batch: [("K-2", ors(21)), ("K-2", ors(.nan))])
    }
    #expect(try store.read().records.count == 1)
}

@Test func checkReportsFilesOthersMayRead() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20), caseID: "K-1")
    #expect(try store.check().problems.isEmpty)
    let journal = directory + "/journals/anna@host.jsonl"
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: journal)
    let problems = try store.check().problems
    #expect(problems.map(\.kind) == [.permissions])
    let repaired = try store.repair()
    #expect(repaired.madePrivate == [journal])
    #expect(repaired.problems.isEmpty)
    #expect(FileSystem.mode(journal) == 0o600)
    #expect(
        problems.first?.description
            == "\(journal): others than its owner may read it (mode 0644); a store holds sensitive data. Run 'chmod 600 \(journal)'."
    )
}

@Test func erasureAlsoRemovesTheCaseFromLinesItCannotReadAndKeepsItsMarkers() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    try anna.append(ors(17.3, comment: "SECRET-A"), caseID: "K-7")
    let kept = try anna.append(ors(30), caseID: "K-8")
    let journals = directory + "/journals/"
    // A newer Pejling's record of the case, and a temporary copy left behind by a crash.
    let newer =
        #"{"id":"n1","v":9,"kind":"x","writer":"cy","time":"2026-03-02T10:00:00Z","case":"K-7","secret":"SECRET-B"}"#
    let other = #"{"id":"n2","v":9,"kind":"x","writer":"cy","time":"2026-03-02T10:00:00Z","case":"K-8"}"#
    try Data((newer + "\n" + other + "\n").utf8).write(to: URL(fileURLWithPath: journals + "cy.jsonl"))
    try FileManager.default.copyItem(
        atPath: journals + "anna@host.jsonl", toPath: journals + "anna@host.jsonl.99.tmp")

    let first = try anna.erase(caseID: "K-7")
    #expect(
        first.removed == [
            journals + "anna@host.jsonl": 1, journals + "cy.jsonl": 1, journals + "anna@host.jsonl.99.tmp": 1,
        ])
    for (path, bytes) in try allBytes(under: directory) {
        #expect(!String(decoding: bytes, as: UTF8.self).contains("SECRET"), "\(path)")
    }
    #expect(try String(contentsOfFile: journals + "cy.jsonl", encoding: .utf8) == other + "\n")
    // Erasing again keeps the first marker and adds a second.
    let second = try anna.erase(caseID: "K-7")
    #expect(second.removed.isEmpty)
    let records = try anna.read().records
    #expect(records.filter { $0.caseID == "K-7" }.map(\.id) == [first.marker.id, second.marker.id])
    #expect(records.contains(kept))
}

@Test func anAuditEntryAfterATornAuditLineStaysWhole() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.audit(command: "history", caseID: "K-1")
    let path = directory + "/audit/anna@host.jsonl"
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    handle.seekToEndOfFile()
    handle.write(Data(#"{"time":"2026-03"#.utf8))
    try handle.close()
    try store.audit(command: "chart", caseID: nil)
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.last == #"{"time":"2026-03-14T10:00:00Z","writer":"anna@host","command":"chart"}"#)
}

@Test func journalsOutOfTimeOrderMergeByTimeThenIDKeepingTheFirstCopy() {
    func record(_ id: String, _ seconds: Double, _ comment: String? = nil) -> Record {
        Record(
            id: id, writer: "w", time: Date(timeIntervalSince1970: seconds), caseID: "K-1",
            body: ors(20, comment: comment))
    }
    // One journal written with its clock set back, with two records at one time and a copy of
    // a record later in it; the other in order.
    let first = [
        record("c", 30), record("b", 10), record("z", 20), record("a", 20), record("b", 10, "copy"),
        record("y", 5),
    ]
    let second = [record("d", 1), record("e", 25)]
    let merged = Store.merge([first, second])
    // Worked out here: every id once, the first copy as the journals list them, by time then id.
    var expected: [Record] = []
    for candidate in first + second where !expected.contains(where: { $0.id == candidate.id }) {
        expected.append(candidate)
    }
    expected.sort { ($0.time, $0.id) < ($1.time, $1.id) }
    #expect(merged == expected)
    #expect(merged.first { $0.id == "b" }?.body == ors(20))
}

/// Few times (sorted 8 bits at a time) and many (16 bits at a time).
@Test(arguments: [5_000, 40_000])
func aJournalsTimesSortByTheirBitsAsTheTimesCompareKeepingPlacesInOrderWithinATime(count: Int) {
    // Times before and after the reference date, both zeros, fractions, and many repeated, some
    // differing in their low bits only and some in their high bits only, in a seeded shuffle.
    let distinct: [Double] = [
        -1e9, -86_400.5, -1, -0.0, 0, 0.001, 1, 86_400, 86_400.000_000_1, 8.1e8, 8.1e8 + 60, 1e12,
        Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude,
    ]
    var state: UInt64 = 17
    let times = (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return distinct[Int(state >> 33 % UInt64(distinct.count))]
    }
    let (bits, places) = Store.placesSorted(by: times.map(Store.orderedBits))
    // Worked out here by comparing the times themselves, ties by place.
    let expected = times.indices.sorted { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
    #expect(places.map(Int.init) == expected)
    #expect(bits == expected.map { Store.orderedBits(times[$0]) })
    #expect(Store.placesSorted(by: []).places.isEmpty)
    #expect(Store.placesSorted(by: [7]).places == [0])
}

@Test(arguments: [0, Int.max])
func aWholeReadTakesEachAdministrationOnceAsTheFullRecordsHoldIt(cacheAfter: Int) throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let bo = testStore(directory, writer: "bo@other", start: Date(timeIntervalSince1970: 1_773_400_000))
    for index in 0..<30 {
        try (index % 3 == 0 ? bo : anna).append(ors(Double(index)), caseID: "K-\(index % 5)")
    }
    // Ids that are not hexadecimal (paper forms entered with their own numbers), one of them
    // in both journals and twice in one, and one in an erased case.
    func paper(_ id: String, _ caseID: String, _ total: Double) -> Record {
        Record(
            id: id, writer: "anna@host", time: Date(timeIntervalSince1970: 1_773_300_000), caseID: caseID,
            body: ors(total))
    }
    try anna.append(records: [
        paper("paper-1", "K-1", 3), paper("paper-2", "K-4", 4), paper("paper-1", "K-1", 3),
    ])
    try bo.append(records: [paper("paper-1", "K-1", 3), paper("paper-3", "K-2", 5)])
    // A record of one journal copied into the other, as a sync tool might.
    try bo.append(records: [try anna.read().records.first { $0.writer == "anna@host" }!])
    // Caches made now; later writes are read as pieces after them.
    _ = try anna.readSummaries(cacheAfter: cacheAfter)
    _ = try anna.erase(caseID: "K-4")
    try anna.append(records: [paper("paper-3", "K-2", 5), paper("paper-4", "K-3", 6)])
    try bo.append(ors(7), caseID: "K-3")

    let expected = SummarySnapshot(records: try anna.read().records).administrations.map(fields)
    let read = try anna.readSummaries(pieceSize: 256, cacheAfter: cacheAfter).administrations.map(fields)
    #expect(read.count == expected.count)
    #expect(Set(read) == Set(expected))
    #expect(expected.filter { $0.hasPrefix("paper-") }.count == 3)
    #expect(!expected.contains { $0.contains("|K-4|") })
}

@Test(arguments: [2, 30_000])
func anAppendThatFailsPartWayLeavesTheJournalAsItWas(count: Int) throws {
    // 30,000 records are several megabytes: written in parts before the bad last one is reached.
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20), caseID: "K-1")
    let before = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
    func record(_ number: Int, _ total: Double) -> Record {
        Record(
            id: "paper-\(number)", writer: "anna@host", time: Date(timeIntervalSince1970: 1_773_300_000),
            caseID: "K-2", body: ors(total))
    }
    let records = (1..<count).lazy.map { record($0, 20) } + [record(count, .nan)]
    #expect(throws: StorageError.notANumber(field: "answers.individually", caseID: "K-2")) {
        try store.append(records: records)
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: store.journalPath)) == before)
    #expect(try store.read().records.count == 1)

    // Without the bad one, every record is written, each made once as the sequence gives it.
    var made = 0
    try store.append(
        records: (1..<count).lazy.map { number in
            made += 1
            return record(number, 20)
        })
    #expect(made == count - 1)
    #expect(try store.read().records.count == count)
}

@Test func anEmptyAppendMakesNoJournal() throws {
    let store = testStore(try temporaryStore())
    try store.append(records: [Record]())
    #expect(!FileManager.default.fileExists(atPath: store.journalPath))
}

@Test func aJournalLargerThanTheRewritesBlockIsErasedAndRepairedLineForLine() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    for index in 0..<4 {
        try store.append(ors(Double(index), comment: "note \(index)"), caseID: "K-\(index % 2)")
    }
    let own =
        directory + "/journals/"
        + (try FileManager.default.contentsOfDirectory(atPath: directory + "/journals"))[0]
    let written = try String(contentsOfFile: own, encoding: .utf8).split(separator: "\n").map(String.init)
    // Another writer's journal: the erasure's own append sets aside a torn tail of its writer's.
    let path = directory + "/journals/bo@other.jsonl"
    // Enough lines that blocks end inside lines, with a line that is not a record now and then and
    // a torn last line: the journal a long-lived team's store, or a crash, leaves.
    var lines: [String] = []
    var size = 0
    var index = 0
    while size < 3 * Store.rewriteBlock + 1234 {
        let line = index % 997 == 0 ? "not a record \(index)" : written[index % written.count]
        lines.append(line)
        size += line.utf8.count + 1
        index += 1
    }
    let torn = String(written[1].prefix(40))
    try (lines.joined(separator: "\n") + "\n" + torn).write(toFile: path, atomically: false, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    func caseOf(_ line: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["case"] as? String
    }
    _ = try store.erase(caseID: "K-1")
    let erased = try String(contentsOfFile: path, encoding: .utf8)
    let kept = lines.filter { caseOf($0) != "K-1" } + [torn]
    #expect(erased == kept.joined(separator: "\n") + "\n")
    #expect(!erased.contains("note 1") && !erased.contains("note 3"))
    #expect(erased.contains("note 0") && erased.contains("note 2"))
    let repaired = try store.repair()
    let journal = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(journal.allSatisfy { caseOf($0) != nil })
    #expect(journal == kept.filter { caseOf($0) != nil })
    let quarantined = try repaired.quarantined.map { try String(contentsOfFile: $0, encoding: .utf8) }
        .joined()
    #expect(quarantined.split(separator: "\n").count == kept.filter { caseOf($0) == nil }.count)
}

@Test func aNeedleIsFoundWhereverANaiveSearchFindsIt() {
    // Bytes from a small alphabet, so needles occur, overlap and nearly occur; every length from
    // none to longer than the hay, at the start, the end and in between.
    var generator = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = Array("\"K-0".utf8)
    func naive(_ needle: [UInt8], _ hay: [UInt8]) -> Bool {
        guard needle.count <= hay.count else { return false }
        return (0...(hay.count - needle.count)).contains { Array(hay[$0..<($0 + needle.count)]) == needle }
    }
    for _ in 0..<3_000 {
        let hay = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
            alphabet.randomElement(using: &generator)!
        }
        let needle: [UInt8]
        if !hay.isEmpty, Bool.random(using: &generator) {
            let start = Int.random(in: 0..<hay.count, using: &generator)
            needle = Array(hay[start..<Int.random(in: (start + 1)...hay.count, using: &generator)])
        } else {
            needle = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }
        }
        let found = hay.withUnsafeBufferPointer { Store.contains($0, needle) }
        #expect(found == naive(needle, hay), "\(needle) in \(hay)")
    }
}
