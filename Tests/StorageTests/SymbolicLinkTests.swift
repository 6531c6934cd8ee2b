import Foundation
import Support
import Testing

@testable import Storage

/// A file outside any store, for a link to point at.
private func outsideFile(_ content: String = "", mode: Int = 0o644, _ name: String = #function) throws
    -> String
{
    let path = try temporaryStore(name + "-outside") + ".jsonl"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(content.utf8)))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    return path
}

private func link(_ path: String, to target: String) throws {
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
}

@Test func aSymlinkedJournalIsRefusedAndNothingIsWrittenThroughIt() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20), caseID: "K-1")
    let target = try outsideFile()
    let own = store.journalPath
    try FileManager.default.removeItem(atPath: own)
    try link(own, to: target)
    #expect(throws: StorageError.symbolicLink(own)) {
        try store.append(ors(30, comment: "secret"), caseID: "K-1")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
    #expect(
        StorageError.symbolicLink(own).localizedDescription
            == "\(own) is a symbolic link; Pejling keeps case data only in regular files inside the store: replace the link with the file it points to."
    )
}

@Test func anAuditFileOrCacheFolderThatIsALinkIsNeverWrittenThrough() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20, comment: "private words"), caseID: "K-1")
    let target = try outsideFile()
    try FileManager.default.createDirectory(atPath: directory + "/audit", withIntermediateDirectories: true)
    let audit = directory + "/audit/anna@host.jsonl"
    try link(audit, to: target)
    #expect(throws: StorageError.symbolicLink(audit)) { try store.audit(command: "team", caseID: nil) }
    let elsewhere = try temporaryStore("elsewhere")
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
    try link(directory + "/cache", to: elsewhere)
    _ = try store.readSummaries(cacheAfter: 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
}

@Test func eraseRefusesWhileAJournalIsALinkAndLeavesTheMarkerUnwritten() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20, comment: "private words"), caseID: "K-1")
    let target = try outsideFile()
    try FileManager.default.copyItem(atPath: store.journalPath, toPath: target + ".copy")
    try FileManager.default.removeItem(atPath: target)
    try FileManager.default.moveItem(atPath: target + ".copy", toPath: target)
    let other = directory + "/journals/bo@host.jsonl"
    try link(other, to: target)
    let writer = testStore(directory, writer: "carl@host")
    #expect(throws: StorageError.symbolicLink(other)) { try writer.erase(caseID: "K-1") }
    #expect(!FileManager.default.fileExists(atPath: writer.journalPath))
    #expect(FileSystem.isSymbolicLink(other))
}

@Test func checkReportsEachLinkAndRepairNeverChangesWhatItPointsTo() throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    try store.append(ors(20), caseID: "K-1")
    let target = try outsideFile(mode: 0o644)
    let journal = directory + "/journals/bo@host.jsonl"
    let quarantined = directory + "/quarantine"
    try FileManager.default.createDirectory(atPath: quarantined, withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: quarantined)
    let quarantine = quarantined + "/x.jsonl"
    try link(journal, to: target)
    try link(quarantine, to: target)
    let health = try store.check()
    let links = health.problems.filter { $0.kind == .symbolicLink }.map(\.file).sorted()
    #expect(links == [journal, quarantine])
    #expect(health.problems.allSatisfy { $0.kind == .symbolicLink })
    #expect(health.problems.first?.description.contains("is a symbolic link") == true)
    let repaired = try store.repair()
    #expect(repaired.madePrivate.isEmpty)
    #expect(repaired.problems.filter { $0.kind == .symbolicLink }.count == 2)
    let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
    #expect(mode == 0o644)
}

@Test func theStoreFolderItselfMayBeALink() throws {
    let real = try temporaryStore()
    try testStore(real).append(ors(20), caseID: "K-1")
    let linked = try temporaryStore("linked")
    try link(linked, to: real)
    let store = testStore(linked, writer: "bo@host")
    try store.append(ors(25), caseID: "K-1")
    try store.audit(command: "ask", caseID: "K-1")
    #expect(try store.check().problems.isEmpty)
    #expect(try store.readSummaries(cacheAfter: 0).table.count == 2)
    #expect(try store.erase(caseID: "K-1").removed.count == 2)
}
