import Foundation
import InstrumentModel
import Storage
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
