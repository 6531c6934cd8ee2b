import Foundation
import Simulation
import Storage
import Testing

@testable import Commands

// Seeded fuzzing of every reader: journal lines, instrument files, CSV and FHIR documents, each made
// by breaking a valid one in the ways an attacker or a broken tool would (numbers beyond any range,
// deep nesting, control characters, invalid UTF-8, cut-off text, wrong types, impossible dates).
// The assertions: nothing crashes (a crash ends the test process), every refusal says where, and
// what only reads leaves the store's journals byte-identical.

/// SplitMix64 (the simulator's): small, fast and the same on every platform, so a failure
/// reproduces from its seed.
private struct Generator {
    var random: SplitMix64
    init(state: UInt64) { random = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { random.next() }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

/// Values that have broken readers before, or could.
private let hostileNumbers = [
    "1e309", "-1e309", "1e308", "-1e308", "1e19", "-9223372036854775809", "18446744073709551616",
    String(repeating: "9", count: 400), "0.0000000000000000000001", "-0", "NaN", "Infinity", "0x10", "1e",
    "--1", "1.", ".5", "01",
]
private let hostileStrings = [
    "\u{1B}]0;PWNED\u{07}", "\u{1B}[2J", "a\rb", "\u{9B}31m", "\u{202E}x", "\u{0}", "0000-01-01",
    "2026-02-30",
    "2026-13-01", "99999-01-01", "-2026-01-01", "0101901234", "010190_1234", "=2+2",
    String(repeating: "x", count: 70_000),
    "", " ", "\\ud800", "\u{FFFF}",
]

/// Breaks `text` in one of several ways; the result may be any bytes.
private func mutate(_ text: String, _ random: inout Generator) -> [UInt8] {
    var bytes = Array(text.utf8)
    guard !bytes.isEmpty else { return bytes }
    switch random.below(9) {
    case 0:  // a number replaced by a hostile one
        let digits = bytes.indices.filter { (48...57).contains(bytes[$0]) }
        guard let at = digits.isEmpty ? nil : random.pick(digits) else { fallthrough }
        var end = at
        while end < bytes.count, (48...57).contains(bytes[end]) || bytes[end] == UInt8(ascii: ".") {
            end += 1
        }
        bytes.replaceSubrange(at..<end, with: Array(random.pick(hostileNumbers).utf8))
    case 1:  // a string's content replaced by a hostile one (as JSON text, escaped where needed)
        let quotes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\"") }
        guard quotes.count >= 2 else { fallthrough }
        let pair = random.below(quotes.count / 2) * 2
        var escaped = ""
        for scalar in random.pick(hostileStrings).unicodeScalars {
            escaped += scalar.value < 0x20 ? String(format: "\\u%04x", scalar.value) : String(scalar)
        }
        bytes.replaceSubrange((quotes[pair] + 1)..<quotes[pair + 1], with: Array(escaped.utf8))
    case 2:  // raw control bytes or invalid UTF-8 inserted
        let junk: [[UInt8]] = [
            [0x1B, 0x5B, 0x32, 0x4A], [0xFF, 0xFE], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x00], [0x07],
        ]
        bytes.insert(contentsOf: random.pick(junk), at: random.below(bytes.count))
    case 3:  // cut off
        bytes.removeSubrange(random.below(bytes.count)...)
    case 4:  // a value wrapped in deep nesting
        let depth = random.pick([10, 100, 1_000, 20_000])
        let open = random.below(2) == 0 ? "[" : "{\"a\":"
        let close = open == "[" ? "]" : "}"
        let at = bytes.firstIndex(of: UInt8(ascii: ":")).map { $0 + 1 } ?? 0
        bytes.insert(
            contentsOf: Array(
                (String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth) + ",")
                    .utf8), at: at)
    case 5:  // a byte flipped
        bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
    case 6:  // a type swapped: a value becomes null, a list, an object or a string
        let colons = bytes.indices.filter { bytes[$0] == UInt8(ascii: ":") }
        guard let at = colons.isEmpty ? nil : random.pick(colons) else { fallthrough }
        var end = at + 1
        while end < bytes.count,
            ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[end])
        { end += 1 }
        bytes.replaceSubrange(
            (at + 1)..<end, with: Array(random.pick(["null", "[]", "{}", "\"1\"", "true", "[[1]]"]).utf8))
    case 7:  // a stretch duplicated (duplicate keys, repeated items)
        let start = random.below(bytes.count)
        let end = min(bytes.count, start + 1 + random.below(60))
        bytes.insert(contentsOf: bytes[start..<end], at: end)
    default:  // a stretch removed
        let start = random.below(bytes.count)
        bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(20)))
    }
    return bytes
}

/// Every file below `folder` with its bytes.
private func snapshot(_ folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let name = enumerator?.nextObject() as? String {
        let path = folder + "/" + name
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            files[name] = FileManager.default.contents(atPath: path)
        }
    }
    return files
}

@Suite struct HostileInputFuzzTests {
    /// A small real store to break: ORS, SRS, INSPIRE-O and goals, with a decision and a withdrawal.
    private func seedStore(months: Int = 6) throws -> [String: String] {
        let variables = try storeVariables()
        let result = run(
            ["simulate", "--cases", "6", "--months", String(months), "--seed", "7"], variables: variables)
        #expect(result.status == .success, "\(result.errors)")
        return variables
    }

    @Test func tenThousandHostileJournalLinesNeverCrashAReportAndEachIsPlaced() throws {
        let variables = try seedStore()
        let store = variables["PEJLING_STORE"]!
        let journals = try FileManager.default.contentsOfDirectory(atPath: store + "/journals")
        let valid = try journals.flatMap { name in
            try String(contentsOfFile: store + "/journals/" + name, encoding: .utf8).split(separator: "\n")
                .map(String.init)
        }
        #expect(valid.count > 100)
        var random = Generator(state: 15)
        // Ten journals of a thousand broken lines each, every broken line between two good ones.
        for journal in 0..<10 {
            var bytes: [UInt8] = []
            for _ in 0..<1_000 {
                var line = mutate(random.pick(valid), &random)
                line.removeAll { $0 == 0x0A }
                bytes += line + [0x0A] + Array(random.pick(valid).utf8) + [0x0A]
            }
            _ = FileManager.default.createFile(
                atPath: store + "/journals/fuzz\(journal)@host.jsonl", contents: Data(bytes),
                attributes: [.posixPermissions: 0o600])
        }
        let journalsBefore = try snapshot(store + "/journals")
        let snapshot = try Store(directory: store, writer: "reader").read()
        for problem in snapshot.problems {
            #expect(problem.line > 0 && problem.file.hasSuffix(".jsonl"), "\(problem)")
        }
        let cases = Array(Set(snapshot.records.map(\.caseID))).sorted()
        var commands: [[String]] = [
            ["check"], ["team"], ["team", "--format", "json"], ["team", "--format", "csv"], ["outcomes"],
            ["outcomes", "--format", "csv-da"], ["flags"], ["flags", "--format", "json"],
            ["export", "--format", "csv"],
            ["export", "--format", "fhir"], ["export", "--format", "jsonl"],
        ]
        for caseID in cases.prefix(8) {
            commands += [
                ["history", "--case", caseID], ["chart", "--case", caseID], ["flags", "--case", caseID],
            ]
        }
        for arguments in commands {
            let result = run(arguments, variables: variables)
            #expect(
                [.success, .dataError].contains(result.status), "\(arguments): \(result.errors.prefix(500))")
        }
        // Reports write caches; nothing that only reads may change a journal.
        #expect(try HostileInputFuzzTests.journalsEqual(snapshot: journalsBefore, store: store))
        // A repair quarantines what is not a record and keeps every record.
        let repaired = run(["check", "--repair"], variables: variables)
        #expect([.success, .dataError].contains(repaired.status), "\(repaired.errors.prefix(500))")
        let after = try Store(directory: store, writer: "reader").read()
        #expect(Set(after.records.map(\.id)) == Set(snapshot.records.map(\.id)))
        #expect(after.problems.filter { $0.kind == .malformedLine || $0.kind == .tornLine }.isEmpty)
    }

    private static func journalsEqual(snapshot before: [String: Data], store: String) throws -> Bool {
        try snapshot(store + "/journals") == before
    }

    @Test func hostileInstrumentFilesAreRefusedWithTheirPlace() throws {
        let fixture = packageRoot.appendingPathComponent(
            "Tests/InstrumentModelTests/Fixtures/valid-own-instrument.json")
        let valid = try String(contentsOf: fixture, encoding: .utf8)
        let folder = try temporaryFolder()
        var random = Generator(state: 16)
        var refused = 0
        for index in 0..<2_500 {
            let path = folder + "/i\(index).json"
            _ = FileManager.default.createFile(atPath: path, contents: Data(mutate(valid, &random)))
            let result = run(["instruments", "validate", path])
            #expect([.success, .dataError].contains(result.status), "\(path): \(result.errors.prefix(300))")
            if result.status == .dataError {
                refused += 1
                // file:line:column, or the file and a JSON path.
                #expect(result.output.contains(path) || result.errors.contains(path), "\(path)")
            } else {
                // What validates can be shown and asked without a crash.
                let show = run(["--instruments", folder, "instruments", "show", "wellbeing-check"])
                // A mutated id leaves no instrument of that name: a usage error that says so.
                #expect(
                    [.success, .dataError].contains(show.status)
                        || show.status == .usage && show.errors.contains("There is no instrument"),
                    "\(show.errors.prefix(300))")
            }
            try FileManager.default.removeItem(atPath: path)
        }
        #expect(refused > 1_000)
    }

    @Test(arguments: ["csv", "fhir"])
    func hostileImportDocumentsAreRefusedWithTheirPlaceAndWriteNothing(format: String) throws {
        // A short history keeps each document small, so thousands of them read quickly.
        let variables = try seedStore(months: 2)
        let exported = run(["export", "--format", format, "--case", "K-00001"], variables: variables)
        #expect(exported.status == .success)
        let target = try storeVariables()
        let folder = try temporaryFolder()
        var random = Generator(state: format == "csv" ? 17 : 18)
        var refused = 0
        for index in 0..<1_200 {
            let path = folder + "/d\(index).\(format == "csv" ? "csv" : "json")"
            _ = FileManager.default.createFile(atPath: path, contents: Data(mutate(exported.output, &random)))
            let result = run(["import", path, "--dry-run"], variables: target)
            #expect(
                [.success, .dataError, .failure].contains(result.status),
                "\(path): \(result.errors.prefix(300))")
            if result.status != .success {
                refused += 1
                #expect(result.errors.contains(path), "\(result.errors.prefix(300))")
            }
            try FileManager.default.removeItem(atPath: path)
        }
        #expect(refused > 300)
        // A dry run writes nothing.
        #expect(!FileManager.default.fileExists(atPath: target["PEJLING_STORE"]! + "/journals"))
    }
}
