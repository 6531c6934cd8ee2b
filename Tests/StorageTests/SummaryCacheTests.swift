import Foundation
import Support
import Testing

@testable import Storage

/// A store of two writers with comments, hex and other ids, parts, a goal, a correction and an
/// erasure: everything a summary carries.
private func mixedStore() throws -> (directory: String, anna: Store, bo: Store) {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    let bo = Store(
        directory: directory, writer: "bo@other", now: { Date(timeIntervalSince1970: 1_773_400_000) })
    for index in 0..<30 {
        try (index % 2 == 0 ? anna : bo).append(
            ors(Double(index), comment: index % 7 == 0 ? "ord \"æ\" \\ \(index)" : nil),
            caseID: "K-\(index % 5)")
    }
    try anna.append(
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå ture")), caseID: "K-1")
    try bo.append(
        .administration(
            AdministrationRecord(
                instrument: "gbo", instrumentVersion: "1", worker: nil, respondent: "citizen",
                date: "bad date",
                answers: [:], scores: ["g1": 4, "g2": 7.5])), caseID: "K-1")
    _ = try anna.erase(caseID: "K-4")
    return (directory, anna, bo)
}

private func describe(_ snapshot: SummarySnapshot) -> [String] {
    snapshot.administrations.map(fields) + snapshot.others.map { "\($0)" }
        + snapshot.problems.map(\.description)
}

/// The cache file at `path`, read and checked, or nil when it is not a sound cache.
private func loadedCache(_ path: String) throws -> LoadedCache? {
    LoadedCache(try FileDescriptor.openForReading(path), journal: "journal")
}

private func cacheFiles(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/cache")) ?? []).sorted()
}

@Test func aCachedReadGivesWhatParsingTheJournalsGives() throws {
    let (directory, anna, _) = try mixedStore()
    let parsed = try anna.readSummaries(cacheAfter: .max)
    #expect(cacheFiles(directory).isEmpty)
    let first = try anna.readSummaries(cacheAfter: 0)
    #expect(cacheFiles(directory) == ["anna@host.summaries", "bo@other.summaries"])
    let cached = try anna.readSummaries(cacheAfter: 0)
    #expect(describe(first) == describe(parsed))
    #expect(describe(cached) == describe(parsed))
    #expect(parsed.administrations.contains { $0.parts == ["g1": 4, "g2": 7.5] && $0.day == nil })
    #expect(FileSystem.mode(directory + "/cache") == 0o700)
    for name in cacheFiles(directory) { #expect(FileSystem.mode(directory + "/cache/" + name) == 0o600) }
}

@Test func aColdReadThatWritesTheCachesFirstGivesWhatParsingGivesAndTheSameCaches() throws {
    let (directory, anna, bo) = try mixedStore()
    // A torn last line is reported, and left out of the cache, either way.
    let handle = try #require(FileHandle(forWritingAtPath: directory + "/journals/bo@other.jsonl"))
    handle.seekToEndOfFile()
    handle.write(Data("not json\n{\"id\":\"half".utf8))
    try handle.close()
    let parsed = try anna.readSummaries(cacheAfter: .max)
    #expect(parsed.problems.count == 2)
    let first = try anna.readSummaries(cacheAfter: 0, parsingAhead: .max)
    let caches = try allBytes(under: directory + "/cache").map(\.bytes)
    for name in cacheFiles(directory) { FileSystem.remove(directory + "/cache/" + name) }
    // Every journal parsed and cached before the read (the read then reads the caches).
    let ahead = try anna.readSummaries(cacheAfter: 0, parsingAhead: 0)
    #expect(describe(ahead) == describe(parsed))
    #expect(describe(first) == describe(parsed))
    #expect(try allBytes(under: directory + "/cache").map(\.bytes) == caches)
    // With caches that match, nothing is parsed ahead: the read is the warm one.
    #expect(describe(try anna.readSummaries(cacheAfter: 0, parsingAhead: 0)) == describe(parsed))
    // Where no cache can be written (a file stands where the folder would), the read goes on and
    // parses the journals.
    try FileManager.default.removeItem(atPath: directory + "/cache")
    #expect(FileManager.default.createFile(atPath: directory + "/cache", contents: Data("x".utf8)))
    #expect(describe(try anna.readSummaries(cacheAfter: 0, parsingAhead: 0)) == describe(parsed))
    FileSystem.remove(directory + "/cache")
    // A cold read of one case writes them first too, then reads the case from them.
    try bo.append(ors(31.5), caseID: "K-2")
    let whole = try anna.readSummaries(cacheAfter: .max)
    let one = try anna.readSummaries(caseID: "K-2", cacheAfter: 0, parsingAhead: 0)
    #expect(
        one.administrations.map(fields) == whole.administrations.filter { $0.caseID == "K-2" }.map(fields))
    #expect(one.administrations.filter { $0.total == 31.5 }.count == 1)
    #expect(cacheFiles(directory) == ["anna@host.summaries", "bo@other.summaries"])
}

@Test func aCacheFileRoundTripsEverySummary() throws {
    let (directory, anna, _) = try mixedStore()
    _ = try anna.readSummaries(cacheAfter: 0)
    let path = directory + "/cache/anna@host.summaries"
    let bytes = try FileDescriptor.openForReading(path).readAll()
    let cache = try #require(try loadedCache(path))
    let again = SummaryCache(
        identity: cache.identity, covered: cache.covered, lines: cache.lines, tailHash: cache.tailHash,
        table: cache.table, others: cache.others, problems: cache.problems)
    #expect(again.encoded() == bytes)
    let journal = try Data(contentsOf: URL(fileURLWithPath: directory + "/journals/anna@host.jsonl"))
    #expect(cache.covered == journal.count)
    #expect(cache.lines == journal.filter { $0 == 0x0A }.count)
    #expect(cache.count + cache.others.count == cache.lines)
}

@Test func recordsAppendedAfterTheCacheAreReadAndCounted() throws {
    let (directory, anna, bo) = try mixedStore()
    _ = try anna.readSummaries(cacheAfter: 0)
    let cachedBytes = try allBytes(under: directory + "/cache").map(\.bytes)
    try bo.append(ors(33), caseID: "K-7")
    // A malformed line after the cached part is reported at its own line number.
    let handle = try #require(FileHandle(forWritingAtPath: directory + "/journals/bo@other.jsonl"))
    handle.seekToEndOfFile()
    handle.write(Data("not json\n".utf8))
    try handle.close()
    let lines = try Data(contentsOf: URL(fileURLWithPath: directory + "/journals/bo@other.jsonl")).filter {
        $0 == 0x0A
    }.count
    let snapshot = try anna.readSummaries(cacheAfter: .max)
    // Too little is new to rewrite the cache, and the cached part is still used.
    #expect(try allBytes(under: directory + "/cache").map(\.bytes) == cachedBytes)
    #expect(snapshot.administrations.contains { $0.caseID == "K-7" && $0.total == 33 })
    #expect(snapshot.problems.map(\.line) == [lines])
    #expect(describe(snapshot) == describe(try anna.readSummaries(cacheAfter: 0)))
    #expect(describe(snapshot) == describe(try anna.readSummaries(cacheAfter: 0)))
}

@Test func aTornTailIsLeftOutOfTheCacheAndStillReported() throws {
    let (directory, anna, bo) = try mixedStore()
    let journal = directory + "/journals/bo@other.jsonl"
    let handle = try #require(FileHandle(forWritingAtPath: journal))
    handle.seekToEndOfFile()
    handle.write(Data("{\"id\":\"half".utf8))
    try handle.close()
    let first = try anna.readSummaries(cacheAfter: 0)
    let second = try anna.readSummaries(cacheAfter: 0)
    #expect(first.problems.map(\.kind) == [.tornLine])
    #expect(describe(second) == describe(first))
    // The writer's next save sets the torn line aside; the cache still matches what stays.
    try bo.append(ors(11), caseID: "K-8")
    let after = try anna.readSummaries(cacheAfter: 0)
    #expect(after.problems.isEmpty)
    #expect(after.administrations.count == first.administrations.count + 1)
}

@Test(arguments: ["truncate", "flip", "garbage"])
func aDamagedCacheIsIgnoredAndMadeAnew(damage: String) throws {
    let (directory, anna, _) = try mixedStore()
    let parsed = try anna.readSummaries(cacheAfter: .max)
    _ = try anna.readSummaries(cacheAfter: 0)
    let path = directory + "/cache/anna@host.summaries"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    switch damage {
    case "truncate": bytes = bytes.prefix(bytes.count / 2)
    case "flip":
        // Near the end of what a whole-store read reads (the case index after it is read only for
        // one case: see CachedCaseTests).
        let header = try #require(SummaryCache.Header(try FileDescriptor.openForReading(path)))
        bytes[header.range(.fullLines).upperBound - 3] ^= 0x40
        #expect(LoadedCache(try FileDescriptor.openForReading(path), journal: "journal") != nil)
    default: bytes = Data("not a cache".utf8)
    }
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect(try loadedCache(path) == nil)
    #expect(describe(try anna.readSummaries(cacheAfter: 0)) == describe(parsed))
    #expect(try loadedCache(path) != nil)
}

@Test func aRewrittenJournalIsNotReadThroughItsOldCache() throws {
    let (directory, anna, _) = try mixedStore()
    _ = try anna.readSummaries(cacheAfter: 0)
    // Another program replaces the journal with one of the same length but other content.
    let journal = directory + "/journals/bo@other.jsonl"
    let text = try String(contentsOfFile: journal, encoding: .utf8).replacingOccurrences(
        of: "{\"total\":1}", with: "{\"total\":9}")
    #expect(text.utf8.count == (try Data(contentsOf: URL(fileURLWithPath: journal))).count)
    try FileManager.default.removeItem(atPath: journal)
    try Data(text.utf8).write(to: URL(fileURLWithPath: journal))
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journal)
    let snapshot = try anna.readSummaries(cacheAfter: .max)
    #expect(!snapshot.administrations.contains { $0.total == 1 })
    #expect(snapshot.administrations.contains { $0.total == 9 })
    // The old cache did not match and was not rebuilt, so it is gone.
    #expect(cacheFiles(directory) == ["anna@host.summaries"])
}

@Test func erasureDeletesTheCachesAndTheCaseStaysOut() throws {
    let (directory, anna, _) = try mixedStore()
    _ = try anna.readSummaries(cacheAfter: 0)
    #expect(cacheFiles(directory).count == 2)
    _ = try anna.erase(caseID: "K-2")
    #expect(cacheFiles(directory).isEmpty)
    let snapshot = try anna.readSummaries(cacheAfter: 0)
    #expect(!snapshot.administrations.contains { $0.caseID == "K-2" })
    #expect(cacheFiles(directory).count == 2)
    for name in cacheFiles(directory) {
        let cache = try #require(try loadedCache(directory + "/cache/" + name))
        #expect(!cache.table.summaries.contains { $0.caseID == "K-2" })
        // Of the case only its erasure marker is left, which holds no answers.
        let mentions = cache.others.records.filter { $0.caseID == "K-2" }
        #expect(mentions.allSatisfy { $0.body == .erasure })
    }
}

@Test func checkReportsACacheOthersCanRead() throws {
    let (directory, anna, _) = try mixedStore()
    _ = try anna.readSummaries(cacheAfter: 0)
    let path = directory + "/cache/anna@host.summaries"
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    #expect(try anna.check().problems.map(\.file) == [path])
    _ = try anna.repair()
    #expect(FileSystem.mode(path) == 0o600)
}

@Test func hexIDsTakeSixteenBytesAndReadBackTheSame() throws {
    let id = Store.randomID()
    let bits = try #require(HexID(id))
    #expect(bits.text == id)
    #expect(HexID("ABCDEF0123456789abcdef0123456789") == nil)
    #expect(HexID("anna@host-1") == nil)
}

@Test(arguments: [0, Int.max])
func aSyncedCopyOfAJournalCountsEachAdministrationOnce(cacheAfter: Int) throws {
    let directory = try temporaryStore()
    let anna = Store(directory: directory, writer: "anna@host")
    let bo = Store(directory: directory, writer: "bo@other")
    for index in 0..<50 {
        try (index % 3 == 0 ? bo : anna).append(ors(Double(index % 40)), caseID: "K-\(index % 4)")
    }
    // A record appended twice to one journal, and a sync tool's copy of a whole journal.
    let twice = try anna.read().records.first { $0.writer == "bo@other" }!
    try bo.append(records: [twice])
    try FileManager.default.copyItem(
        atPath: directory + "/journals/anna@host.jsonl",
        toPath: directory + "/journals/anna@host (conflicted copy).jsonl")
    for _ in 0..<2 {
        let snapshot = try anna.readSummaries(cacheAfter: cacheAfter)
        #expect(snapshot.table.count == 50)
        #expect(Set(snapshot.administrations.map(\.id)).count == 50)
    }
    // The copy is read after the original (names in order), so the original's records stay.
    try anna.append(ors(39), caseID: "K-9")
    let later = try anna.readSummaries(cacheAfter: cacheAfter)
    #expect(later.table.count == 51)
}

@Test(arguments: [0, Int.max])
func readingOneCaseGivesWhatTheWholeReadHoldsOfIt(cacheAfter: Int) throws {
    let (_, anna, _) = try mixedStore()
    for _ in 0..<2 {
        let whole = try anna.readSummaries(cacheAfter: cacheAfter)
        for caseID in ["K-1", "K-3", "K-4", "K-none"] {
            let one = try anna.readSummaries(caseID: caseID, cacheAfter: cacheAfter)
            #expect(
                one.administrations.map(fields)
                    == whole.administrations.filter { $0.caseID == caseID }.map(fields))
            #expect(one.others == whole.others.filter { $0.caseID == caseID })
            #expect(one.problems == whole.problems)
        }
        #expect(try anna.readSummaries(caseID: "K-1").table.count > 0)
    }
}

@Test func theFingerprintChangesWithEveryWriteAndOnlyThen() throws {
    let (_, anna, bo) = try mixedStore()
    let first = try anna.readSummaries().fingerprint
    #expect(try anna.readSummaries(cacheAfter: 0).fingerprint == first)
    #expect(try anna.readSummaries(caseID: "K-1").fingerprint == first)
    try bo.append(ors(3), caseID: "K-1")
    let second = try anna.readSummaries().fingerprint
    #expect(second != first)
    _ = try anna.erase(caseID: "K-3")
    #expect(try anna.readSummaries().fingerprint != second)
}

@Test func derivedFiguresAreGivenBackOnlyForTheStateTheyWereLearnedFrom() throws {
    let (directory, anna, bo) = try mixedStore()
    let fingerprint = try anna.readSummaries().fingerprint
    anna.saveDerived("bands", fingerprint: fingerprint, Array("figures".utf8))
    #expect(anna.derived("bands", fingerprint: fingerprint) == Array("figures".utf8))
    #expect(anna.derived("bands", fingerprint: fingerprint &+ 1) == nil)
    #expect(anna.derived("other", fingerprint: fingerprint) == nil)
    let path = directory + "/cache/bands.derived"
    #expect(FileSystem.mode(path) == 0o600)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[bytes.count - 1] ^= 1
    try bytes.write(to: URL(fileURLWithPath: path))
    #expect(anna.derived("bands", fingerprint: fingerprint) == nil)
    anna.saveDerived("bands", fingerprint: fingerprint, Array("figures".utf8))
    try bo.append(ors(3), caseID: "K-1")
    #expect(anna.derived("bands", fingerprint: try anna.readSummaries().fingerprint) == nil)
    _ = try anna.erase(caseID: "K-1")
    #expect(!FileManager.default.fileExists(atPath: path))
}

@Test func aCacheCutShortAfterItWasLoadedIsStillReadWhole() throws {
    let (directory, anna, _) = try mixedStore()
    _ = try anna.readSummaries(cacheAfter: 0)
    let path = directory + "/cache/anna@host.summaries"
    let bytes = try FileDescriptor.openForReading(path).readAll()
    let cache = try #require(try loadedCache(path))
    // What another client's rename on a network share does to a file held open: mapped, the
    // next touch of a page past the new end would end the process with SIGBUS.
    #expect(truncate(path, off_t(bytes.count / 2)) == 0)
    let again = SummaryCache(
        identity: cache.identity, covered: cache.covered, lines: cache.lines, tailHash: cache.tailHash,
        table: cache.table, others: cache.others, problems: cache.problems)
    #expect(again.encoded() == bytes)
}

@Test(arguments: [0, 1, 8, 40, 64, 100, 1000])
func aCacheCutShortBeforeTheReadFallsBackToTheJournal(keep: Int) throws {
    let (directory, anna, _) = try mixedStore()
    let parsed = try anna.readSummaries(cacheAfter: .max)
    _ = try anna.readSummaries(cacheAfter: 0)
    for name in cacheFiles(directory) {
        let path = directory + "/cache/" + name
        let size = try FileDescriptor.openForReading(path).size()
        #expect(truncate(path, off_t(min(keep, size - 1))) == 0)
    }
    #expect(describe(try anna.readSummaries(cacheAfter: .max)) == describe(parsed))
}

@Test func reportsReadingWhileCachesAreCutShortNeverCrash() throws {
    let (directory, anna, _) = try mixedStore()
    let parsed = describe(try anna.readSummaries(cacheAfter: .max))
    let stop = Counter()
    let cutter = Thread {
        var round = 0
        while stop.peek() == 0 {
            round += 1
            for name in cacheFiles(directory) where name.hasSuffix(".summaries") {
                let path = directory + "/cache/" + name
                let size = (try? FileDescriptor.openForReading(path).size()) ?? 0
                _ = truncate(path, off_t(size / (2 + round % 3)))
            }
        }
    }
    cutter.start()
    defer { _ = stop.next() }
    for _ in 0..<200 {
        #expect(describe(try anna.readSummaries(cacheAfter: 0)) == parsed)
    }
}
