import Foundation
import Support
import Testing

@testable import Commands

/// A file of `levels` objects nested inside one another, on one line.
private func deeplyNested(_ levels: Int, in folder: String, name: String = "deep.json") throws -> String {
    let path = folder + "/" + name
    let text = String(repeating: "{\"a\":", count: levels) + "1" + String(repeating: "}", count: levels)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Test func aFileNestedAHundredThousandDeepIsRefusedByImportByNameLineAndColumn() throws {
    let variables = try storeVariables()
    let path = try deeplyNested(100_000, in: try temporaryFolder())
    let result = run(["import", path], variables: variables)
    #expect(result.status == .dataError)
    let column = 5 * JSONLimits.maximumDepth + 1
    #expect(result.errors.contains("\(path): line 1, column \(column): "), "\(result.errors)")
    #expect(result.errors.contains("nested too deeply"))
    #expect(result.errors.contains("more than \(JSONLimits.maximumDepth) levels"))
}

@Test func aFileNestedAHundredThousandDeepIsRefusedByValidate() throws {
    let path = try deeplyNested(100_000, in: try temporaryFolder())
    let result = run(["instruments", "validate", path])
    #expect(result.status == .dataError)
    #expect(result.output.contains("\(path):1:\(5 * JSONLimits.maximumDepth + 1): "), "\(result.output)")
    #expect(result.output.contains("nested too deeply"))
}

@Test(arguments: [["instruments", "list"], ["ask", "ors", "--case", "K-1", "--answers", "5,5,5,5"]])
func aFileNestedAHundredThousandDeepInTheInstrumentsFolderIsRefusedByEveryCommand(arguments: [String]) throws
{
    let folder = try temporaryFolder()
    let path = try deeplyNested(100_000, in: folder)
    var variables = try storeVariables()
    variables["PEJLING_INSTRUMENTS"] = folder
    let result = run(arguments, variables: variables)
    #expect(result.status == .dataError)
    #expect(result.errors.contains("\(path):1:\(5 * JSONLimits.maximumDepth + 1): "), "\(result.errors)")
    #expect(result.errors.contains("nested too deeply"))
}

@Test func nestingUpToTheLimitIsRead() throws {
    let path = try deeplyNested(JSONLimits.maximumDepth, in: try temporaryFolder())
    let result = run(["instruments", "validate", path])
    #expect(!result.output.contains("nested too deeply"), "\(result.output)")
}

/// Journal lines a report would stumble on, each a copy of a good line with one field changed.
private let strayLines: [(from: String, to: String, detail: String)] = [
    ("\"total\":20", "\"total\":1e309", "the number 1e309"),
    ("\"total\":20", "\"total\":1e308", "the number 1e308"),
    (
        "\"total\":20", "\"total\":1\(String(repeating: "0", count: 400))",
        "the number 100000000000000000000000… at"
    ),
    ("\"date\":\"2026-02-01\"", "\"date\":\"0000-01-01\"", "\"0000-01-01\" is not a real date"),
    ("\"date\":\"2026-02-01\"", "\"date\":\"2026-02-30\"", "\"2026-02-30\" is not a real date"),
    ("\"case\":\"K-1\"", "\"case\":\"0101901234\"", "looks like a CPR number"),
]

@Test func reportsSkipLinesTheyWouldStumbleOnAndCheckReportsThemByFileAndLine() throws {
    let variables = try storeVariables()
    for (date, answers) in [("2026-02-01", "5,5,5,5"), ("2026-02-15", "6,6,6,6"), ("2026-03-01", "7,7,7,7")] {
        let asked = run(
            ["ask", "ors", "--case", "K-1", "--date", date, "--answers", answers], variables: variables)
        #expect(asked.status == .success, "\(asked.errors)")
    }
    let journals = variables["PEJLING_STORE"]! + "/journals"
    let journal = journals + "/" + (try FileManager.default.contentsOfDirectory(atPath: journals)[0])
    let good = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")[0]
    var added = ""
    for (number, line) in strayLines.enumerated() {
        let changed = good.replacingOccurrences(of: line.from, with: line.to)
        #expect(changed != String(good))
        added += changed.replacingOccurrences(of: "\"id\":\"", with: "\"id\":\"ff\(number)") + "\n"
    }
    let handle = try #require(FileHandle(forWritingAtPath: journal))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(added.utf8))
    try handle.close()

    for arguments in [
        ["history", "--case", "K-1"], ["history", "--case", "K-1", "--format", "csv"],
        ["chart", "--case", "K-1"],
        ["outcomes"], ["outcomes", "--format", "json"], ["team"], ["flags", "--all"],
    ] {
        let result = run(arguments, variables: variables)
        #expect(result.status == .success, "\(arguments): \(result.errors)")
    }
    let check = run(["check"], variables: variables)
    #expect(check.status == .dataError)
    for (offset, line) in strayLines.enumerated() {
        let reported = check.output.split(separator: "\n").first {
            $0.contains("\(journal):\(4 + offset): not a record (")
        }
        #expect(reported?.contains(line.detail) == true, "\(check.output)")
    }
    #expect(!check.output.contains("0101901234"))
    let repair = run(["check", "--repair"], variables: variables)
    #expect(repair.status == .success, "\(repair.output)")
    #expect(run(["check"], variables: variables).output.contains("No problems."))
    #expect(try records(variables).count == 3)
}
