import Foundation
import Support
import TestSupport
import Testing

/// A pipe holding `text`, its write end closed: read through /dev/fd as a process substitution is.
private func pipeHolding(_ text: String) throws -> (path: String, readEnd: Int32) {
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    let bytes = Array(text.utf8)
    try #require(bytes.count < 60_000, "more than a pipe holds before a reader comes")
    #expect(write(ends[1], bytes, bytes.count) == bytes.count)
    close(ends[1])
    return ("/dev/fd/\(ends[0])", ends[0])
}

@Test func aPipeIsReadToItsEndWhereItsSizeSaysNothing() throws {
    let text = String(repeating: "case,date\nK-1,2026-03-01\n", count: 2_000)
    let (path, readEnd) = try pipeHolding(text)
    defer { close(readEnd) }
    #expect(try FileDescriptor.readInput(path, limit: 1 << 20) == Array(text.utf8))
}

@Test func aFileIsReadWholeAndEveryOtherKindIsNamed() throws {
    let folder = try TemporaryFolders.folder("input-file")
    let path = folder + "/a.csv"
    try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try FileDescriptor.readInput(path, limit: 100) == Array("a,b\n1,2\n".utf8))
    #expect(throws: InputFileProblem.tooBig(limit: 4)) { try FileDescriptor.readInput(path, limit: 4) }
    #expect(throws: InputFileProblem.folder) { try FileDescriptor.readInput(folder, limit: 100) }
    #expect(throws: InputFileProblem.missing) { try FileDescriptor.readInput(folder + "/none", limit: 100) }
    // A device that never ends stops at the limit instead of filling the memory.
    #expect(throws: InputFileProblem.tooBig(limit: 1 << 20)) {
        try FileDescriptor.readInput("/dev/zero", limit: 1 << 20)
    }
    // A link the user names is followed, to a file or to a device.
    let link = folder + "/link.csv"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
    #expect(try FileDescriptor.readInput(link, limit: 100) == Array("a,b\n1,2\n".utf8))
}
