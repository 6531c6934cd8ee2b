import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Storage

func temporaryStore(_ name: String = #function) throws -> String {
    TemporaryFolders.path("store-" + name)
}

/// A store with a fixed clock and counting ids, for exact expectations.
func testStore(
    _ directory: String, writer: String = "anna@host",
    start: Date = Date(timeIntervalSince1970: 1_773_482_400)
)
    -> Store
{
    let counter = Counter()
    return Store(
        directory: directory, writer: writer, now: { start.addingTimeInterval(Double(counter.peek())) },
        makeID: { "\(writer)-\(counter.next())" })
}

/// A thread-safe counter for the injected id generator.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
    func peek() -> Int { value.withLock { $0 } }
}

func ors(_ total: Double, comment: String? = nil, date: String = "2026-03-14") -> RecordBody {
    .administration(
        AdministrationRecord(
            instrument: "ors", instrumentVersion: "1.0.0", worker: "anna", respondent: "citizen", date: date,
            answers: [
                "individually": .number(total / 4), "interpersonally": .number(total / 4),
                "socially": .number(total / 4), "overall": .number(total / 4),
            ],
            scores: ["total": total], comment: comment))
}

/// Forty ORS administrations over `cases` cases ("K-0", "K-1", …), the one at `index` written by
/// `writer(index)` and every `commentEvery`th with a comment; then `rater` rates two goals of K-2.
/// Gives the administrations in the order they were written.
func writeAdministrations(
    cases: Int, commentEvery: Int, rater: Store, by writer: (Int) -> Store
) throws -> [Record] {
    var written: [Record] = []
    for index in 0..<40 {
        written.append(
            try writer(index).append(
                ors(Double(index), comment: index % commentEvery == 0 ? "ord \(index)" : nil),
                caseID: "K-\(index % cases)"))
    }
    try rater.append(
        .administration(
            AdministrationRecord(
                instrument: "gbo", instrumentVersion: "1", worker: nil, respondent: "citizen",
                date: "2026-03-15",
                answers: [:], scores: ["g1": 4, "g2": 7.5])), caseID: "K-2")
    return written
}

func fixturePath(_ name: String) throws -> String {
    try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
}

/// Copies a fixture journal into a new store's journals folder.
func storeWithJournal(_ fixture: String, name: String = "anna@host.jsonl") throws -> String {
    let directory = try temporaryStore(fixture)
    try FileManager.default.createDirectory(
        atPath: directory + "/journals", withIntermediateDirectories: true)
    try FileManager.default.copyItem(
        atPath: try fixturePath(fixture), toPath: directory + "/journals/" + name)
    // As private as a store the store itself makes, so only the fixture's own problem shows.
    for (path, mode) in [
        (directory, 0o700), (directory + "/journals", 0o700), (directory + "/journals/" + name, 0o600),
    ] {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }
    return directory
}

/// The StorageStress executable, built beside the test bundle.
var stressExecutable: String {
    var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("StorageStress").path),
        folder.path != "/"
    {
        folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("StorageStress").path
}

/// Every byte of every file under `directory`.
func allBytes(under directory: String) throws -> [(path: String, bytes: Data)] {
    let enumerator = FileManager.default.enumerator(atPath: directory)!
    var files: [(String, Data)] = []
    while let name = enumerator.nextObject() as? String {
        let path = directory + "/" + name
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files.append((path, try Data(contentsOf: URL(fileURLWithPath: path))))
        }
    }
    return files
}
