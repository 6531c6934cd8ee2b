import Administration
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Commands

/// Swift Testing has an `ExitStatus` of its own (for exit tests); this module means Pejling's.
typealias ExitStatus = Commands.ExitStatus

/// The outcome of one in-process run of the command line.
struct RunResult {
    var status: ExitStatus
    var output: String
    var errors: String
    var transcript: String
}

/// A fixed clock for deterministic output: 2026-03-14 10:00 UTC unless told otherwise.
let fixedNow = Date(timeIntervalSince1970: 1_773_482_400)

/// Seconds added to the clock for each run, so records written by successive runs are in order.
let tick = Mutex(0)

/// Runs `pejling` in-process with a scripted console. The clock stands at `now` plus one second per
/// earlier run in this test process.
func run(
    _ arguments: [String], input: [String] = [], interactive: Bool = true, variables: [String: String] = [:],
    now: Date = fixedNow
) -> RunResult {
    let offset = tick.withLock { value -> Int in
        value += 1
        return value
    }
    let now = now.addingTimeInterval(Double(offset))
    let console = ScriptedConsole(input: input, interactive: interactive)
    var environment = ["USER": "tester", "LANG": "en_DK.UTF-8"]
    environment.merge(variables) { $1 }
    let status = Pejling.run(
        arguments,
        environment: CommandEnvironment(
            variables: environment, now: { now }, hostName: "testhost"),
        console: console)
    return RunResult(
        status: status, output: console.output, errors: console.errors, transcript: console.transcript)
}

/// A new empty folder, removed with the test process's temporary folders when it exits.
func temporaryFolder(_ name: String = #function) throws -> String {
    try TemporaryFolders.folder(name)
}

/// The folder holding the built products (the pejling binary sits beside the test bundle).
var productsFolder: URL {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = executable.deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("pejling").path),
        folder.path != "/"
    {
        folder = folder.deletingLastPathComponent()
    }
    return folder
}

/// Runs a real executable with arguments and standard input; returns status, stdout, stderr.
func runProcess(
    _ executable: String, _ arguments: [String], input: String = "", environment: [String: String]? = nil,
    directory: String? = nil
) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self)
    )
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
