import Foundation
import Testing

@testable import Commands

/// The examples' folders under `Examples/`.
private let examplesFolder = packageRoot.appendingPathComponent("Examples")

/// A python3 that can import pandas, or nil: the pandas example is not Pejling's dependency and
/// runs only where one is found (on PATH, or Debian's /usr/bin/python3).
private let pythonWithPandas: String? = {
    for candidate in [programPath("python3"), "/usr/bin/python3"].compactMap({ $0 }) {
        if let result = try? runProcess(candidate, ["-c", "import pandas"]), result.status == 0 {
            return candidate
        }
    }
    return nil
}()

/// Runs `Examples/<name>/run.sh` with the built binary and compares its output with the
/// example's `expected-output.txt`, exactly. A missing file, or `RECORD_SNAPSHOTS=1`, writes it
/// and fails, so a recording is always looked at.
private func checkExample(_ name: String, variables: [String: String] = [:]) throws {
    let folder = examplesFolder.appendingPathComponent(name)
    let result = try runProcess(
        "/bin/bash", [folder.appendingPathComponent("run.sh").path],
        environment: shellEnvironment(
            ["PEJLING": productsFolder.appendingPathComponent("pejling").path, "PEJLING_TODAY": "2026-03-14"]
                .merging(variables) { $1 }))
    #expect(result.status == 0, "\(name)/run.sh failed: \(result.errors)")
    #expect(result.errors == "", "\(name)/run.sh wrote to standard error")
    let file = folder.appendingPathComponent("expected-output.txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != "1",
        let expected = try? String(contentsOf: file, encoding: .utf8)
    {
        #expect(result.output == expected, "the output differs from \(file.path)")
        return
    }
    try result.output.write(to: file, atomically: true, encoding: .utf8)
    Issue.record("recorded \(file.path); check it and run the tests again")
}

@Test(arguments: ["own-instrument", "paper-forms", "monthly-review", "fhir-round-trip"])
func exampleGivesItsExpectedOutput(_ name: String) throws {
    try checkExample(name)
}

// pandas is never a dependency of the package: without it this example is skipped, saying so.
@Test(.enabled(if: pythonWithPandas != nil, "no python3 with pandas here; the pandas example is not run"))
func pandasExampleGivesItsExpectedOutput() throws {
    try checkExample("pandas-analysis", variables: ["PYTHON": pythonWithPandas!])
}

@Test func everyExampleFolderHasAScriptAReadmeAndExpectedOutputAndIsTested() throws {
    let folders = try FileManager.default.contentsOfDirectory(atPath: examplesFolder.path).filter {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(
            atPath: examplesFolder.appendingPathComponent($0).path, isDirectory: &isFolder)
        return exists && isFolder.boolValue
    }.sorted()
    #expect(
        folders == ["fhir-round-trip", "monthly-review", "own-instrument", "pandas-analysis", "paper-forms"])
    for folder in folders {
        for file in ["run.sh", "README.md", "expected-output.txt"] {
            let path = examplesFolder.appendingPathComponent(folder).appendingPathComponent(file).path
            #expect(FileManager.default.fileExists(atPath: path), "\(folder)/\(file)")
        }
    }
}

@Test func theOwnInstrumentExampleIsAValidInstrument() {
    let file = examplesFolder.appendingPathComponent("own-instrument/instruments/hverdagsmestring.json").path
    let result = run(["instruments", "validate", file])
    #expect(result.status == .success)
    #expect(result.output.hasSuffix("valid (hverdagsmestring)\n"))
}

@Test func aTodayThatIsNotADateIsAUsageError() {
    let result = run(["flags"], variables: ["PEJLING_TODAY": "14-03-2026"])
    #expect(result.status == .usage)
    #expect(result.errors.contains("PEJLING_TODAY is '14-03-2026', not a date"))
}

@Test func pejlingTodayFixesTheExecutablesDayAndNothingElse() {
    let day = { (date: Date) in Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }
    let fixed = CommandEnvironment.clock(["PEJLING_TODAY": "2026-03-14"])()
    #expect(day(fixed) == day(fixedNow))
    let real = CommandEnvironment.clock([:])()
    #expect(abs(real.timeIntervalSinceNow) < 60)
    #expect(abs(CommandEnvironment.clock(["PEJLING_TODAY": "soon"])().timeIntervalSinceNow) < 60)
}
