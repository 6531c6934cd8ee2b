import Administration
import Testing

@testable import Commands

/// The width `Context` computes from these facts, with no `--width`.
private func width(columns: String?, terminal: Int?) throws -> Int {
    var variables: [String: String] = [:]
    variables["COLUMNS"] = columns
    let environment = CommandEnvironment(
        variables: variables, terminalWidth: terminal, now: { fixedNow }, hostName: "h")
    let context = try Context(
        environment: environment, console: ScriptedConsole(), globals: ParsedArguments())
    return try context.width(option: nil)
}

@Test(arguments: [
    ("10000000", 400), ("9223372036854775807", 400), ("401", 400), ("400", 400), ("120", 120), ("30", 30),
    ("10", 30), ("-5", 80), ("0", 80), ("x", 80),
])
func aWidthFromCOLUMNSIsClampedToTheWidthsAChartIsDrawnIn(columns: String, expected: Int) throws {
    #expect(try width(columns: columns, terminal: nil) == expected)
}

@Test(arguments: [(10_000_000, 400), (401, 400), (120, 120), (12, 30)])
func aWidthFromTheTerminalIsClampedTheSameWay(terminal: Int, expected: Int) throws {
    #expect(try width(columns: nil, terminal: terminal) == expected)
    #expect(try width(columns: "garbage", terminal: terminal) == expected)
}

@Test func aChartWithAHugeCOLUMNSIsDrawnAtMostFourHundredWide() throws {
    let variables = try storeVariables()
    _ = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "5,5,5,5"], variables: variables)
    _ = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-08", "--answers", "6,6,6,6"], variables: variables)
    let result = run(
        ["chart", "--case", "K-1", "--ascii"], variables: variables.merging(["COLUMNS": "10000000"]) { $1 })
    #expect(result.status == .success)
    let widest = result.output.split(separator: "\n").map(\.count).max() ?? 0
    #expect(widest <= 400 && widest > 300)
}
