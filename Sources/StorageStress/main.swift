import Foundation
import Storage

// Appends records to a store and prints each record's id once the store has acknowledged it.
// The storage tests start several of these at once, and kill them mid-stream.
//
// Usage: StorageStress STORE WRITER COUNT [--umask OCTAL]
let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: StorageStress STORE WRITER COUNT [--umask OCTAL]\n".utf8))
    exit(64)
}
if let index = arguments.firstIndex(of: "--umask"), index + 1 < arguments.count,
    let mask = Int(arguments[index + 1], radix: 8)
{
    umask(mode_t(mask))
}
let store = Store(directory: arguments[1], writer: arguments[2])
for sequence in 0..<count {
    let body = RecordBody.administration(
        AdministrationRecord(
            instrument: "ors", instrumentVersion: "1.0.0", worker: arguments[2], respondent: "citizen",
            date: "2026-03-14", answers: ["individually": .number(Double(sequence % 11))],
            scores: ["total": Double(sequence)], comment: "\(arguments[2]) #\(sequence)"))
    do {
        let record = try store.append(body, caseID: "K-\(sequence % 50)")
        // Written straight to the pipe, unbuffered: the parent must see each acknowledgement at once.
        FileHandle.standardOutput.write(Data((record.id + "\n").utf8))
    } catch {
        FileHandle.standardError.write(Data("\(error.localizedDescription)\n".utf8))
        exit(1)
    }
}
