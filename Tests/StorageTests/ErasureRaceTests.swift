import Foundation
import Support
import Testing

@testable import Storage

/// Two writers' journals with five cases, each with a comment and a goal that name it.
private func caseStore(_ name: String = #function) throws -> String {
    let directory = try temporaryStore(name)
    for writer in ["anna@host", "bo@other"] {
        let store = testStore(directory, writer: writer)
        var batch: [(caseID: String, body: RecordBody)] = []
        for round in 0..<40 {
            for number in 1...5 {
                batch.append(
                    ("K-\(number)", ors(Double(10 + round % 20), comment: "secret words of K-\(number)")))
            }
        }
        batch.append(
            ("K-3", .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "goal text of K-3"))))
        try store.append(batch: batch)
    }
    return directory
}

/// Every place a file of the store still holds the erased case's data: its comment or goal text
/// anywhere, a record of it in a journal or a cache other than the erasure marker.
private func leftovers(of caseID: String, in directory: String) throws -> [String] {
    var found: [String] = []
    for (path, bytes) in try allBytes(under: directory) {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("words of \(caseID)") || text.contains("goal text of \(caseID)") {
            found.append(path)
        }
        if path.hasSuffix(".summaries"),
            let cache = LoadedCache(try FileDescriptor.openForReading(path), journal: path),
            (0..<cache.count).contains(where: { cache.strings[Int(cache.entry($0).caseID)] == caseID })
        {
            found.append(path + " (entry)")
        }
    }
    return found
}

/// Reports writing caches and saved figures while an erasure runs: whatever the order, nothing of
/// the erased case is left in any file of the store once both are done.
@Test func noReportLeavesDerivedDataOfACaseErasedWhileItRan() throws {
    for _ in 0..<25 {
        let directory = try caseStore()
        let stop = Counter()
        let group = DispatchGroup()
        for reader in 0..<3 {
            DispatchQueue.global().async(group: group) {
                let store = testStore(directory, writer: "reader\(reader)@host")
                while stop.peek() == 0 {
                    // As a cold report: the caches gone, so each read writes them anew.
                    for name in (try? FileManager.default.contentsOfDirectory(atPath: directory + "/cache"))
                        ?? []
                    where name.hasSuffix(".summaries") {
                        try? FileManager.default.removeItem(atPath: directory + "/cache/" + name)
                    }
                    guard let snapshot = try? store.readSummaries(cacheAfter: 0) else { continue }
                    store.saveDerived(
                        "bands", fingerprint: snapshot.fingerprint,
                        Array(snapshot.administrations.compactMap(\.comment).joined().utf8))
                }
            }
        }
        Thread.sleep(forTimeInterval: 0.005)
        _ = try testStore(directory, writer: "carl@host").erase(caseID: "K-3")
        _ = stop.next()
        group.wait()
        #expect(try leftovers(of: "K-3", in: directory) == [])
        #expect(try leftovers(of: "K-2", in: directory) != [])
    }
}
