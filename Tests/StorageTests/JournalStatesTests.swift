import Foundation
import Testing

@testable import Storage

@Test func appendedBytesAreCountedWhileTheJournalsHaveOnlyGrown() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    _ = try anna.append(ors(20), caseID: "K-1")
    let before = try anna.journalStates()
    #expect(before.states.map(\.name) == ["anna@host.jsonl"])
    #expect(anna.bytesAppended(since: before.states) == 0)
    #expect(before.fingerprint == (try anna.readSummaries()).fingerprint)

    // Appends to the same journal, and a journal begun since, count byte for byte.
    _ = try anna.append(ors(22), caseID: "K-1")
    let grown = try anna.journalStates()
    let annaGrowth = grown.states[0].size - before.states[0].size
    #expect(annaGrowth > 0)
    #expect(anna.bytesAppended(since: before.states) == annaGrowth)
    _ = try testStore(directory, writer: "bo@host").append(ors(30), caseID: "K-2")
    let both = try anna.journalStates()
    #expect(both.states.count == 2)
    #expect(anna.bytesAppended(since: before.states) == annaGrowth + both.states[1].size)
}

@Test func aJournalChangedOtherwiseThanByAppendsIsNoGrowth() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    _ = try anna.append(ors(20), caseID: "K-1")
    _ = try anna.append(ors(21), caseID: "K-1")
    let states = try anna.journalStates().states
    let path = directory + "/journals/anna@host.jsonl"
    let original = try Data(contentsOf: URL(fileURLWithPath: path))

    // The same length and file, one earlier byte changed.
    var changed = original
    changed[changed.startIndex + 10] ^= 0x01
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.write(contentsOf: changed)
    try handle.close()
    #expect(anna.bytesAppended(since: states) == nil)

    // Put back, then shortened.
    let again = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try again.write(contentsOf: original)
    try again.close()
    #expect(anna.bytesAppended(since: states) == 0)
    let shorten = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try shorten.truncate(atOffset: UInt64(original.count - 1))
    try shorten.close()
    #expect(anna.bytesAppended(since: states) == nil)

    // Replaced by another file with the same bytes (renamed over it while it exists, so another
    // inode), or gone.
    try original.write(to: URL(fileURLWithPath: path + ".new"))
    #expect(rename(path + ".new", path) == 0)
    #expect(anna.bytesAppended(since: states) == nil)
    try FileManager.default.removeItem(atPath: path)
    #expect(anna.bytesAppended(since: states) == nil)
}

@Test func aSavedStateWithASizeNoFileCanHaveIsRefusedWhenRead() throws {
    let directory = try temporaryStore()
    let anna = testStore(directory)
    _ = try anna.append(ors(20), caseID: "K-1")
    let states = try anna.journalStates().states
    let saved = try JSONEncoder().encode(states)
    #expect(try JSONDecoder().decode([JournalState].self, from: saved) == states)
    // A damaged save, read as it stands, would make the appended bytes be looked for before the
    // journal's start.
    let damaged = String(decoding: saved, as: UTF8.self).replacingOccurrences(
        of: "\"size\":\(states[0].size)", with: "\"size\":-5")
    #expect(damaged != String(decoding: saved, as: UTF8.self))
    #expect(throws: DecodingError.self) {
        try JSONDecoder().decode([JournalState].self, from: Data(damaged.utf8))
    }
}
