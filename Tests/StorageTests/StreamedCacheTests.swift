import Foundation
import Support
import Testing

@testable import Storage

/// A store of two writers with parts, comments, an id that is not hexadecimal, a synced copy of
/// one record and an erasure, its caches written; and what a read parsing every journal gives.
func cachedStore() throws -> (directory: String, anna: Store, parsed: SummarySnapshot) {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    // bo's ids are hexadecimal, as the store makes them; anna's are not.
    let bo = Store(directory: directory, writer: "bo@other")
    let written = try writeAdministrations(cases: 5, commentEvery: 7, rater: bo) {
        $0 % 2 == 0 ? anna : bo
    }
    // A synced copy of one of anna's records in bo's journal, and a record with a text id.
    let copy = try #require(String(data: try JSONEncoder().encode(written[0]), encoding: .utf8))
    let text = copy.replacingOccurrences(of: written[0].id, with: "imported-1")
    let journal = directory + "/journals/bo@other.jsonl"
    let handle = try #require(FileHandle(forWritingAtPath: journal))
    handle.seekToEndOfFile()
    handle.write(Data((copy + "\n" + text + "\n").utf8))
    try handle.close()
    _ = try anna.erase(caseID: "K-4")
    let parsed = try anna.readSummaries(cacheAfter: .max)
    _ = try anna.readSummaries(cacheAfter: 0)
    return (directory, anna, parsed)
}

private func cachePath(_ directory: String, _ journal: String) -> String {
    directory + "/cache/" + journal + ".summaries"
}

@Test(arguments: [1, 7, 64, 1 << 20])
func checksumsTakenInStretchesAreTheChecksumOfTheWhole(stretch: Int) {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<1001).map { _ in UInt8.random(in: 0...255, using: &generator) }
    var checksum = SummaryCache.Checksum()
    for start in stride(from: 0, to: bytes.count, by: stretch) {
        bytes[start..<min(bytes.count, start + stretch)].withUnsafeBytes { checksum.add($0) }
    }
    #expect(checksum.value == SummaryCache.checksum(bytes))
    #expect(checksum.value != SummaryCache.checksum(Array(bytes.dropLast())))
}

@Test func aWholeReadLeavesACacheItDoesNotRewriteInTheFileUntilItTakesItIn() throws {
    let (directory, anna, _) = try cachedStore()
    try anna.append(ors(3), caseID: "K-1")
    for journal in ["anna@host", "bo@other"] {
        let path = directory + "/journals/" + journal + ".jsonl"
        let streamed = JournalRead(path: path, cache: cachePath(directory, journal), cacheAfter: .max)
        #expect(streamed.streamed != nil && streamed.cached == nil && !streamed.stale)
        // Written anew from the whole cache once enough was appended (only anna's journal was).
        let rewritten = JournalRead(path: path, cache: cachePath(directory, journal), cacheAfter: 1)
        #expect((rewritten.streamed == nil) == (journal == "anna@host"))
        #expect((rewritten.cached != nil) == (journal == "anna@host"))
        let ignored = JournalRead(
            path: path, cache: cachePath(directory, journal), cacheAfter: .max, ignoringCache: true)
        #expect(ignored.streamed == nil && ignored.cached == nil && ignored.stale)
    }
}

/// The table gathered from each journal's cache, streamed or read whole, `stretch` entries at a
/// time.
private func gathered(_ directory: String, streamed: Bool, stretch: Int) throws -> SummaryTable {
    var sources: [GatheredSource] = []
    for (index, journal) in ["anna@host", "bo@other"].enumerated() {
        let file = try FileDescriptor.openForReading(cachePath(directory, journal))
        let header = try #require(SummaryCache.Header(file))
        let entries: GatheredSource.Entries =
            streamed
            ? .streamed(try #require(StreamedCache(file, header: header, journal: journal)))
            : .cache(try #require(LoadedCache(file, header: header, journal: journal)))
        sources.append(GatheredSource(entries: entries, journal: index, first: 0))
    }
    // Leaving out one entry by place, and the erased case.
    var erasures = Erasures()
    erasures.note(erasureOf: "K-3", at: 1_773_400_010)
    return try SummaryTable(gathering: &sources, leaving: [[3], []], erasures: erasures, stretch: stretch)
}

@Test(arguments: [1, 2, 5, 1000])
func aCacheTakenInAStretchAtATimeGivesWhatTheWholeCacheGives(stretch: Int) throws {
    let (directory, _, _) = try cachedStore()
    let whole = try gathered(directory, streamed: false, stretch: 1000)
    let streamed = try gathered(directory, streamed: true, stretch: stretch)
    #expect(whole.count > 30 && whole.count < 43)
    #expect(streamed.summaries.map(fields) == whole.summaries.map(fields))
}

@Test func aCacheWhoseIDOrderIsFoundDamagedAsTheRepeatedIDsAreFoundIsParsedInsteadAndLetGo() throws {
    let (directory, anna, parsed) = try cachedStore()
    let path = cachePath(directory, "bo@other")
    let header = try #require(SummaryCache.Header(try FileDescriptor.openForReading(path)))
    let journal = directory + "/journals/bo@other.jsonl"
    // Whole, the order gives the hexadecimal ids in order, each entry's place once.
    let opened = try #require(JournalRead(path: journal, cache: path, cacheAfter: .max).streamed)
    let run = try #require(opened.idRun())
    #expect(!run.highs.isEmpty && run.highs == run.highs.sorted())
    #expect(Set(run.positions).count == run.positions.count)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[header.range(.order).upperBound - 1] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: path))
    // Opened without the order, which is read beside the merge of the other records.
    let streamed = try #require(JournalRead(path: journal, cache: path, cacheAfter: .max).streamed)
    #expect(streamed.idRun() == nil)
    let read = try anna.readSummaries(cacheAfter: .max)
    #expect(read.administrations.map(fields) == parsed.administrations.map(fields))
    #expect(read.others.map { "\($0)" } == parsed.others.map { "\($0)" })
    #expect(read.problems.map(\.description) == parsed.problems.map(\.description))
    #expect(!FileManager.default.fileExists(atPath: path))
}

@Test(arguments: [SummaryCache.Section.entries, .parts])
func aCacheFoundDamagedAsItIsTakenInIsParsedInsteadAndLetGo(section: SummaryCache.Section) throws {
    let (directory, anna, parsed) = try cachedStore()
    let path = cachePath(directory, "bo@other")
    let header = try #require(SummaryCache.Header(try FileDescriptor.openForReading(path)))
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    // The last byte of the section: found only when the stretch holding it is read, or by the
    // section's checksum.
    bytes[header.range(section).upperBound - 1] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: path))
    let journal = directory + "/journals/bo@other.jsonl"
    #expect(JournalRead(path: journal, cache: path, cacheAfter: .max).streamed != nil)
    #expect(throws: DamagedCache.self) { _ = try gathered(directory, streamed: true, stretch: 4) }
    let read = try anna.readSummaries(cacheAfter: .max)
    #expect(read.administrations.map(fields) == parsed.administrations.map(fields))
    #expect(read.others.map { "\($0)" } == parsed.others.map { "\($0)" })
    #expect(read.problems.map(\.description) == parsed.problems.map(\.description))
    // Not written anew with so little parsed: let go, so the next read parses the journal.
    #expect(!FileManager.default.fileExists(atPath: path))
}

@Test func cachesAreWrittenSideBySideOnlyWithinTheBudget() {
    for sizes in [[], [5], [1, 2, 3, 4], [10, 10, 10], [3, 9, 1, 1, 12, 0, 2], [0, 0, 0]] {
        let groups = Store.cacheWriteGroups(sizes, budget: 10)
        // Every journal once, in order.
        #expect(groups.flatMap { $0 } == Array(sizes.indices))
        for (number, group) in groups.enumerated() {
            #expect(!group.isEmpty)
            let held = group.reduce(0) { $0 + sizes[$1] }
            // Within the budget, unless one journal alone is bigger.
            #expect(held <= 10 || group.count == 1)
            // A group ends only where the next journal would not fit.
            if number + 1 < groups.count { #expect(held + sizes[groups[number + 1][0]] > 10) }
        }
    }
    #expect(Store.cacheWriteGroups([1, 2, 3, 4], budget: 10) == [[0, 1, 2, 3]])
    #expect(Store.cacheWriteGroups([6, 6, 20, 1], budget: 10) == [[0], [1], [2], [3]])
}

@Test(arguments: [1, 7, 8, 64, 1 << 20])
func wordSumsOfStretchesFoundApartAddUpToTheChecksumOfTheWhole(stretch: Int) {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<1001).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let whole = bytes.withUnsafeBytes { SummaryCache.checksum(.entries, $0) }
    // Added as they come, a stretch at a time.
    var added = SummaryCache.WordSum()
    for start in stride(from: 0, to: bytes.count, by: stretch) {
        bytes[start..<min(bytes.count, start + stretch)].withUnsafeBytes { added.add($0) }
    }
    #expect(added.value == whole)
    // Stretches of whole words summed apart, last first, then added in order.
    let size = max(8, stretch / 8 * 8)
    let starts = Array(stride(from: 0, to: bytes.count, by: size))
    let sums = starts.reversed().map { start in
        bytes[start..<min(bytes.count, start + size)].withUnsafeBytes {
            SummaryCache.WordSum.sum($0, at: start)
        }
    }.reversed()
    var summed = SummaryCache.WordSum()
    for (start, sum) in zip(starts, sums) {
        summed.add(sum: sum, count: min(bytes.count, start + size) - start)
    }
    #expect(summed.value == whole)
    #expect(whole != Array(bytes.dropLast()).withUnsafeBytes { SummaryCache.checksum(.entries, $0) })
    #expect(whole != (bytes + [0]).withUnsafeBytes { SummaryCache.checksum(.entries, $0) })
}

@Test func aWordSumTellsEveryChangedByteAndEveryTwoWordsSwapped() {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<203).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let whole = bytes.withUnsafeBytes { SummaryCache.checksum(.parts, $0) }
    for place in bytes.indices {
        var changed = bytes
        changed[place] ^= UInt8(1) << (place % 8)
        #expect(changed.withUnsafeBytes { SummaryCache.checksum(.parts, $0) } != whole, "byte \(place)")
    }
    for (first, second) in [(0, 1), (3, 17), (22, 23)] {
        var swapped = bytes
        for offset in 0..<8 { swapped.swapAt(first * 8 + offset, second * 8 + offset) }
        guard swapped != bytes else { continue }
        #expect(swapped.withUnsafeBytes { SummaryCache.checksum(.parts, $0) } != whole)
    }
}

@Test func aCacheOfTheFormatBeforeIsStaleAndWrittenAnew() throws {
    let (directory, anna, parsed) = try cachedStore()
    let path = cachePath(directory, "bo@other")
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    // Format 6 (whose entries and parts were checked by `SummaryCache.checksum`), its header
    // otherwise whole, its own checksum right: refused for its version alone.
    bytes.replaceSubrange(4..<8, with: withUnsafeBytes(of: UInt32(6).littleEndian, Array.init))
    let checked = SummaryCache.Header.size - 8
    let checksum = bytes[..<checked].withUnsafeBytes { SummaryCache.checksum($0) }
    bytes.replaceSubrange(checked..<checked + 8, with: withUnsafeBytes(of: checksum.littleEndian, Array.init))
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let journal = directory + "/journals/bo@other.jsonl"
    let opened = JournalRead(path: journal, cache: path, cacheAfter: .max)
    #expect(opened.stale && opened.streamed == nil && opened.cached == nil)
    // The journal is parsed instead, and its cache written anew in this format.
    let read = try anna.readSummaries(cacheAfter: 0)
    #expect(read.administrations.map(fields) == parsed.administrations.map(fields))
    #expect(read.others.map { "\($0)" } == parsed.others.map { "\($0)" })
    #expect(read.problems.map(\.description) == parsed.problems.map(\.description))
    let rewritten = JournalRead(path: journal, cache: path, cacheAfter: .max)
    #expect(!rewritten.stale && rewritten.streamed != nil)
    let header = try #require(SummaryCache.Header(try FileDescriptor.openForReading(path)))
    #expect(header.covered > 0)
}
