import Administration
import Foundation
import TestSupport
import Testing

@testable import Commands

// Every read command in every output format, on a small simulated store that holds each kind of
// record a rule applies to and on the demo store, pinned by golden files under
// Snapshots/equivalence/. A refactoring of the read path must leave every byte as it is, and a
// report built from the summary cache (warm) must say what the full read (cold) says.
// `RECORD_SNAPSHOTS=1 swift test --filter EquivalenceTests` writes the golden files anew.

/// 2026-03-14 10:00 UTC, the same for every run: no tick, so the erasure marker's time and every
/// "today" are the same in every test run.
private let equivalenceNow = Date(timeIntervalSince1970: 1_773_482_400)

/// The records `ask`, `withdraw` and a hand-made correction added to the simulated store, checked
/// in because `ask` makes random record ids (see the file's last line).
private let editsJournal = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots/equivalence-store/w9@office.jsonl")

/// Runs `pejling` in-process on the fixed clock and returns what a person would see: standard
/// output, then standard error and the exit status when there are any, with the temporary store's
/// path written as `<store>`.
private func equivalenceRun(_ arguments: [String], store: String) -> String {
    let console = ScriptedConsole(input: [], interactive: false)
    let status = Pejling.run(
        ["--store", store] + arguments,
        environment: CommandEnvironment(
            variables: ["USER": "tester", "LANG": "en_DK.UTF-8"], now: { equivalenceNow },
            hostName: "testhost"),
        console: console)
    var text = console.output
    if !console.errors.isEmpty { text += "--- standard error\n" + console.errors }
    if status != .success { text += "--- exit status \(status.rawValue)\n" }
    return text.replacingOccurrences(of: store, with: "<store>")
}

/// 8 simulated cases over 6 months with the decisions the simulator makes, then: case G-1 with
/// two goals, GBO and ORS answers and a correction of its first ORS; a withdrawn GBO in K-00002;
/// a correction written in K-00003 whose target is K-00004's (to be ignored); case K-00001 erased;
/// and, after the erasure, a stale synced copy of w01's journal that still holds K-00001's records
/// (hidden by the erasure marker) and repeats K-00007's (first copy of an id wins).
private func simulatedStore() throws -> String {
    let store = try temporaryFolder("equivalence-sim")
    let simulated = equivalenceRun(
        ["simulate", "--cases", "8", "--months", "6", "--seed", "11"], store: store)
    #expect(simulated.hasPrefix("Wrote 8 cases, 135 administrations"), "\(simulated)")
    let journals = URL(fileURLWithPath: store).appendingPathComponent("journals")
    let w01 = try Data(contentsOf: journals.appendingPathComponent("w01@simulated.jsonl"))
    // The edits name simulated records by id: the simulator must still make the same ones.
    let edits = try Data(contentsOf: editsJournal)
    for (target, journal) in [
        ("788d3b0cb1c9ea3cb36a152d19451fc6", "w02@simulated"),
        ("089a539d7ccaf3693453282a0cfa00bd", "w04@simulated"),
    ] {
        let text = try String(
            contentsOf: journals.appendingPathComponent(journal + ".jsonl"), encoding: .utf8)
        #expect(text.contains("\"id\":\"\(target)\""), "\(target) is no longer in \(journal)")
    }
    try edits.write(to: journals.appendingPathComponent("w9@office.jsonl"))
    let erased = equivalenceRun(["erase", "--case", "K-00001", "--yes"], store: store)
    #expect(erased.contains("K-00001"), "\(erased)")
    // The erasure marker's id is random: given a fixed one, as the edits' ids are fixed.
    let marker = journals.appendingPathComponent("tester@testhost.jsonl")
    let line = try String(contentsOf: marker, encoding: .utf8)
    let fixed = line.replacingOccurrences(
        of: #"^\{"id":"[0-9a-f]{32}","#, with: #"{"id":"e5a5e5a5e5a5e5a5e5a5e5a5e5a5e5a5","#,
        options: .regularExpression)
    #expect(fixed != line && fixed.contains(#""kind":"erasure""#), "\(line)")
    try fixed.write(to: marker, atomically: true, encoding: .utf8)
    try w01.write(to: journals.appendingPathComponent("w01@laptop.jsonl"))
    try makePrivate(store)
    return store
}

/// The store `pejling demo --seed 5` makes on the fixed clock, and the demo's own output.
private func demoStore() throws -> (store: String, tour: String) {
    let store = try temporaryFolder("equivalence-demo")
    let tour = equivalenceRun(["demo", "--seed", "5"], store: store)
    try makePrivate(store)
    return (store, tour)
}

/// Makes the store folder 0700 and its journals 0600, as Pejling makes them, whatever the umask
/// the temporary folder and the copied files were made under (`check` reports other modes).
private func makePrivate(_ store: String) throws {
    let files = FileManager.default
    try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: store)
    let journals = store + "/journals"
    for name in try files.contentsOfDirectory(atPath: journals) {
        try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journals + "/" + name)
    }
}

/// The command lines run on each store, each with a name for its golden file.
private func commandLines(store: String) -> [(name: String, arguments: [String])] {
    var lines: [(String, [String])] = []
    let whole = store == "sim"
    for language in ["en", "da"] {
        let l = ["--lang", language]
        let prefix = language + "-"
        lines.append((prefix + "team-text", l + ["team"]))
        lines.append((prefix + "outcomes-text", l + ["outcomes"]))
        lines.append((prefix + "flags-text", l + ["flags"]))
        lines.append((prefix + "check", l + ["check"]))
        if whole { lines.append((prefix + "flags-all-text", l + ["flags", "--all"])) }
    }
    lines.append(("team-json", ["team", "--format", "json"]))
    lines.append(("team-worker", ["team", "--worker", "w02", "--since", "2025-12-01"]))
    lines.append(
        ("team-period-json", ["team", "--format", "json", "--since", "2026-01-01", "--until", "2026-02-28"]))
    for format in ["json", "csv"] { lines.append(("outcomes-" + format, ["outcomes", "--format", format])) }
    lines.append(
        (
            "outcomes-srs-csv",
            [
                "outcomes", "--instrument", "srs", "--format", "csv", "--since", "2025-11-01", "--until",
                "2026-02-28",
            ]
        ))
    lines.append(("outcomes-gbo-text", ["outcomes", "--instrument", "gbo"]))
    lines.append(("flags-json", ["flags", "--format", "json"]))
    if whole {
        lines.append(("flags-all-json", ["flags", "--all", "--format", "json"]))
        for format in ["csv", "csv-da", "jsonl", "fhir"] {
            lines.append(("export-" + format, ["export", "--format", format]))
        }
    }
    let cases = whole ? ["G-1", "K-00001", "K-00002", "K-00003"] : ["K-00001", "K-00002"]
    for caseID in cases {
        let c = ["--case", caseID]
        for format in ["text", "json", "csv"] {
            lines.append(("history-\(caseID)-\(format)", ["history", "--format", format] + c))
        }
        lines.append(("history-\(caseID)-da", ["--lang", "da", "history"] + c))
        lines.append(("chart-\(caseID)", ["chart"] + c))
        lines.append(
            (
                "chart-\(caseID)-da-srs",
                ["--lang", "da", "chart", "--instrument", "srs", "--width", "60", "--height", "12"] + c
            ))
        lines.append(("flags-\(caseID)-text", ["flags"] + c))
        lines.append(("flags-\(caseID)-json", ["flags", "--format", "json"] + c))
        for format in ["csv", "jsonl"] {
            lines.append(("export-\(caseID)-\(format)", ["export", "--format", format] + c))
        }
    }
    if whole {
        lines.append(("chart-G-1-gbo", ["chart", "--case", "G-1", "--instrument", "gbo"]))
        lines.append(("export-G-1-fhir", ["export", "--format", "fhir", "--case", "G-1"]))
    }
    return lines
}

/// Runs every command line cold (no `cache/`) and then warm, compares the cold output with its
/// golden file and the warm output with the cold.
private func checkEveryCommand(on name: String, store: String) {
    let cache = URL(fileURLWithPath: store).appendingPathComponent("cache").path
    for line in commandLines(store: name) {
        try? FileManager.default.removeItem(atPath: cache)
        let cold = equivalenceRun(line.arguments, store: store)
        let warm = equivalenceRun(line.arguments, store: store)
        #expect(
            warm.utf8.elementsEqual(cold.utf8),
            "\(name) \(line.arguments.joined(separator: " ")): warm differs from cold")
        assertSnapshot(cold, named: "equivalence/\(name)-\(line.name)")
    }
}

@Suite struct EquivalenceTests {
    @Test func everyReadCommandOnASimulatedStoreWithEveryKindOfRecordMatchesItsGoldenFile() throws {
        let store = try simulatedStore()
        checkEveryCommand(on: "sim", store: store)
    }

    @Test func everyReadCommandOnTheDemoStoreMatchesItsGoldenFile() throws {
        let demo = try demoStore()
        assertSnapshot(demo.tour, named: "equivalence/demo-tour")
        checkEveryCommand(on: "demo", store: demo.store)
    }
}
