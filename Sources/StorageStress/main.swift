import Foundation
import Storage

// Appends records to a store and prints each record's id once the store has acknowledged it.
// The storage tests start several of these at once, and kill them mid-stream.
//
// Usage: StorageStress STORE WRITER COUNT [--umask OCTAL] [--tag TAG]
//        StorageStress bench STORE COUNT [--writers N] [--only read|readSummaries]
//
// The second form measures the store: it fills STORE (if empty) with COUNT administrations spread
// over N writers' journals, then times reading and merging them three times each. Build it in
// release mode: `swift build -c release --product StorageStress`.
let arguments = CommandLine.arguments

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

if arguments.count >= 4, arguments[1] == "bench", let count = Int(arguments[3]) {
    StoreBenchmark(
        directory: arguments[2], count: count, writers: Int(option("--writers") ?? "8") ?? 8,
        only: option("--only")
    ).run()
    exit(0)
}

guard arguments.count >= 4, let count = Int(arguments[3]) else {
    fail(
        "usage: StorageStress STORE WRITER COUNT [--umask OCTAL] [--tag TAG]\n"
            + "       StorageStress bench STORE COUNT [--writers N]")
}
if let text = option("--umask"), let mask = Int(text, radix: 8) {
    umask(mode_t(mask))
}
let tag = option("--tag") ?? arguments[2]
let store = Store(directory: arguments[1], writer: arguments[2])
for sequence in 0..<count {
    let body = RecordBody.administration(
        AdministrationRecord(
            instrument: "ors", instrumentVersion: "1.0.0", worker: arguments[2], respondent: "citizen",
            date: "2026-03-14", answers: ["individually": .number(Double(sequence % 11))],
            scores: ["total": Double(sequence)], comment: "\(tag) #\(sequence)"))
    do {
        let record = try store.append(body, caseID: "K-\(sequence % 50)")
        // Written straight to the pipe, unbuffered: the parent must see each acknowledgement at once.
        FileHandle.standardOutput.write(Data((record.id + "\n").utf8))
    } catch {
        FileHandle.standardError.write(Data("\(error.localizedDescription)\n".utf8))
        exit(1)
    }
}
