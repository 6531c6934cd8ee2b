import Foundation
import Interchange
import Progression
import Support
import Testing

@testable import Commands

/// A store with K-1 measured three times with ORS, K-2 twice, and K-3 once.
private func outcomesStore() throws -> String {
    let store = try temporaryFolder()
    let meetings = [
        ("K-1", "2026-01-05", "1,1,1,1"), ("K-1", "2026-02-05", "5,5,5,5"), ("K-1", "2026-03-05", "9,9,9,9"),
        ("K-2", "2026-01-10", "8,8,8,8"), ("K-2", "2026-02-10", "2,2,2,2"), ("K-3", "2026-01-15", "5,5,5,5"),
    ]
    for (caseID, date, answers) in meetings {
        let asked = run(
            ["ask", "ors", "--case", caseID, "--date", date, "--answers", answers],
            variables: ["PEJLING_STORE": store])
        #expect(asked.status == .success, "\(asked.errors)")
    }
    return store
}

@Test func theOutcomesReportHasARowForEachCaseMeasuredTwiceOrMore() throws {
    let context = try useCaseContext(try outcomesStore())
    let report = try OutcomesReport(context, instrument: nil, since: nil, until: nil)
    #expect(report.rows.map(\.caseID) == ["K-1", "K-2"])
    #expect(report.rows.map(\.assessment.pre) == [4, 32])
    #expect(report.rows.map(\.assessment.post) == [36, 8])
    #expect(report.rows.map(\.firstDay.description) == ["2026-01-05", "2026-01-10"])
}

@Test func theOutcomesReportCountsOnlyThePeriodsScores() throws {
    let context = try useCaseContext(try outcomesStore())
    let report = try OutcomesReport(context, instrument: "ors", since: Day(iso: "2026-02-01"), until: nil)
    // K-2 has one score left in the period; K-1 starts from its second.
    #expect(report.rows.map(\.caseID) == ["K-1"])
    #expect(report.rows.first?.assessment.pre == 20)
    let none = try OutcomesReport(context, instrument: "srs", since: nil, until: nil)
    #expect(none.rows.isEmpty)
}

@Test(arguments: [(0, true), (4, true), (5, false), (40, false)])
func smallGroupsWithholdFiguresAboutFewerThanFiveCases(cases: Int, withheld: Bool) {
    #expect(SmallGroups(shown: false).withholds(cases: cases) == withheld)
    #expect(!SmallGroups(shown: true).withholds(cases: cases))
}

@Test func theTeamReviewWithholdsASmallGroupsFiguresUnlessAsked() throws {
    let store = try outcomesStore()
    let hidden = run(["team", "--format", "json"], variables: ["PEJLING_STORE": store])
    let shown = run(["team", "--format", "json", "--show-small"], variables: ["PEJLING_STORE": store])
    #expect(hidden.status == .success && shown.status == .success)
    #expect(hidden.output.contains("\"<5\""))
    #expect(!shown.output.contains("\"<5\""))
}

@Test func outcomesInCSVAndJSONMadeOnEveryCoreAreEveryRowWrittenInTurn() throws {
    // More rows than one stretch of each writer holds, so several are made and written in order.
    let store = try temporaryFolder()
    let made = run(
        ["simulate", "--cases", "400", "--months", "6", "--seed", "5"], variables: ["PEJLING_STORE": store])
    #expect(made.status == .success, "\(made.errors)")
    let report = try OutcomesReport(try useCaseContext(store), instrument: nil, since: nil, until: nil)
    #expect(report.rows.count > OutcomesCommand.csvStretch)
    for dialect in [CSVWriter.Dialect.standard, .danish] {
        let csv = CSVWriter(dialect: dialect)
        let format = dialect == .danish ? "csv-da" : "csv"
        let written = run(["outcomes", "--format", format], variables: ["PEJLING_STORE": store])
        #expect(written.status == .success)
        #expect(
            written.output
                == csv.render(
                    [OutcomesCommand.csvHeader] + report.rows.map { OutcomesCommand.fields($0, csv: csv) }))
    }
    let json = run(["outcomes", "--format", "json"], variables: ["PEJLING_STORE": store])
    #expect(json.output == JSONValue.array(report.rows.map(OutcomesCommand.json)).rendered() + "\n")
}
