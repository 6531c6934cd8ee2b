import Foundation
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
    // Two writers share each journal, so appends to one file race under the lock too.
    let processes = (0..<8).map { index -> (Process, Pipe) in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stressExecutable)
        process.arguments = [directory, "writer\(index % 4)@host", "1000"]
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
    let snapshot = try Store(directory: directory, writer: "reader").read()
    #expect(snapshot.problems.isEmpty)
    #expect(snapshot.records.count == 8000)
    #expect(Set(snapshot.records.map(\.id)) == Set(acknowledged))
    // Each process's own sequence is complete.
    for index in 0..<4 {
        let comments = snapshot.records.compactMap { record -> String? in
            guard case .administration(let administration) = record.body,
                record.writer == "writer\(index)@host"
            else { return nil }
            return administration.comment
        }
        #expect(comments.count == 2000)
        #expect(Set(comments).count == 1000)  // two processes per writer, each numbering 0..<1000
    }
}

@Test func killingAWriterMidStreamLosesNoAcknowledgedRecord() throws {
    let directory = try temporaryStore()
    var acknowledged: Set<String> = []
    var generator = SystemRandomNumberGenerator()
    for round in 0..<20 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stressExecutable)
        process.arguments = [directory, "victim@host", "100000"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // Let it write for a random while, then kill it without warning.
        usleep(UInt32.random(in: 5_000...60_000, using: &generator))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let lines = String(decoding: data, as: UTF8.self).split(
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
    }
    // The store stays usable: the victim's next append sets any torn tail aside and succeeds.
    let survivor = Store(directory: directory, writer: "victim@host")
    let record = try survivor.append(ors(10), caseID: "K-1")
    let final = try survivor.read()
    #expect(final.problems.isEmpty)
    #expect(final.records.first { $0.id == record.id } == record)
    #expect(acknowledged.isSubset(of: Set(final.records.map(\.id))))
}
