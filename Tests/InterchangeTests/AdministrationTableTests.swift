import Foundation
import InstrumentModel
import Storage
import Support
import Testing

@testable import Interchange

@Test func theReaderHandlesQuotesSeparatorsAndLineBreaksInsideFields() throws {
    let text = "\u{FEFF}a;b;c\r\n\"x;y\";\"say \"\"hi\"\"\";\"two\r\nlines\"\r\n;;\r\n1;2,5;\n"
    #expect(CSVReader.separator(of: text) == ";")
    #expect(
        try CSVReader.rows(text, separator: ";") == [
            ["a", "b", "c"], ["x;y", "say \"hi\"", "two\r\nlines"], ["1", "2,5", ""],
        ])
    #expect(CSVReader.separator(of: "id,case\n1;2") == ",")
    // A column name holding the other character, quoted or not, does not decide the dialect.
    #expect(CSVReader.separator(of: "id,case,\"a;b\",x;y\n1;2;3") == ",")
    #expect(CSVReader.separator(of: "id;case;\"a,b\";x,y\n1,2,3") == ";")
    #expect(CSVReader.separator(of: "\"a\nb;c\";d;e,f\n") == ";")
    #expect(throws: CSVReader.UnterminatedQuote(line: 2)) {
        try CSVReader.rows("a\n\"open,b\nc", separator: ",")
    }
}

@Test(arguments: [false, true])
func aTableOfAdministrationsReadsBackAsTheSameRecords(decimalComma: Bool) throws {
    let original = mixedAdministration()
    let rows = AdministrationTable.rows([original], catalogue: testCatalogue, decimalComma: decimalComma)
    #expect(rows[0].prefix(10) == AdministrationTable.fixedColumns[...])
    #expect(
        rows[0].dropFirst(10) == ["mixed.mood", "mixed.sleep", "mixed.visits", "mixed.words", "mixed.total"])
    #expect(
        rows[1].dropFirst(10) == [
            decimalComma ? "6,5" : "6.5", "1", "1", "Godt, \"tak\"", decimalComma ? "8,5" : "8.5",
        ])
    let imported = try AdministrationTable.records(rows, setting: setting())
    #expect(imported.warnings.isEmpty)
    #expect(imported.records.count == 1)
    #expect(imported.records.first?.id == recordID)
    #expect(imported.records.first?.time == written)
    #expect(imported.records.first?.caseID == "K-7")
    #expect(imported.records.first?.body == .administration(original.content))
}

@Test func everyProblemOfEveryRowIsReportedByRowAndColumn() throws {
    let rows = [
        [
            "id", "case", "date", "instrument", "respondent", "ors.individually", "ors.interpersonally",
            "ors.socially", "ors.overall",
        ],
        ["", "K-1", "2026-03-01", "ors", "", "4.2", "5", "3.8", "6.1"],
        ["", "0101901234", "2026-02-30", "ors", "cousin", "11", "5", "", "abc"],
        ["", "K-2", "2026-03-01", "phq-9", "", "", "", "", ""],
        ["", "K-3", "2099-01-01", "srs", "", "1", "", "", ""],
    ]
    #expect {
        try AdministrationTable.records(rows, setting: setting())
    } throws: { error in
        let problems = (error as? RecordImportError)?.problems.map(\.location) ?? []
        return problems == [
            "row 3, column case", "row 3, column date", "row 3, column respondent",
            "row 3, column ors.individually",
            "row 3, column ors.socially", "row 3, column ors.overall", "row 4, column instrument",
            "row 5, column date", "row 5, column ors.individually", "row 5",
        ]
    }
}

@Test func aTotalThatDisagreesWithItsAnswersIsReportedAndRecomputed() throws {
    let rows = [
        [
            "case", "date", "instrument", "ors.individually", "ors.interpersonally", "ors.socially",
            "ors.overall", "ors.total",
        ],
        ["K-1", "2026-03-01", "ors", "4.2", "5", "3.8", "6.1", "20"],
    ]
    let imported = try AdministrationTable.records(rows, setting: setting())
    #expect(imported.warnings.first?.hasPrefix("row 2: the file's ors.total 20") == true)
    // A row without an id gets one from its place and content: the same file gives the same ids.
    let id = try #require(imported.records.first?.id)
    #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
    #expect(try AdministrationTable.records(rows, setting: setting()).records.first?.id == id)
    guard case .administration(let content) = imported.records.first?.body else {
        Issue.record("no administration")
        return
    }
    #expect(content.scores == ["total": 19.1])
    #expect(content.respondent == "citizen")
}

@Test func theReaderCutsFieldsOnlyAtASCIIAndCountsLinesAsBefore() throws {
    // CR alone ends a row too; letters of two and four bytes sit next to separators and quotes;
    // a quote inside an unquoted field is kept; an empty quoted field may be followed by text.
    let text = "æ;ø\rå;\"😀\";x\"y\r\n\"\"z;\"ab\"c\n"
    #expect(
        try CSVReader.rows(text, separator: ";") == [["æ", "ø"], ["å", "😀", "x\"y"], ["z", "abc"]])
    // A quote left open is reported at the line it opened on: line feeds inside quotes count, a
    // carriage return alone inside quotes does not, as before.
    #expect(throws: CSVReader.UnterminatedQuote(line: 5)) {
        try CSVReader.rows("a\r\nb\n\"x\ny\"\n\"open\nstill open", separator: ",")
    }
    #expect(throws: CSVReader.UnterminatedQuote(line: 4)) {
        try CSVReader.rows("a\r\nb\n\"x\ry\"\n\"open", separator: ",")
    }
    #expect(try CSVReader.rows("\u{FEFF}", separator: ",").isEmpty)
}

@Test func aRecordIDIsOneToSixtyFourASCIILettersDigitsDashesOrPoints() {
    for value in UInt8(0)...0x7F {
        let character = Character(Unicode.Scalar(value))
        let allowed = character.isLetter || character.isNumber || character == "-" || character == "."
        #expect(RecordImport.isValidID(String(character)) == allowed, "\(value)")
    }
    #expect(RecordImport.isValidID(String(repeating: "a", count: 64)))
    #expect(!RecordImport.isValidID(String(repeating: "a", count: 65)))
    #expect(!RecordImport.isValidID(""))
    #expect(!RecordImport.isValidID("æble"))
    #expect(!RecordImport.isValidID("a b"))
}

@Test func aCheckedTableGivesTheRecordsOfTheTableEachTimeItIsGoneThrough() throws {
    let original = mixedAdministration()
    var rows = AdministrationTable.rows([original], catalogue: testCatalogue, decimalComma: true)
    var paper = rows[1]
    paper[0] = ""  // a paper row: its id comes from its place and content
    paper[2] = "K-8"
    rows.append(paper)
    rows.append(Array(repeating: "", count: rows[0].count))  // left by a spreadsheet: skipped
    let text = rows.map { $0.map { CSVField.encoded($0, separator: ";") }.joined(separator: ";") }
        .joined(separator: "\r\n")
    let table = try CheckedTable(checking: Array(text.utf8), setting: setting())
    let expected = try AdministrationTable.records(
        try CSVReader.rows(text, separator: ";"), setting: setting())
    #expect(expected.records.count == 2)
    #expect(Array(table) == expected.records)
    #expect(Array(table) == expected.records)
    #expect(table.warnings == expected.warnings)
}

@Test func aCheckedTableReportsAnOpenQuoteBeforeTheProblemsOfItsRows() {
    let header = AdministrationTable.fixedColumns.joined(separator: ",")
    #expect {
        try CheckedTable(
            checking: Array((header + "\n,,K-1,not a date,ors\n\"open").utf8), setting: setting())
    } throws: { error in
        guard case CheckedTable.Failure.unterminatedQuote(line: 3) = error else { return false }
        return true
    }
    #expect {
        try CheckedTable(checking: Array((header + "\n,,K-1,not a date,ors\n").utf8), setting: setting())
    } throws: { error in
        guard case CheckedTable.Failure.problems(let problems) = error else { return false }
        return problems.problems.contains { $0.location == "row 2, column date" }
    }
}
