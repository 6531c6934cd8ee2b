import Foundation
import Support
import TestSupport
import Testing

private func folder(_ name: String = #function) throws -> String {
    try TemporaryFolders.folder("output-" + name)
}

private struct Stop: Error {}

@Test func writingTwiceToTheSameFileReplacesItPrivately() throws {
    let path = try folder() + "/out.csv"
    try FileOutput.write("first\n", to: path)
    try FileOutput.write("second\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
}

@Test func aWriteThatFailsLeavesTheOldFileByteForByteAndNoTemporary() throws {
    let directory = try folder()
    let path = directory + "/out.csv"
    try FileOutput.write("old,content\n1,2\n", to: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(throws: Stop.self) {
        try FileOutput.write(to: path) { writer in
            // More than the buffer holds, so part of it is already in the temporary file.
            for _ in 0..<10_000 { try writer.write("row,row,row,row,row,row,row,row\n") }
            throw Stop()
        }
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.csv"])
}

@Test func aStreamedFileHoldsEveryChunkInOrder() throws {
    let path = try folder() + "/rows.txt"
    let count = try FileOutput.write(to: path) { writer -> Int in
        for row in 0..<50_000 { try writer.write("\(row)\n") }
        try writer.write(bytes: Array(repeating: 0x41, count: 100_000))
        return 50_001
    }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == count)
    #expect(lines[49_999] == "49999")
    #expect(lines[50_000] == Substring(String(repeating: "A", count: 100_000)))
}

@Test func aFolderAsTheDestinationIsRefusedByName() throws {
    let directory = try folder()
    #expect(throws: FileOutputError.isDirectory(path: directory)) {
        try FileOutput.write("x", to: directory)
    }
    #expect(FileOutputError.isDirectory(path: directory).localizedDescription.contains("it is a folder"))
}

@Test func aMissingFolderIsNamedWithTheFix() throws {
    let directory = try folder() + "/missing"
    let path = directory + "/out.csv"
    #expect(throws: FileOutputError.noFolder(path: path, folder: directory)) {
        try FileOutput.write("x", to: path)
    }
    let message = FileOutputError.noFolder(path: path, folder: directory).localizedDescription
    #expect(message.contains("mkdir -p \(directory)"))
}

@Test func aFolderWithoutWritePermissionIsNamed() throws {
    // Root may create files anywhere: the refusal can only be seen as another user.
    let directory = try folder()
    let readOnly = directory + "/ro"
    try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
    try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: readOnly)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: readOnly) }
    guard getuid() != 0 else { return }
    #expect(throws: FileOutputError.notPermitted(path: readOnly + "/x.csv", folder: readOnly)) {
        try FileOutput.write("x", to: readOnly + "/x.csv")
    }
}

@Test func aLinkIsFollowedToTheFileItPointsToAndStaysALink() throws {
    let directory = try folder()
    let real = directory + "/real.csv"
    try "old\n".write(toFile: real, atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
        atPath: directory + "/link.csv", withDestinationPath: "real.csv")
    try FileOutput.write("new\n", to: directory + "/link.csv")
    #expect(FileSystem.kind(directory + "/link.csv") == .link)
    #expect(try String(contentsOfFile: real, encoding: .utf8) == "new\n")
    #expect(FileSystem.mode(real) == 0o600)
    // A link to a file not made yet makes it, as the shell's '>' does.
    try FileManager.default.createSymbolicLink(
        atPath: directory + "/ahead.csv", withDestinationPath: directory + "/made.csv")
    try FileOutput.write("made\n", to: directory + "/ahead.csv")
    #expect(try String(contentsOfFile: directory + "/made.csv", encoding: .utf8) == "made\n")
    #expect(FileSystem.kind(directory + "/ahead.csv") == .link)
    try FileManager.default.createSymbolicLink(atPath: directory + "/a", withDestinationPath: "b")
    try FileManager.default.createSymbolicLink(atPath: directory + "/b", withDestinationPath: "a")
    #expect(throws: FileOutputError.linkLoop(path: directory + "/a")) {
        try FileOutput.write("loop\n", to: directory + "/a")
    }
}

@Test func aPipeIsWrittenAsItStandsNeverReplacedByAFile() throws {
    // As /dev/null, /dev/stdout or a terminal would be: renaming a file over one would put a
    // file in its place.
    let fifo = try folder() + "/pipe"
    try #require(mkfifo(fifo, 0o600) == 0)
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    try #require(reader >= 0)
    defer { close(reader) }
    try FileOutput.write("row,row\n", to: fifo)
    var buffer = [UInt8](repeating: 0, count: 64)
    let count = read(reader, &buffer, buffer.count)
    #expect(String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "row,row\n")
    #expect(FileSystem.kind(fifo) == .other)
}
