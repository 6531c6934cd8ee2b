import Foundation
import Testing

@testable import Commands

@Test func aCaseChartHasPanelsASharedAxisAndASummary() throws {
    let variables = try storeVariables()
    for (date, ors, srs) in [
        ("2026-01-05", "3,4,4,4", "9,9,9,9"), ("2026-01-19", "4,4,5,5", "9,9,9,8.5"),
        ("2026-02-02", "5,6,6,6", "8,8,8,8"),
    ] {
        _ = run(["ask", "ors", "--case", "K-1", "--date", date, "--answers", ors], variables: variables)
        _ = run(["ask", "srs", "--case", "K-1", "--date", date, "--answers", srs], variables: variables)
    }
    let result = run(["chart", "--case", "K-1", "--width", "72", "--ascii"], variables: variables)
    #expect(result.status == .success, "\(result.errors)")
    let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { $0.count <= 72 })
    #expect(result.output.utf8.allSatisfy { $0 < 128 })
    #expect(lines.first == "ORS (0-40)")
    #expect(result.output.contains("SRS (0-40)"))
    #expect(result.output.contains("clinical cut-off 25"))
    #expect(result.output.contains("alliance cut-off 36"))
    #expect(result.output.contains("reliable change from intake (+/-5)"))
    let summary = result.output.replacingOccurrences(of: "\n  ", with: " ")
    #expect(
        summary.contains(
            "ORS: 3 measurements, first 15 (2026-01-05), latest 23 (2026-02-02); change +8, a reliable improvement. Latest on the clinical side of the cut-off 25."
        ))
    #expect(
        summary.contains(
            "SRS: 3 measurements, first 36 (2026-01-05), latest 32 (2026-02-02); change -4"))
    let danish = run(
        ["chart", "--case", "K-1", "--lang", "da"], variables: variables.merging(["COLUMNS": "100"]) { $1 })
    #expect(danish.output.split(separator: "\n").allSatisfy { $0.count <= 100 })
    #expect(danish.output.contains("klinisk grænse 25"))
    #expect(
        danish.output.replacingOccurrences(of: "\n  ", with: " ").contains(
            "ændring +8, en pålidelig bedring."))
}

@Test func chartingAnUnknownCaseSaysSo() throws {
    let variables = try storeVariables()
    _ = run(["ask", "ors", "--case", "K-1", "--answers", "3,4,4,4"], variables: variables)
    let result = run(["chart", "--case", "K-2"], variables: variables)
    #expect(result.status == .failure)
    #expect(result.errors.contains("The store holds nothing about the case 'K-2'."))
    #expect(run(["chart", "--case", "K-1", "--width", "12"], variables: variables).status == .usage)
}

@Test func wrappingKeepsTheFirstLinesIndentAndFitsTheWidth() {
    let text = "  " + String(repeating: "word ", count: 30)
    let lines = wrap(text, width: 24, indent: "    ").split(separator: "\n")
    #expect(lines.first?.hasPrefix("  word") == true)
    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("    word") })
    #expect(lines.allSatisfy { $0.count <= 24 })
    #expect(wrap("a-very-long-single-word-indeed", width: 5) == "a-very-long-single-word-indeed")
}

@Test func theGoalSummaryFollowsEachGoal() throws {
    let variables = try storeVariables()
    _ = run(
        [
            "ask", "gbo", "--case", "K-1", "--date", "2026-02-01", "--goal", "Sleep through the night",
            "--goal", "Cook",
            "--answers", "2,5",
        ], variables: variables)
    _ = run(
        ["ask", "gbo", "--case", "K-1", "--date", "2026-03-01", "--answers", "6,5"], variables: variables)
    let result = run(["chart", "--case", "K-1"], variables: variables)
    let summary = result.output.replacingOccurrences(of: "\n  ", with: " ")
    #expect(
        summary.contains(
            "GBO: \"Sleep through the night\" 2 → 6 (+4, reliable improvement); \"Cook\" 5 → 5 (0)."))
}
