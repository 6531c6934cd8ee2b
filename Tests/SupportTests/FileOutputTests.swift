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
