import Foundation
import Support
import Testing

@testable import Storage

struct StressResult {
    var status: Int32
    var acknowledged: [String]
}

/// Runs StorageStress to completion.
func runStress(_ directory: String, writer: String, count: Int, extra: [String] = []) throws -> StressResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: stressExecutable)
    process.arguments = [directory, writer, String(count)] + extra
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return StressResult(
        status: process.terminationStatus,
        acknowledged: String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
}

@Test func eightProcessesAppendingAtOnceLoseNothing() throws {
    let directory = try temporaryStore()
    // Two processes share each journal, so appends to one file race under its lock too.
    let processes = (0..<8).map { index -> (Process, Pipe) in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stressExecutable)
        process.arguments = [directory, "writer\(index % 4)@host", "1000", "--tag", "P\(index)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        return (process, pipe)
    }
    for (process, _) in processes { try process.run() }
    var acknowledged: [String] = []
    for (process, pipe) in processes {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        acknowledged += String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
    #expect(acknowledged.count == 8000)
    #expect(Set(acknowledged).count == 8000)
    let snapshot = try Store(directory: directory, writer: "reader").read()
    #expect(snapshot.problems.isEmpty)
    #expect(snapshot.records.count == 8000)
    #expect(Set(snapshot.records.map(\.id)) == Set(acknowledged))
    // Each process's sequence is complete and, in its journal, in the order it was written.
    for index in 0..<8 {
        let journal = try String(
            contentsOfFile: "\(directory)/journals/writer\(index % 4)@host.jsonl", encoding: .utf8)
        let sequence = try journal.split(separator: "\n").compactMap { line -> Int? in
            guard case .administration(let content) = try RecordScanner.parse(String(line)).body,
                let comment = content.comment, comment.hasPrefix("P\(index) #")
            else { return nil }
            return Int(comment.dropFirst("P\(index) #".count))
        }
        #expect(sequence == Array(0..<1000), "process P\(index)")
    }
}

/// Reads whole lines from `handle` until at least `count` have arrived or the pipe closes.
func readLines(_ handle: FileHandle, atLeast count: Int, into buffer: inout Data) {
    while buffer.filter({ $0 == 0x0A }).count < count {
        let chunk = handle.availableData
        if chunk.isEmpty { return }
        buffer.append(chunk)
    }
}

@Test func killingAWriterMidStreamLosesNoAcknowledgedRecord() throws {
    let directory = try temporaryStore()
    var acknowledged: Set<String> = []
    var generator = SystemRandomNumberGenerator()
    var tornRounds = 0
    for round in 0..<20 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stressExecutable)
        process.arguments = [directory, "victim@host", "100000"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // Let it acknowledge a random number of records, then kill it at a random moment after.
        var output = Data()
        readLines(
            pipe.fileHandleForReading, atLeast: Int.random(in: 0...30, using: &generator), into: &output)
        usleep(UInt32.random(in: 0...3_000, using: &generator))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "round \(round): it finished before the kill")
        output.append(pipe.fileHandleForReading.readDataToEndOfFile())
        let lines = String(decoding: output, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        // The last piece may itself be cut off mid-id: only whole lines were acknowledged.
        acknowledged.formUnion(lines.dropLast().map(String.init))
        // Killed before it made the store: then nothing can have been acknowledged.
        guard Store(directory: directory, writer: "reader").exists else {
            #expect(acknowledged.isEmpty)
            continue
        }
        let snapshot = try Store(directory: directory, writer: "reader").read()
        let stored = Set(snapshot.records.map(\.id))
        #expect(acknowledged.isSubset(of: stored), "round \(round): acknowledged records are missing")
        #expect(snapshot.problems.allSatisfy { $0.kind == .tornLine })
        if !snapshot.problems.isEmpty { tornRounds += 1 }
    }
    #expect(acknowledged.count > 0)
    // The store stays usable: the victim's next append sets any torn tail aside and succeeds.
    let survivor = Store(directory: directory, writer: "victim@host")
    let record = try survivor.append(ors(10), caseID: "K-1")
    let final = try survivor.read()
    #expect(final.problems.isEmpty)
    #expect(final.records.first { $0.id == record.id } == record)
    #expect(acknowledged.isSubset(of: Set(final.records.map(\.id))))
    // Whatever was set aside was never acknowledged, and is kept, not deleted.
    let quarantined = try allBytes(under: directory).filter { $0.path.contains("/quarantine/") }
    #expect(quarantined.isEmpty == (tornRounds == 0))
    for (path, bytes) in quarantined {
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.isEmpty)
        #expect(
            !acknowledged.contains { text.contains("\"id\":\"\($0)\"") },
            "\(path) holds an acknowledged record")
    }
}

@Test func erasuresRewritingAJournalWhileItsWriterAppendsLoseNothing() throws {
    let directory = try temporaryStore()
    let victim = Store(directory: directory, writer: "victim@host")
    try victim.append(
        batch: (0..<10).map { (caseID: "E-\($0)", body: ors(Double($0), comment: "ERASE-\($0)")) })
    let process = Process()
    process.executableURL = URL(fileURLWithPath: stressExecutable)
    process.arguments = [directory, "victim@host", "300"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    // Each erasure replaces the journal the process is appending to (new file, rename).
    let lead = Store(directory: directory, writer: "lead@host")
    var output = Data()
    for index in 0..<10 {
        readLines(pipe.fileHandleForReading, atLeast: index * 20, into: &output)
        let report = try lead.erase(caseID: "E-\(index)")
        #expect(report.removed["\(directory)/journals/victim@host.jsonl"] == 1)
    }
    output.append(pipe.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let acknowledged = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    #expect(acknowledged.count == 300)
    let snapshot = try lead.read()
    #expect(snapshot.problems.isEmpty)
    #expect(Set(acknowledged).isSubset(of: Set(snapshot.records.map(\.id))))
    let journal = try String(contentsOfFile: directory + "/journals/victim@host.jsonl", encoding: .utf8)
    #expect(!journal.contains("ERASE-"))
    #expect(FileSystem.mode(directory + "/journals/victim@host.jsonl") == 0o600)
}
