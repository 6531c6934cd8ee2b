import Foundation
import Support
import Testing

@testable import Storage

/// A store whose journals hold copies of ids that differ: in time, in content, or both; some in
/// the part a cache covers, some written after it.
private func storeWithDifferingCopies(cacheAfter: Int) throws -> (store: Store, directory: String) {
    let directory = try temporaryStore()
    let start = 1_773_400_000.0
    let anna = testStore(directory, writer: "anna@host")
    let bo = testStore(directory, writer: "bo@other")
    func record(_ id: String, _ caseID: String, _ seconds: Double, _ total: Double) -> Record {
        Record(
            id: id, writer: "w", time: Date(timeIntervalSince1970: start + seconds), caseID: caseID,
            body: ors(total))
    }
    // Two hexadecimal ids whose first 64 bits are the same, so only their whole ids tell them apart.
    let (x, y) = ("0123456789abcdef" + "0000000000000001", "0123456789abcdef" + "0000000000000002")
    let z = "fedcba9876543210fedcba9876543210"
    let w = "00000000000000000000000000000abc"
    for index in 0..<24 {
        try (index % 2 == 0 ? anna : bo).append(ors(Double(index)), caseID: "K-\(index % 4)")
    }
    // x: the later journal's copy is the earlier one. y: the same time in both, content differs.
    try anna.append(records: [record(x, "K-1", 100, 10), record(y, "K-2", 10, 1)])
    try bo.append(records: [record(x, "K-1", 0, 20), record(y, "K-2", 10, 2)])
    // Paper forms with their own (text) ids, in the same pattern.
    try anna.append(records: [record("paper-1", "K-1", 50, 3), record("paper-2", "K-3", 5, 5)])
    try bo.append(records: [record("paper-1", "K-1", 0, 4), record("paper-2", "K-3", 5, 6)])
    _ = try anna.readSummaries(cacheAfter: cacheAfter)
    // Written after the cache: z twice in one journal at one time; w's earlier copy (hidden by
    // the erasure of K-E) and a copy stamped after the erasure in the journal first in name order.
    try bo.append(records: [record(z, "K-0", 20, 7), record(z, "K-0", 20, 8), record(w, "K-E", 0, 9)])
    try anna.append(records: [record(w, "K-E", 500, 11), record("paper-3", "K-E", 600, 12)])
    try bo.append(records: [
        Record(
            id: "erasure-1", writer: "w", time: Date(timeIntervalSince1970: start + 200), caseID: "K-E",
            body: .erasure)
    ])
    // A true synced copy of a whole journal.
    try FileManager.default.copyItem(
        atPath: directory + "/journals/bo@other.jsonl", toPath: directory + "/journals/copy@laptop.jsonl")
    return (anna, directory)
}

@Test(arguments: [0, Int.max])
func everyPathCountsTheSameCopyOfAnIdWhoseCopiesDiffer(cacheAfter: Int) throws {
    let (store, directory) = try storeWithDifferingCopies(cacheAfter: cacheAfter)
    let full = SummarySnapshot(records: try store.read().records).administrations
    let expected = full.map(fields).sorted()
    // The copy that counts, worked out by hand: the earliest, then the journal first by name.
    func total(_ id: String) -> Double? { full.first { $0.id == id }?.total }
    #expect(total("0123456789abcdef0000000000000001") == 20)
    #expect(total("0123456789abcdef0000000000000002") == 1)
    #expect(total("fedcba9876543210fedcba9876543210") == 7)
    #expect(total("paper-1") == 4)
    #expect(total("paper-2") == 5)
    // w's first copy is erased; the copy written after the erasure does not outlive it.
    #expect(total("00000000000000000000000000000abc") == nil)
    #expect(total("paper-3") == 12)
    #expect(Set(full.map(\.id)).count == full.count)

    // The whole store: parsed in pieces (cold), then through the caches (written, then read).
    for (pieceSize, cache) in [(256, Int.max), (8 << 20, 0), (256, 0), (8 << 20, Int.max)] {
        let read = try store.readSummaries(pieceSize: pieceSize, cacheAfter: cache).administrations
        #expect(read.map(fields).sorted() == expected, "pieces of \(pieceSize), cacheAfter \(cache)")
    }
    // One case at a time, from the caches and with none.
    for removed in [false, true] {
        if removed { try FileManager.default.removeItem(atPath: directory + "/cache") }
        for caseID in ["K-0", "K-1", "K-2", "K-3", "K-E"] {
            let one = try store.readSummaries(caseID: caseID, cacheAfter: Int.max).administrations
            #expect(one.map(fields).sorted() == expected.filter { $0.contains("|\(caseID)|") }, "\(caseID)")
        }
    }
}

@Test func copiesOfAnIdAreRankedByTimeThenJournalThenPlace() {
    typealias Rank = FirstCopies.Rank
    #expect(Rank(time: 1, journal: 5, place: 9) < Rank(time: 2, journal: 0, place: 0))
    #expect(Rank(time: 1, journal: 0, place: 9) < Rank(time: 1, journal: 1, place: 0))
    #expect(Rank(time: 1, journal: 1, place: 3) < Rank(time: 1, journal: 1, place: 4))
    #expect(!(Rank(time: 1, journal: 1, place: 4) < Rank(time: 1, journal: 1, place: 4)))
}

@Test func theSetOfIDsAMergeKeepsHoldsWhatASetOfTheirTextsHolds() {
    var generator = SystemRandomNumberGenerator()
    // Random ids, ids that differ in one half only, text ids, the id of all zeros, and each of
    // them met again.
    var ids = (0..<3000).map { _ in HexID(high: generator.next(), low: generator.next()).text }
    ids += (0..<3000).map { HexID(high: 7, low: UInt64($0)).text }
    ids += (0..<3000).map { HexID(high: UInt64($0), low: 7).text }
    ids += (0..<300).map { "paper-\($0)" } + [HexID(high: 0, low: 0).text]
    ids += ids.shuffled()
    var keys = FirstCopies.KeySet(capacity: 10)
    var texts = Set<String>()
    for id in ids {
        #expect(keys.insert(FirstCopies.Key(id)) == texts.insert(id).inserted)
    }
    #expect(texts.count == 9300)  // the id of 7 and 7 is made twice
}

@Test func theSetOfIDsAMergeKeepsHoldsWhatItWasGivenAndNothingElse() {
    var generator = SystemRandomNumberGenerator()
    let held =
        (0..<2000).map { _ in HexID(high: generator.next(), low: generator.next()).text }
        + (0..<500).map { HexID(high: 7, low: UInt64($0)).text } + ["paper-1", HexID(high: 0, low: 0).text]
    let others =
        (0..<2000).map { _ in HexID(high: generator.next(), low: generator.next()).text }
        + (500..<1000).map { HexID(high: 7, low: UInt64($0)).text } + ["paper-2", "paper-10"]
    var keys = FirstCopies.KeySet(capacity: 4)
    for id in held { _ = keys.insert(FirstCopies.Key(id)) }
    #expect(held.allSatisfy { keys.contains(FirstCopies.Key($0)) })
    #expect(!others.contains { keys.contains(FirstCopies.Key($0)) })
}

/// Thousands of records over five journals, some out of time order, with copies of ids at the same
/// and at other times (hexadecimal ids, ids alike in one half, text ids), and erasures: the merge
/// gives what sorting every record and keeping the first of each id gives, whether merged whole or
/// cut into stretches merged side by side (a copy in an earlier stretch than its id's next).
@Test(arguments: [0, 1, 2], [1, 3, 8])
func theMergeKeepsTheFirstCopyOfEachIdInTheOrderOfTimeAndId(seed: Int, stretches: Int) {
    var generator = SystemRandomNumberGenerator()
    let start = 1_773_400_000.0
    func id(_ number: Int) -> String {
        switch number % 4 {
        case 0: return "paper-\(number)"
        case 1: return HexID(high: 7, low: UInt64(number)).text
        default: return HexID(high: UInt64(number) &* 0x9E37_79B9_7F4A_7C15, low: UInt64(seed)).text
        }
    }
    var journals = Array(repeating: [Record](), count: 5)
    for number in 0..<4000 {
        let journal = Int.random(in: 0..<5, using: &generator)
        let time = start + Double(Int.random(in: 0..<2000, using: &generator))
        let caseID = "K-\(number % 50)"
        let body: RecordBody = number % 397 == 0 ? .erasure : ors(Double(number % 40))
        journals[journal].append(
            Record(
                id: id(number), writer: "w", time: Date(timeIntervalSince1970: time), caseID: caseID,
                body: body))
        // A copy: in another journal, at the same time or another.
        if number % 3 == 0 {
            let copy = Record(
                id: id(number), writer: "w",
                time: Date(timeIntervalSince1970: number % 2 == 0 ? time : time + Double(number % 7) - 3),
                caseID: caseID, body: ors(99))
            journals[(journal + 1 + number % 4) % 5].append(copy)
        }
    }
    // Three journals in time order, two as written.
    for journal in 0..<3 { journals[journal].sort { $0.time < $1.time } }
    var all: [(record: Record, journal: Int, place: Int)] = []
    for (journal, records) in journals.enumerated() {
        for (place, record) in records.enumerated() { all.append((record, journal, place)) }
    }
    all.sort { a, b in
        if a.record.time != b.record.time { return a.record.time < b.record.time }
        let (left, right) = (FirstCopies.Key(a.record.id), FirstCopies.Key(b.record.id))
        if left != right { return FirstCopies.Key.precedes(left, right) }
        return (a.journal, a.place) < (b.journal, b.place)
    }
    var seen = Set<String>()
    let firsts = all.filter { seen.insert($0.record.id).inserted }.map(\.record)
    let erasures = Erasures(firsts)
    let expected = firsts.filter { !erasures.hides($0) }
    #expect(!erasures.isEmpty && expected.count < firsts.count && firsts.count < all.count)
    #expect(Store.merge(journals, stretches: stretches) == expected)
}
