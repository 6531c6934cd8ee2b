import Foundation
import Interchange
import Storage
import Support
import Testing

@testable import Commands

// Hostile input, as someone attacking a shared store or a colleague's terminal would send it: every
// way in is refused with a message that says why, or shown harmlessly, and nothing is half saved.

/// Appends raw lines to a journal, as another (or an older) Pejling or an editor could have left them,
/// past the checks the store makes when it writes.
private func plant(_ records: [Record], in variables: [String: String]) throws {
    let folder = variables["PEJLING_STORE"]! + "/journals"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/planted.jsonl"
    let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    try (old + records.map { $0.encodedLine() + "\n" }.joined()).write(
        toFile: path, atomically: true, encoding: .utf8)
}

private func planted(_ caseID: String, _ body: RecordBody, second: Int) -> Record {
    Record(
        id: String(format: "%032x", second), writer: "planted@host",
        time: fixedNow.addingTimeInterval(Double(second) - 86_400 * 30), caseID: caseID, body: body)
}

private func ors(_ values: [Double], date: String, worker: String?, comment: String?) -> AdministrationRecord
{
    let ids = ["individually", "interpersonally", "socially", "overall"]
    return AdministrationRecord(
        instrument: "ors", instrumentVersion: "1", worker: worker, respondent: "citizen", date: date,
        answers: Dictionary(uniqueKeysWithValues: zip(ids, values.map { Answer.number($0) })),
        scores: ["total": values.reduce(0, +)], comment: comment)
}

/// The escape sequences and invisible characters the tests plant: retitle and clear the terminal,
/// a lone carriage return that hides what stands before it, a C1 control and a right-to-left override.
private let hostile = "ok\u{1B}]0;PWNED\u{07}\u{1B}[2J\rhidden\u{9B}31m\u{202E}desrever"

private func holdsNoControlCharacters(_ text: String) -> Bool {
    !text.unicodeScalars.contains {
        ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
            || (0x202A...0x202E).contains($0.value)
    }
}

@Suite struct HostileInputTests {
    @Test(arguments: [
        "010190_1234", "010190.1234", "01.01.90-1234", "01-01-90-1234", "010190--1234", "01019012345",
        "K-010190-12345", "0101901234", "x.010190.1234",
    ])
    func everySpellingOfACPRNumberIsRefusedAndNothingIsSaved(caseID: String) throws {
        let variables = try storeVariables()
        let result = run(["ask", "ors", "--case", caseID, "--answers", "1,2,3,4"], variables: variables)
        #expect(result.status == .usage)
        #expect(result.errors.contains("CPR number"))
        // The message does not repeat the number: it would land in logs and scrollback.
        #expect(!result.errors.contains(caseID))
        #expect(!FileManager.default.fileExists(atPath: variables["PEJLING_STORE"]! + "/journals"))
    }

    @Test(arguments: ["ask", "decide", "withdraw"])
    func controlCharactersInTypedTextAreRefused(command: String) throws {
        let variables = try storeVariables()
        #expect(
            run(["ask", "ors", "--case", "K-1", "--answers", "1,2,3,4"], variables: variables).status
                == .success)
        let arguments: [String]
        switch command {
        case "ask": arguments = ["ask", "srs", "--case", "K-1", "--answers", "9,9,9,9", "--comment", hostile]
        case "decide":
            arguments = [
                "decide", "--case", "K-1", "--flag", "F-x", "--outcome", "continue", "--worker", "a\u{1B}[2J",
            ]
        default: arguments = ["withdraw", "--case", "K-1", "--record", "0000", "--reason", hostile]
        }
        let before = try records(variables).count
        let result = run(arguments, variables: variables)
        #expect(result.status == .usage)
        #expect(result.errors.contains("control character"))
        #expect(holdsNoControlCharacters(result.errors))
        #expect(try records(variables).count == before)
    }

    @Test func textsLongerThanAPersonWritesAreRefused() throws {
        let variables = try storeVariables()
        let comment = run(
            [
                "ask", "ors", "--case", "K-1", "--answers", "1,2,3,4", "--comment",
                String(repeating: "x", count: 120_000),
            ], variables: variables)
        #expect(comment.status == .usage)
        #expect(comment.errors.contains("120000 characters") && comment.errors.contains("at most 2000"))
        let goal = run(
            ["ask", "gbo", "--case", "K-1", "--goal", String(repeating: "g", count: 301), "--answers", "3"],
            variables: variables)
        #expect(goal.status == .usage)
        #expect(goal.errors.contains("at most 300"))
        let worker = run(
            [
                "ask", "ors", "--case", "K-1", "--answers", "1,2,3,4", "--worker",
                String(repeating: "w", count: 65),
            ],
            variables: variables)
        #expect(worker.status == .usage)
        #expect(!FileManager.default.fileExists(atPath: variables["PEJLING_STORE"]! + "/journals"))
    }

    @Test func aCommentWithAnEscapeIsAskedAgainAtThePrompt() throws {
        let variables = try storeVariables()
        let result = run(
            ["ask", "srs", "--case", "K-1"], input: ["9", "9", "9", "9", "bad \u{1B}[2J", "fine", ""],
            variables: variables)
        #expect(result.status == .success, "\(result.errors)")
        #expect(result.output.contains("holds a control character (^[) at character 5"))
        #expect(administration(try records(variables)[0])?.comment == "fine")
    }

    @Test func storedTextIsShownWithoutControlCharactersInEveryTextReport() throws {
        let variables = try storeVariables()
        try plant(
            [
                planted(
                    "K-1",
                    .administration(
                        ors([3, 4, 3, 4], date: "2026-01-10", worker: hostile, comment: hostile)), second: 1),
                planted(
                    "K-1", .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: hostile)),
                    second: 2),
                planted(
                    "K-1",
                    .administration(ors([2, 2, 2, 2], date: "2026-02-10", worker: hostile, comment: nil)),
                    second: 3),
            ], in: variables)
        for arguments in [
            ["history", "--case", "K-1"], ["chart", "--case", "K-1"], ["flags", "--case", "K-1"], ["team"],
            ["team", "--by-worker"], ["outcomes"],
        ] {
            let result = run(arguments, variables: variables)
            #expect(result.status == .success, "\(arguments): \(result.errors)")
            #expect(holdsNoControlCharacters(result.output), "\(arguments)")
            #expect(holdsNoControlCharacters(result.errors), "\(arguments)")
        }
        let history = run(["history", "--case", "K-1"], variables: variables).output
        #expect(history.contains("ok^[]0;PWNED^G^[[2J^Mhidden<U+009B>31m<U+202E>desrever"))
        // JSON keeps the text exactly, escaped as JSON escapes it.
        let json = run(["history", "--case", "K-1", "--format", "json"], variables: variables).output
        #expect(json.contains(#"ok\u001b]0;PWNED\u0007\u001b[2J\rhidden"#))
    }

    @Test func anOrganisationsInstrumentWithEscapesIsShownHarmlessly() throws {
        let folder = try temporaryFolder()
        let fixture = packageRoot.appendingPathComponent(
            "Tests/InstrumentModelTests/Fixtures/valid-own-instrument.json")
        var text = try String(contentsOf: fixture, encoding: .utf8)
        let title = try #require(text.range(of: #""title""#))
        let open = try #require(text.range(of: #""en": ""#, range: title.upperBound..<text.endIndex))
        text.insert(contentsOf: #"\u001b]0;PWNED\u0007 "#, at: open.upperBound)
        try text.write(toFile: folder + "/own.json", atomically: true, encoding: .utf8)
        let listed = run(["--instruments", folder, "instruments", "list"])
        #expect(listed.status == .success, "\(listed.errors)")
        let id = try #require(
            listed.output.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != " " }) }.first {
                !["ors", "srs", "cors", "csrs", "gbo", "brief-inspire-o"].contains($0)
            })
        for arguments in [["instruments", "list"], ["instruments", "show", id]] {
            let result = run(["--instruments", folder] + arguments)
            #expect(result.status == .success, "\(arguments): \(result.errors)")
            #expect(holdsNoControlCharacters(result.output), "\(arguments)")
            #expect(result.output.contains("^[]0;PWNED^G"), "\(arguments)")
        }
    }

    @Test(arguments: ["csv", "csv-da"])
    func noCSVCellCanRunAsAFormula(format: String) throws {
        let variables = try storeVariables()
        let formulas = ["=2+2", "+SUM(A1:A9)", "-1+1", "@cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")"]
        for (index, formula) in formulas.enumerated() {
            let result = run(
                [
                    "ask", "ors", "--case", "K-\(index)", "--date", "2026-03-0\(index + 1)", "--answers",
                    "1,2,3,4",
                    "--worker", formula, "--comment", formula,
                ], variables: variables)
            #expect(result.status == .success, "\(result.errors)")
        }
        let folder = try temporaryFolder()
        let outputs = [
            run(["export", "--format", format], variables: variables).output,
            run(["team", "--format", format, "--show-small"], variables: variables).output,
            run(["history", "--case", "K-0", "--format", "csv"], variables: variables).output,
        ]
        for output in outputs {
            let separator: Character = format == "csv-da" ? ";" : ","
            let cells = try CSVReader.rows(output, separator: separator).flatMap { $0 }
            #expect(!cells.isEmpty)
            for cell in cells {
                #expect(!(cell.first.map { "=+@\t\r".contains($0) } ?? false), "\(cell)")
                if cell.hasPrefix("-") {
                    #expect(Double(cell.replacingOccurrences(of: ",", with: ".")) != nil, "\(cell)")
                }
            }
        }
        // The import takes the guard off again: the words come back as they were typed.
        let path = folder + "/export.csv"
        try outputs[0].write(toFile: path, atomically: true, encoding: .utf8)
        let other = try storeVariables()
        #expect(run(["import", path], variables: other).status == .success)
        let comments = Set(try records(other).compactMap { administration($0)?.comment })
        let workers = Set(try records(other).compactMap { administration($0)?.worker })
        #expect(comments == Set(formulas))
        #expect(workers == Set(formulas))
    }

    @Test func pipedInputWithMoreAnswersThanQuestionsSavesNothing() throws {
        let variables = try storeVariables()
        let five = run(
            ["ask", "ors", "--case", "K-1"], input: ["1", "2", "3", "4", "5"], interactive: false,
            variables: variables)
        #expect(five.status == .dataError)
        #expect(five.errors.contains("Input holds 5 answers, but ORS asks 4 questions. Nothing was saved."))
        #expect(!FileManager.default.fileExists(atPath: variables["PEJLING_STORE"]! + "/journals"))
        // Blank lines after the answers are no answers.
        let trailing = run(
            ["ask", "ors", "--case", "K-1"], input: ["1", "2", "3", "4", "", " "], interactive: false,
            variables: variables)
        #expect(trailing.status == .success, "\(trailing.errors)")
        #expect(try records(variables).count == 1)
    }

    @Test func binaryInputIsQuotedShortAndVisibly() throws {
        let garbage = String(
            decoding: (0..<400).map { UInt8(($0 * 37) % 256) }.filter { $0 != 0x0A }, as: UTF8.self)
        let result = run(
            ["ask", "ors", "--case", "K-1"], input: [garbage, "2", "3", "4"], interactive: false,
            variables: try storeVariables())
        #expect(result.status == .dataError)
        #expect(holdsNoControlCharacters(result.errors))
        #expect(result.errors.count < 300)
    }

    @Test func anImportQuotesAHugeOrHostileValueShortAndVisibly() throws {
        let variables = try storeVariables()
        let ask = run(
            ["ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "1,2,3,4"],
            variables: variables)
        #expect(ask.status == .success, "\(ask.errors)")
        let exported = run(["export", "--format", "csv"], variables: variables).output
        var rows = try CSVReader.rows(exported, separator: ",").filter { $0 != [""] }
        let column = try #require(rows[0].firstIndex(of: "ors.individually"))
        let folder = try temporaryFolder()
        func imported(_ rows: [[String]]) throws -> RunResult {
            let text = rows.map { $0.map { CSVField.encoded($0, separator: ",") }.joined(separator: ",") }
                .joined(separator: "\n")
            let path = folder + "/pasted-\(rows[0].count).csv"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return run(["import", path], variables: try storeVariables())
        }
        var huge = rows
        huge[1][column] = String(repeating: "9", count: 100_000)
        let value = try imported(huge)
        #expect(value.status == .dataError)
        #expect(value.errors.contains("'" + String(repeating: "9", count: 40) + "…' is not a valid answer"))
        #expect(value.errors.count < 1_000, "\(value.errors.count) characters")
        rows[0].append("\u{1B}]0;title\u{07}" + String(repeating: "y", count: 5_000))
        rows[1].append("")
        let header = try imported(rows)
        #expect(header.status == .dataError)
        #expect(holdsNoControlCharacters(header.errors))
        #expect(header.errors.contains("the column '^[]0;title^Gyyy"))
        #expect(header.errors.contains("y…' is not one Pejling writes"))
        // The ';' inside that column's name does not make the file a Danish one of one column.
        #expect(!header.errors.contains("the column 'case' is missing"))
        #expect(header.errors.count < 1_000, "\(header.errors.count) characters")
    }

    @Test func anImportThroughAPipeReadsEveryRow() throws {
        let variables = try storeVariables()
        for (index, date) in ["2026-02-01", "2026-03-01"].enumerated() {
            let ask = run(
                ["ask", "ors", "--case", "K-1", "--date", date, "--answers", "1,2,3,\(index + 4)"],
                variables: variables)
            #expect(ask.status == .success, "\(ask.errors)")
        }
        let exported = run(["export", "--format", "csv"], variables: variables).output
        // As `pejling import <(iconv …)` hands it over: a pipe, whose size says 0.
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let bytes = Array(exported.utf8)
        try #require(bytes.count < 60_000)
        #expect(write(ends[1], bytes, bytes.count) == bytes.count)
        close(ends[1])
        defer { close(ends[0]) }
        let other = try storeVariables()
        let imported = run(["import", "/dev/fd/\(ends[0])"], variables: other)
        #expect(imported.status == .success, "\(imported.errors)")
        let history = run(["history", "--case", "K-1"], variables: other).output
        #expect(history.contains("2026-02-01") && history.contains("2026-03-01"), "\(history)")
        #expect(run(["export", "--format", "csv"], variables: other).output == exported)
    }

    @Test func anInstrumentFolderWithBrokenFilesSaysSoAndNamesEach() throws {
        let folder = try temporaryFolder()
        try "{}".write(toFile: folder + "/a.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/b.json", withIntermediateDirectories: true)
        let list = run(["--instruments", folder, "instruments", "list"])
        #expect(list.status != .success)
        #expect(list.errors.contains("b.json: it is a folder, not a file"), "\(list.errors)")
        try FileManager.default.removeItem(atPath: folder + "/b.json")
        try "[".write(toFile: folder + "/b.json", atomically: true, encoding: .utf8)
        let broken = run(["--instruments", folder, "instruments", "list"])
        #expect(
            broken.errors.contains(
                "The instrument folder \(folder) has files that are not valid (2 problems)"))
        #expect(broken.errors.contains(folder + "/a.json:1:1") && broken.errors.contains(folder + "/b.json:"))
    }

    @Test func messagesSayWhatIsWrongAndWhatToDo() throws {
        let variables = try storeVariables()
        #expect(
            run(["ask", "ors", "--case", "K-1", "--answers", "1,2,3,4"], variables: variables).status
                == .success)
        let empty = run(["withdraw", "--case", "K-1", "--record", ""], variables: variables)
        #expect(empty.status == .usage)
        #expect(empty.errors.contains("at least the first 4 characters"))
        for command in ["team", "outcomes"] {
            let backwards = run(
                [command, "--since", "2026-05-01", "--until", "2026-04-01"], variables: variables)
            #expect(backwards.status == .usage)
            #expect(backwards.errors.contains("--since 2026-05-01 is after --until 2026-04-01"))
        }
        let missing = run(["--instruments", "/nonexistent-pejling", "instruments", "list"])
        #expect(missing.errors.contains("The instrument folder /nonexistent-pejling does not exist"))
        let file = run(["--instruments", "/etc/hostname", "instruments", "list"])
        #expect(file.errors.contains("is a file, not a folder"))
        // No cases: said so, rather than "there is no store" from the flags settled afterwards.
        let none = run(["simulate", "--cases", "0"], variables: try storeVariables())
        #expect(none.status == .usage)
        #expect(
            none.errors.contains("'--cases' takes a whole number from 1 to 2000000, not '0'"),
            "\(none.errors)")
        let folder = try temporaryFolder()
        let danish = run(
            ["--lang", "da", "export", "--format", "csv", "--out", folder], variables: variables)
        #expect(danish.status == .usage)
        #expect(danish.errors.contains("Kan ikke skrive \(folder): det er en mappe"), "\(danish.errors)")
    }
}
