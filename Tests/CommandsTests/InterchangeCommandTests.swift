import Foundation
import Storage
import Testing

@testable import Commands

/// A small RFC 4180 reader of its own, so the export is checked by something other than the
/// import: fields split on `separator`, quoted fields may hold separators, `""` and line breaks.
func parseRFC4180(_ text: String, separator: Character) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    let characters = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    var index = 0
    while index < characters.count {
        let character = characters[index]
        index += 1
        if inQuotes {
            if character == "\"" && index < characters.count && characters[index] == "\"" {
                field.append("\"")
                index += 1
            } else if character == "\"" {
                inQuotes = false
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            inQuotes = true
        } else if character == separator {
            row.append(field)
            field = ""
        } else if character == "\r\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.append(character)
        }
    }
    return rows
}

/// A store with ORS and SRS administrations whose comments need quoting, a correction and a withdrawal.
func interchangeStore() throws -> [String: String] {
    let variables = try storeVariables()
    let comment = "Bedre, men \"træt\"; sover dårligt\r\nny linje"
    let first = run(
        [
            "ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "4.2,5,3.8,6.1", "--comment",
            comment,
            "--format", "json",
        ], variables: variables)
    #expect(first.status == .success, "\(first.errors)")
    #expect(
        run(
            ["ask", "srs", "--case", "K-1", "--date", "2026-03-01", "--answers", "9,8.5,9,9.1"],
            variables: variables
        )
        .status == .success)
    #expect(
        run(
            ["ask", "ors", "--case", "K-2", "--date", "2026-03-05", "--answers", "1,1,1,1"],
            variables: variables
        )
        .status == .success)
    let withdrawnID = try records(variables).last!.id
    #expect(
        run(["withdraw", "--case", "K-2", "--record", withdrawnID], variables: variables).status == .success)
    let firstID = try records(variables).first!.id
    #expect(
        run(
            [
                "ask", "ors", "--case", "K-1", "--corrects", firstID, "--answers", "4.2,5,3.8,7", "--comment",
                comment,
            ],
            variables: variables
        ).status == .success)
    return variables
}

@Test(arguments: [("csv", Character(",")), ("csv-da", Character(";"))])
func csvOpensInASpreadsheetWithQuotesSeparatorsAndLineBreaksInside(format: String, separator: Character)
    throws
{
    let variables = try interchangeStore()
    let result = run(["export", "--format", format], variables: variables)
    #expect(result.status == .success, "\(result.errors)")
    #expect(result.output.hasPrefix("\u{FEFF}") == (format == "csv-da"))
    let rows = parseRFC4180(result.output, separator: separator)
    let header = try #require(rows.first)
    #expect(header.prefix(4) == ["id", "recorded", "case", "date"])
    #expect(rows.allSatisfy { $0.count == header.count })
    #expect(rows.count == 3, "a corrected ORS and an SRS; the withdrawn ORS is left out")
    let ors = try #require(rows.first { $0[header.firstIndex(of: "instrument")!] == "ors" })
    func cell(_ name: String) -> String { ors[header.firstIndex(of: name)!] }
    #expect(cell("case") == "K-1")
    #expect(cell("comment") == "Bedre, men \"træt\"; sover dårligt\r\nny linje")
    #expect(cell("ors.individually") == (format == "csv-da" ? "4,2" : "4.2"))
    #expect(cell("ors.overall") == "7", "the correction is applied")
    #expect(cell("ors.total") == "20")
    #expect(cell("ors.socially") == (format == "csv-da" ? "3,8" : "3.8"))
}

@Test(arguments: ["csv", "csv-da", "fhir"])
func anExportImportsIntoAnEmptyStoreAsTheSameAdministrations(format: String) throws {
    let variables = try interchangeStore()
    let folder = try temporaryFolder()
    let file = folder + "/export." + format
    #expect(run(["export", "--format", format, "--out", file], variables: variables).status == .success)
    let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let empty = ["PEJLING_STORE": folder + "/empty"]
    let imported = run(["import", file], variables: empty)
    #expect(imported.status == .success, "\(imported.errors)")
    #expect(imported.output.contains("Imported: 2 administrations"))

    let before = run(["export", "--format", "csv"], variables: variables).output
    let after = run(["export", "--format", "csv"], variables: empty).output
    #expect(after == before)
    // The same file again adds nothing: the records keep their ids.
    let again = run(["import", file], variables: empty)
    #expect(again.output.contains("2 records are already in the store"))
    #expect(try records(empty).count == 2)
}

@Test func anExportIsAudited() throws {
    let variables = try interchangeStore()
    #expect(run(["export", "--case", "K-1", "--format", "fhir"], variables: variables).status == .success)
    let audit = try String(
        contentsOfFile: variables["PEJLING_STORE"]! + "/audit/tester@testhost.jsonl", encoding: .utf8)
    #expect(audit.contains(#""command":"export fhir","case":"K-1""#))
}

@Test func aPublicPHQ9QuestionnaireBecomesAnInstrumentThatCanBeAsked() throws {
    let variables = try storeVariables()
    let instruments = try temporaryFolder() + "/instrumenter"
    let fixture = packageRoot.appendingPathComponent(
        "Tests/InterchangeTests/Fixtures/phq-9-without-total.json"
    ).path
    let imported = run(["--instruments", instruments, "import", fixture], variables: variables)
    #expect(imported.status == .success, "\(imported.errors)")
    #expect(imported.output.contains("phq-9.json"))
    #expect(FileManager.default.fileExists(atPath: instruments + "/phq-9.json"))

    let asked = run(
        [
            "--instruments", instruments, "ask", "phq-9", "--case", "K-9", "--date", "2026-03-01",
            "--answers",
            "0,1,2,3,0,1,2,3,3", "--format", "json",
        ], variables: variables)
    #expect(asked.status == .success, "\(asked.errors)")
    let saved = try #require(try records(variables).compactMap(administration).first)
    #expect(saved.instrument == "phq-9")
    #expect(saved.scores["total"] == 15)

    let twice = run(["--instruments", instruments, "import", fixture], variables: variables)
    #expect(twice.status == .failure)
    #expect(twice.errors.contains("already exists"))
}

@Test func aCalculatedTotalIsReportedAsNotAskedAndNeedsNoLossy() throws {
    // This test asserted the old behaviour: the calculated total stopped the import unless
    // --lossy, which then asked the total as an item and added it into the score.
    let instruments = try temporaryFolder()
    let fixture = packageRoot.appendingPathComponent(
        "Tests/InterchangeTests/Fixtures/phq-9-questionnaire.json"
    ).path
    let strict = run(["--instruments", instruments, "import", fixture])
    #expect(strict.status == .success, "\(strict.errors)")
    #expect(
        strict.output.contains(
            "Not asked:\n  /intro (display text, nothing to answer)\n  /44261-6 (calculated"))
    #expect(FileManager.default.fileExists(atPath: instruments + "/phq-9.json"))
}

@Test func aQuestionnaireNeedsAnInstrumentFolder() throws {
    let fixture = packageRoot.appendingPathComponent(
        "Tests/InterchangeTests/Fixtures/phq-9-without-total.json"
    ).path
    let result = run(["import", fixture])
    #expect(result.status == .usage)
    #expect(result.errors.contains("--instruments DIR"))
}

@Test func paperFormsWithMistakesAreAllReportedAndNothingIsWritten() throws {
    let variables = try storeVariables()
    let file = try temporaryFolder() + "/paper.csv"
    let text = """
        case;date;instrument;ors.individually;ors.interpersonally;ors.socially;ors.overall;comment\r
        K-1;2026-03-01;ors;4,2;5;3,8;6,1;"Godt; tak"\r
        K-2;2026-13-01;ors;4,2;12;3,8;6,1;\r
        K-3;2026-03-01;ors;4,2;5;;6,1;\r

        """
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let result = run(["import", file], variables: variables)
    #expect(result.status == .dataError)
    #expect(result.errors.contains("3 problems in \(file); nothing was imported"))
    #expect(result.errors.contains("row 3, column date: '2026-13-01' is not a date"))
    #expect(result.errors.contains("row 3, column ors.interpersonally: '12' is not a valid answer"))
    #expect(result.errors.contains("row 4, column ors.socially: an answer is needed"))
    #expect(!FileManager.default.fileExists(atPath: variables["PEJLING_STORE"]! + "/journals"))

    let fixed = text.replacingOccurrences(of: "2026-13-01;ors;4,2;12", with: "2026-02-01;ors;4,2;5")
        .replacingOccurrences(of: "5;;6,1", with: "5;3;6,1")
    try fixed.write(toFile: file, atomically: true, encoding: .utf8)
    let dryRun = run(["import", file, "--dry-run"], variables: variables)
    #expect(dryRun.status == .success, "\(dryRun.errors)")
    #expect(dryRun.output.contains("Dry run: 3 administrations would be imported"))
    #expect(!FileManager.default.fileExists(atPath: variables["PEJLING_STORE"]! + "/journals"))
    #expect(run(["import", file], variables: variables).status == .success)
    let stored = try records(variables).compactMap(administration)
    #expect(stored.compactMap { $0.scores["total"] }.sorted() == [18.3, 19.1, 19.1])
    #expect(stored.compactMap(\.comment) == ["Godt; tak"])
    // The same paper file again adds nothing: its rows get ids from their place and content.
    let again = run(["import", file], variables: variables)
    #expect(again.status == .success)
    #expect(try records(variables).count == 3)
}

@Test func commentsThatLookLikeFormulasAreExportedAsTextAndComeBackUnchanged() throws {
    let variables = try storeVariables()
    _ = run(
        [
            "ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "1,2,3,4", "--comment",
            "=HYPERLINK(\"x\")",
        ], variables: variables)
    let exported = run(["export", "--format", "csv"], variables: variables)
    #expect(exported.output.contains(#"'=HYPERLINK(""x"")"#))
    let file = try temporaryFolder() + "/export.csv"
    try exported.output.write(toFile: file, atomically: true, encoding: .utf8)
    let other = try storeVariables()
    #expect(run(["import", file], variables: other).status == .success)
    #expect(try records(other).compactMap(administration).first?.comment == "=HYPERLINK(\"x\")")
}

@Test func exportingTwiceToTheSameFileReplacesIt() throws {
    let variables = try interchangeStore()
    let path = try temporaryFolder() + "/x.csv"
    let first = run(["export", "--format", "csv", "--out", path], variables: variables)
    #expect(first.status == .success, "\(first.errors)")
    let written = try String(contentsOfFile: path, encoding: .utf8)
    let second = run(["export", "--format", "csv", "--out", path], variables: variables)
    #expect(second.status == .success, "\(second.errors)")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == written)
    #expect(written.hasPrefix("id,recorded,case"))
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
}

@Test func exportToAFolderIsAUsageErrorNamingIt() throws {
    let variables = try interchangeStore()
    let folder = try temporaryFolder()
    let result = run(["export", "--format", "csv", "--out", folder], variables: variables)
    #expect(result.status == .usage)
    #expect(result.errors.contains("Cannot write \(folder): it is a folder"), "\(result.errors)")
    let missing = run(["export", "--format", "csv", "--out", folder + "/no/x.csv"], variables: variables)
    #expect(missing.status == .usage)
    #expect(missing.errors.contains("the folder \(folder)/no does not exist"), "\(missing.errors)")
}

@Test func aDryRunSaysWhatTheImportThenDoesEvenThroughALinkToTheFile() throws {
    let variables = try interchangeStore()
    let folder = try temporaryFolder()
    // The target store already holds the two administrations of K-1.
    let target = ["PEJLING_STORE": folder + "/target"]
    let one = folder + "/one.csv"
    #expect(
        run(["export", "--case", "K-1", "--format", "csv", "--out", one], variables: variables).status
            == .success)
    #expect(run(["import", one], variables: target).status == .success)
    let third = run(
        ["ask", "ors", "--case", "K-3", "--date", "2026-03-06", "--answers", "2,2,2,2"], variables: variables)
    #expect(third.status == .success)
    let file = folder + "/export.csv"
    #expect(run(["export", "--format", "csv", "--out", file], variables: variables).status == .success)
    let link = folder + "/link.csv"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)

    let dryRun = run(["import", link, "--dry-run"], variables: target)
    #expect(dryRun.status == .success, "\(dryRun.errors)")
    let imported = run(["import", link], variables: target)
    #expect(imported.status == .success, "\(imported.errors)")
    func lines(_ output: String) -> [String] { output.split(separator: "\n").dropFirst().map(String.init) }
    #expect(dryRun.output.contains("Dry run: 1 administrations would be imported"))
    #expect(imported.output.contains("Imported: 1 administrations"))
    #expect(lines(dryRun.output) == lines(imported.output))
    #expect(imported.output.contains("2 records are already in the store and were skipped."))
    #expect(try records(target).count == 3)
}
