import Foundation
import Support
import Testing

@testable import Storage

/// The other records of a read, as lines of text (their ids and bodies).
private func described(_ snapshot: SummarySnapshot) -> [String] { snapshot.others.map { "\($0)" } }

/// What a read of every record gives of the other records, in the merge's order.
private func fromRecords(_ store: Store) throws -> [String] {
    try store.read(answers: false).records.filter {
        if case .administration = $0.body { return false }
        return true
    }.map { "\($0)" }
}

@Test func aReadOfTheCachesAloneSavesItsMergeAndTheNextReadOfTheSameStoreTakesIt() throws {
    // Two journals with a synced copy, a text id and an erasure (`cachedStore`), and decisions
    // in both, the caches written anew with them.
    let (directory, anna, _) = try cachedStore()
    let bo = Store(directory: directory, writer: "bo@other")
    for (store, flag) in [(anna, "F-1"), (bo, "F-2"), (anna, "F-3")] {
        _ = try store.append(
            .decision(DecisionRecord(flag: flag, outcome: "continue", note: nil, worker: nil)), caseID: "K-1")
    }
    let parsed = try anna.readSummaries(cacheAfter: .max)
    _ = try anna.readSummaries(cacheAfter: 0)
    let path = directory + "/cache/" + SavedMerge.name + ".derived"
    // A read that parses (or writes caches) saves none.
    #expect(!FileManager.default.fileExists(atPath: path))
    let first = try anna.readSummaries(cacheAfter: .max)
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(described(first) == described(parsed))
    #expect(described(first) == (try fromRecords(anna)))
    #expect(first.administrations.map(fields) == parsed.administrations.map(fields))
    #expect(first.others.count >= 4)

    // Saved for this store in the opposite order, the next read gives that order: what is saved
    // is taken, not worked out again.
    var bytes = try #require(anna.derived(SavedMerge.name, fingerprint: first.fingerprint))
    let journals = bytes.withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self)) }
    let start = 8 + 16 * journals
    let count = bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: start, as: UInt64.self)) }
    #expect(count == first.others.count)
    let pairs = (0..<count).map { Array(bytes[start + 8 + 8 * $0..<start + 16 + 8 * $0]) }
    bytes.replaceSubrange(start + 8..<start + 8 + 8 * count, with: pairs.reversed().joined())
    anna.saveDerived(SavedMerge.name, fingerprint: first.fingerprint, bytes)
    let second = try anna.readSummaries(cacheAfter: .max)
    #expect(described(second) == described(first).reversed())
    #expect(second.administrations.map(fields) == first.administrations.map(fields))

    // Once the store has changed, it is worked out again (and saved anew).
    _ = try bo.append(
        .decision(DecisionRecord(flag: "F-4", outcome: "end", note: nil, worker: nil)), caseID: "K-2")
    let changed = try anna.readSummaries(cacheAfter: .max)
    #expect(described(changed) == (try fromRecords(anna)))
    _ = try anna.readSummaries(cacheAfter: 0)
    let again = try anna.readSummaries(cacheAfter: .max)
    let saved = try #require(anna.derived(SavedMerge.name, fingerprint: again.fingerprint))
    #expect(saved != bytes)
    #expect(described(again) == (try fromRecords(anna)))
    #expect(described(try anna.readSummaries(cacheAfter: .max)) == described(again))
}

@Test func aSavedMergeIsTakenOnlyForTheCountsItWasSavedForAndPlacesThatAreThere() {
    let merge = SavedMerge(order: [(0, 1), (1, 0), (0, 0), (1, 1)], repeated: [[3], [], [0, 2]])
    let (others, administrations) = ([2, 2, 0], [4, 1, 3])
    let bytes = merge.encoded(others: others, administrations: administrations)
    let taken = SavedMerge(bytes, others: others, administrations: administrations)
    #expect(taken?.order.map { [$0.run, $0.place] } == merge.order.map { [$0.run, $0.place] })
    #expect(taken?.repeated == merge.repeated)
    // Other counts, a place that is not there, or bytes cut short or added to: not taken.
    #expect(SavedMerge(bytes, others: [2, 2], administrations: [4, 1]) == nil)
    #expect(SavedMerge(bytes, others: [2, 1, 0], administrations: administrations) == nil)
    #expect(SavedMerge(bytes, others: others, administrations: [4, 1, 4]) == nil)
    let outside = SavedMerge(order: [(0, 2)], repeated: [[], [], []])
    #expect(
        SavedMerge(
            outside.encoded(others: others, administrations: administrations), others: others,
            administrations: administrations) == nil)
    let leftOut = SavedMerge(order: [], repeated: [[4], [], []])
    #expect(
        SavedMerge(
            leftOut.encoded(others: others, administrations: administrations), others: others,
            administrations: administrations) == nil)
    #expect(SavedMerge(Array(bytes.dropLast()), others: others, administrations: administrations) == nil)
    #expect(SavedMerge(bytes + [0], others: others, administrations: administrations) == nil)
}
