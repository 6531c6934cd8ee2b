import Foundation
import Testing

@testable import Commands

/// A simulated store big enough for expected bands, and a case from it.
private func bandStore() throws -> (variables: [String: String], store: String) {
    let store = try temporaryFolder()
    let variables = ["PEJLING_STORE": store]
    let made = run(
        ["simulate", "--cases", "160", "--months", "12", "--seed", "3", "--no-decisions"],
        variables: variables)
    #expect(made.status == .success, "\(made.errors)")
    return (variables, store)
}

/// The saved bands' JSON (after the fingerprint and checksum the store puts first).
private func savedBands(_ store: String) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: store + "/cache/expected-bands.derived"))
    return String(decoding: data.dropFirst(16), as: UTF8.self)
}

private func removeCache(_ store: String) {
    try? FileManager.default.removeItem(atPath: store + "/cache")
}

@Test func aReportSaysTheSameWithSavedBandsAsWithout() throws {
    let (variables, store) = try bandStore()
    let bandsFile = store + "/cache/expected-bands.derived"
    for command in [
        ["chart", "--case", "K-00007", "--width", "80"], ["flags", "--case", "K-00007", "--all"],
        ["flags", "--case", "K-00011", "--format", "json"], ["team", "--format", "json"], ["flags"],
    ] {
        removeCache(store)
        let learned = run(command, variables: variables)
        #expect(learned.status == .success, "\(learned.errors)")
        // The whole store was read, and the bands it gave were kept for the journals as they are.
        let saved = try savedBands(store)
        #expect(saved.contains("\"low\""))
        let file = try FileManager.default.attributesOfItem(atPath: bandsFile)[.systemFileNumber] as? Int
        let reused = run(command, variables: variables)
        #expect(reused.output == learned.output)
        #expect(
            try FileManager.default.attributesOfItem(atPath: bandsFile)[.systemFileNumber] as? Int == file)
        #expect(try savedBands(store) == saved)
        #expect(FileManager.default.fileExists(atPath: bandsFile))
    }
}

@Test func savedBandsServeOnlyTheJournalsTheyWereLearnedFrom() throws {
    let (variables, store) = try bandStore()
    let chart = ["chart", "--case", "K-00007", "--width", "80"]
    _ = run(["team"], variables: variables)
    let bandsFile = store + "/cache/expected-bands.derived"
    let before = try Data(contentsOf: URL(fileURLWithPath: bandsFile))
    // Another case's meeting changes the bands a little: they are learned again, not reused.
    for _ in 0..<30 {
        _ = run(["ask", "ors", "--case", "K-NEW", "--answers", "1,1,1,1"], variables: variables)
    }
    let after = run(chart, variables: variables)
    #expect(after.status == .success)
    #expect(try Data(contentsOf: URL(fileURLWithPath: bandsFile)) != before)
    removeCache(store)
    #expect(run(chart, variables: variables).output == after.output)
    // What the bands were learned for is kept with them: the instruments and their ranges.
    #expect(try savedBands(store).contains("ors:"))
}

@Test func anErasureLeavesNoSavedFiguresBehind() throws {
    let (variables, store) = try bandStore()
    _ = run(["chart", "--case", "K-00003"], variables: variables)
    #expect(FileManager.default.fileExists(atPath: store + "/cache/expected-bands.derived"))
    #expect(run(["erase", "--case", "K-00003", "--yes"], variables: variables).status == .success)
    #expect(!FileManager.default.fileExists(atPath: store + "/cache/expected-bands.derived"))
    #expect(run(["chart", "--case", "K-00003"], variables: variables).status == .failure)
}

@Test func askSavesTheBandsItLearnsSoTheChartAfterItReusesThem() throws {
    let (variables, store) = try bandStore()
    let asked = run(["ask", "ors", "--case", "K-00007", "--answers", "2,2,2,2"], variables: variables)
    #expect(asked.status == .success, "\(asked.errors)")
    let path = store + "/cache/expected-bands.derived"
    // Saving writes a new file: the same file number afterwards means the chart only read it.
    let file = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
    let chart = run(["chart", "--case", "K-00007", "--width", "80"], variables: variables)
    #expect(file != nil)
    #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == file)
    removeCache(store)
    #expect(
        run(["chart", "--case", "K-00007", "--width", "80"], variables: variables).output == chart.output)
}

@Test func askOnAStoreWithSavedBandsKeepsThemAndTheReportAfterMatchesAColdRun() throws {
    let (variables, store) = try bandStore()
    let bandsFile = store + "/cache/expected-bands.derived"
    _ = run(["team"], variables: variables)
    let learned = try Data(contentsOf: URL(fileURLWithPath: bandsFile))
    let file = try FileManager.default.attributesOfItem(atPath: bandsFile)[.systemFileNumber] as? Int
    #expect(file != nil)

    // The meeting and the chart after it use the bands saved before it: not learned, not saved.
    let asked = run(["ask", "ors", "--case", "K-00007", "--answers", "2,2,2,2"], variables: variables)
    #expect(asked.status == .success, "\(asked.errors)")
    let chart = run(["chart", "--case", "K-00007", "--width", "80"], variables: variables)
    #expect(chart.status == .success, "\(chart.errors)")
    #expect(try FileManager.default.attributesOfItem(atPath: bandsFile)[.systemFileNumber] as? Int == file)
    #expect(try Data(contentsOf: URL(fileURLWithPath: bandsFile)) == learned)

    // What decides or lists flags, and every report, learns the bands from the store as it is
    // (outcomes needs none).
    for command in [
        ["flags", "--case", "K-00007", "--format", "json"], ["team", "--format", "json"],
        ["flags", "--format", "json"], ["outcomes", "--format", "csv"],
    ] {
        let warm = run(command, variables: variables)
        if command[0] != "outcomes" {
            #expect(try Data(contentsOf: URL(fileURLWithPath: bandsFile)) != learned, "\(command)")
        }
        removeCache(store)
        let cold = run(command, variables: variables)
        #expect(warm.status == .success, "\(warm.errors)")
        #expect(warm.output == cold.output, "\(command)")
        // Put the pre-meeting bands back for the next command.
        try FileManager.default.createDirectory(atPath: store + "/cache", withIntermediateDirectories: true)
        try learned.write(to: URL(fileURLWithPath: bandsFile))
    }
}

@Test func bandsLaggingByMoreThanTheirShareAreLearnedAgain() throws {
    let (variables, store) = try bandStore()
    let bandsFile = store + "/cache/expected-bands.derived"
    _ = run(["team"], variables: variables)
    let journals = try FileManager.default.contentsOfDirectory(atPath: store + "/journals").reduce(0) {
        $0
            + ((try FileManager.default.attributesOfItem(atPath: store + "/journals/" + $1)[.size] as? Int)
                ?? 0)
    }
    let learned = try Data(contentsOf: URL(fileURLWithPath: bandsFile))
    // Meetings keep the bands until more than their share was appended; then they are learned anew.
    var asked = 0
    var sizes = journals
    while sizes <= journals + journals / ExpectedBandsCache.lagLimit {
        _ = run(["ask", "ors", "--case", "K-NEW", "--answers", "1,1,1,1"], variables: variables)
        asked += 1
        sizes = try FileManager.default.contentsOfDirectory(atPath: store + "/journals").reduce(0) {
            $0
                + ((try FileManager.default.attributesOfItem(atPath: store + "/journals/" + $1)[.size] as? Int)
                    ?? 0)
        }
        if sizes <= journals + journals / ExpectedBandsCache.lagLimit {
            #expect(try Data(contentsOf: URL(fileURLWithPath: bandsFile)) == learned, "after \(asked)")
        }
    }
    #expect(asked > 1)
    let chart = run(["chart", "--case", "K-00007", "--width", "80"], variables: variables)
    #expect(try Data(contentsOf: URL(fileURLWithPath: bandsFile)) != learned)
    removeCache(store)
    #expect(
        run(["chart", "--case", "K-00007", "--width", "80"], variables: variables).output == chart.output)
}
