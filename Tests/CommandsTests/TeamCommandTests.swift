import Administration
import Foundation
import Testing

@testable import Commands

/// The administrations of a store read with Foundation's JSON parser: an independent path.
func independentAdministrations(_ store: String) throws -> [[String: Any]] {
    var result: [[String: Any]] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: store + "/journals") {
        let text = try String(contentsOfFile: store + "/journals/" + name, encoding: .utf8)
        for line in text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if object["kind"] as? String == "administration" { result.append(object) }
        }
    }
    return result
}

@Test func teamFiguresMatchAnIndependentComputation() throws {
    let store = try temporaryFolder()
    let variables = ["PEJLING_STORE": store]
    #expect(
        run(["simulate", "--cases", "60", "--seed", "11", "--no-decisions"], variables: variables).status
            == .success)
    let result = run(["team", "--format", "json", "--show-small", "--window", "10000"], variables: variables)
    #expect(result.status == .success, "\(result.errors)")
    let report = try #require(
        try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])

    // ORS per case, in meeting order, computed here from the raw journal lines.
    let administrations = try independentAdministrations(store)
    var ors: [String: [(date: String, time: String, id: String, total: Double)]] = [:]
    var srsMeetings = Set<String>()
    var lastDates: [String: String] = [:]
    for record in administrations {
        let caseID = record["case"] as! String
        let date = record["date"] as! String
        let total = (record["scores"] as! [String: Double])["total"]!
        lastDates[caseID] = max(lastDates[caseID] ?? date, date)
        switch record["instrument"] as! String {
        case "ors":
            ors[caseID, default: []].append((date, record["time"] as! String, record["id"] as! String, total))
        case "srs": srsMeetings.insert(caseID + "|" + date)
        default: break
        }
    }
    var counts = ["recovered": 0, "improved": 0, "unchanged": 0, "deteriorated": 0]
    var intakes: [Double] = []
    var changes: [Double] = []
    for (_, series) in ors {
        let ordered = series.sorted { $0.date < $1.date }
        guard ordered.count >= 2 else { continue }
        let pre = ordered.first!.total
        let post = ordered.last!.total
        intakes.append(pre)
        changes.append(post - pre)
        // ORS: reliable change 5 points; cut-off 25 for adults (the simulation's citizens are 18+).
        if post - pre >= 5 {
            counts[pre < 25 && post > 25 ? "recovered" : "improved"]! += 1
        } else if post - pre <= -5 {
            counts["deteriorated"]! += 1
        } else {
            counts["unchanged"]! += 1
        }
    }
    let outcomes = try #require(report["outcomes"] as? [[String: Any]])
    let orsOutcome = try #require(outcomes.first { $0["instrument"] as? String == "ors" })
    #expect(orsOutcome["n"] as? Int == intakes.count)
    for (category, count) in counts { #expect(orsOutcome[category] as? Int == count, "\(category)") }
    let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
    let sd = { (values: [Double]) -> Double in
        let m = mean(values)
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
    }
    #expect(abs((orsOutcome["meanIntake"] as! Double) - mean(intakes)) < 0.0001)
    #expect(abs((orsOutcome["meanChange"] as! Double) - mean(changes)) < 0.0001)
    #expect(abs((orsOutcome["effectSize"] as! Double) - mean(changes) / sd(intakes)) < 0.0001)
    #expect(abs((orsOutcome["dz"] as! Double) - mean(changes) / sd(changes)) < 0.0001)

    // Fidelity: meetings with ORS, and those without SRS the same day.
    let meetings = Set(ors.flatMap { caseID, series in series.map { caseID + "|" + $0.date } })
    let fidelity = try #require(report["fidelity"] as? [String: Any])
    #expect(fidelity["meetings"] as? Int == meetings.count)
    #expect(fidelity["withoutAlliance"] as? Int == meetings.subtracting(srsMeetings).count)
    #expect((report["caseload"] as? [Any])?.count == ors.count)

    // Caseload: each case's last meeting and latest ORS, most open flags first, then the latest
    // measured, then by case.
    let caseload = try #require(report["caseload"] as? [[String: Any]])
    for row in caseload {
        let caseID = row["case"] as! String
        #expect(row["last"] as? String == lastDates[caseID], "\(caseID)")
        let series = ors[caseID]!.sorted { ($0.date, $0.time, $0.id) < ($1.date, $1.time, $1.id) }
        #expect((row["latest"] as? [String: Double])?["ors"] == series.last!.total, "\(caseID)")
    }
    let keys = caseload.map { ($0["openFlags"] as! Int, $0["last"] as! String, $0["case"] as! String) }
    for (a, b) in zip(keys, keys.dropFirst()) {
        #expect(a.0 > b.0 || (a.0 == b.0 && (a.1 > b.1 || (a.1 == b.1 && a.2 < b.2))), "\(a) before \(b)")
    }

    // Monthly trend: the mean of every ORS total given that month; the cases measured; and of
    // those whose intake was in an earlier month, the share whose latest score that month is
    // reliably (5 points) above their intake.
    var months: [String: (sum: Double, count: Int, cases: Int, comparable: Int, improved: Int)] = [:]
    for (_, unordered) in ors {
        let series = unordered.sorted { ($0.date, $0.time, $0.id) < ($1.date, $1.time, $1.id) }
        let intake = series.first!
        for month in Set(series.map { String($0.date.prefix(7)) }) {
            let inMonth = series.filter { $0.date.hasPrefix(month) }
            var tally = months[month] ?? (0, 0, 0, 0, 0)
            tally.sum += inMonth.reduce(0) { $0 + $1.total }
            tally.count += inMonth.count
            tally.cases += 1
            if month > String(intake.date.prefix(7)) {
                tally.comparable += 1
                if inMonth.last!.total - intake.total >= 5 { tally.improved += 1 }
            }
            months[month] = tally
        }
    }
    let trend = try #require(report["trend"] as? [[String: Any]])
    #expect(trend.map { $0["month"] as! String } == months.keys.sorted())
    for point in trend {
        let month = months[point["month"] as! String]!
        #expect(point["cases"] as? Int == month.cases)
        #expect(abs((point["meanOutcome"] as! Double) - month.sum / Double(month.count)) < 0.0001)
        if month.comparable == 0 {
            #expect(point["improvedShare"] is NSNull)
        } else {
            let share = Double(month.improved) / Double(month.comparable)
            #expect(abs((point["improvedShare"] as! Double) - share) < 0.0001, "\(point)")
        }
    }
}

@Test func smallGroupsAreSuppressed() throws {
    let store = try temporaryFolder()
    let variables = ["PEJLING_STORE": store]
    for (caseID, answers) in [("K-1", ["3,3,3,3", "6,6,6,6"]), ("K-2", ["4,4,4,4", "4,4,4,5"])] {
        for (index, list) in answers.enumerated() {
            _ = run(
                ["ask", "ors", "--case", caseID, "--date", "2026-02-0\(index + 1)", "--answers", list],
                variables: variables)
        }
    }
    let text = run(["team"], variables: variables)
    #expect(text.output.contains("ORS: n = <5"))
    #expect(!text.output.contains("improved 1"))
    let shown = run(["team", "--show-small"], variables: variables)
    // 12 → 24 is a reliable improvement that stays below the cut-off 25: improved, not recovered.
    #expect(shown.output.contains("ORS: n = 2; recovered 0 (0%), improved 1 (50%), unchanged 1 (50%)"))
    let json = run(["team", "--format", "json"], variables: variables)
    #expect(json.output.contains(#""n": "<5""#))
    let csv = run(["team", "--format", "csv-da", "--table", "outcomes"], variables: variables)
    #expect(csv.output.hasPrefix("instrument;n;recovered"))
    #expect(csv.output.contains("ors;<5;<5"))
}

@Test func theSameSeedGivesTheSameStore() throws {
    func journals(_ seed: String) throws -> [String: Data] {
        let store = try temporaryFolder()
        _ = run(["simulate", "--cases", "12", "--seed", seed], variables: ["PEJLING_STORE": store])
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: store + "/journals") {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: store + "/journals/" + name))
        }
        return files
    }
    let first = try journals("5")
    #expect(!first.isEmpty)
    #expect(try journals("5") == first)
    #expect(try journals("6") != first)
}

@Test func theDemoRunsWithNoSetUpAndNoPrompts() throws {
    let folder = try temporaryFolder()
    let result = run(["demo", "--seed", "3"], input: [], interactive: false, variables: ["TMPDIR": folder])
    #expect(result.status == .success, "\(result.errors)")
    // The demo's store goes to the temporary folder of the command's environment.
    #expect(result.output.contains(folder + "/pejling-demo-"))
    for words in [
        "1. One citizen's course.", "2. The flags on this case", "3. The team's review", "Explore further:",
        "chart --case K-",
    ] {
        #expect(result.output.contains(words), "missing: \(words)")
    }
}

/// What a command asks to keep until exit is freed as usual unless the process ends right after.
@Test func aContextKeepsFiguresOnlyWhenTheProcessExitsAfterTheCommand() throws {
    final class Figures {}
    weak var freed: Figures?
    weak var kept: Figures?
    for exits in [false, true] {
        let context = try Context(
            environment: CommandEnvironment(variables: [:], exitsAfterRun: exits),
            console: ScriptedConsole(input: []), globals: ParsedArguments())
        let figures = Figures()
        if exits { kept = figures } else { freed = figures }
        context.keepUntilExit(figures)
        context.abandon()
    }
    #expect(freed == nil)
    #expect(kept != nil)
}
