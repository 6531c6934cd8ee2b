import Foundation
import InstrumentModel
import Interchange
import Progression
import Storage
import Support
import Testing

@testable import Commands

/// A store written line by line, so that every rule an export follows has something to act on:
/// copies of hexadecimal and text ids across journals that differ (in time, in content), a synced
/// copy of a whole journal, a journal whose lines are not in time order, corrections (of a
/// withdrawn administration, one written in another case, two of one administration), a
/// withdrawal written in another case than its target's, goals set and reworded, an erasure
/// that hides records written before it (also in another journal) but not those after, a
/// decision, and a line that is not a record.
private func storeForEveryRule() throws -> String {
    let store = try temporaryFolder()
    let journals = store + "/journals"
    try FileManager.default.createDirectory(atPath: journals, withIntermediateDirectories: true)
    func at(_ seconds: Double) -> Date { fixedNow.addingTimeInterval(-100_000 + seconds) }
    func content(_ instrument: String, _ answers: [String: Answer], total: Double?, comment: String? = nil)
        -> AdministrationRecord
    {
        AdministrationRecord(
            instrument: instrument, instrumentVersion: "1.0.0", worker: "w1", respondent: "citizen",
            date: "2026-03-01", answers: answers, scores: total.map { ["total": $0] } ?? [:],
            comment: comment,
            age: 40)
    }
    func ors(_ value: Double, comment: String? = nil) -> AdministrationRecord {
        content(
            "ors",
            [
                "individually": .number(value), "interpersonally": .number(value), "socially": .number(value),
                "overall": .number(value),
            ], total: value * 4, comment: comment)
    }
    func record(_ id: String, _ caseID: String, _ seconds: Double, _ body: RecordBody) -> String {
        Record(id: id, writer: "w", time: at(seconds), caseID: caseID, body: body).encodedLine() + "\n"
    }
    let (h1, h3, h4) = (
        "0123456789abcdef0123456789abcdef", "00000000000000000000000000000003",
        "f0000000000000000000000000000004"
    )
    let goalRating = content("gbo", ["g1": .number(3), "g2": .number(6)], total: nil)
    // Lines out of time order, as a clock set back or a session written late leaves them.
    var a = ""
    a += record(h1, "K-1", 100, .administration(ors(2, comment: "=first")))
    a += record("paper-1", "K-1", 50, .administration(ors(1, comment: "a \"quoted\", text")))
    a += record(
        "g-set", "G-1", 10, .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Sove")))
    a += record("g-rate-1", "G-1", 20, .administration(goalRating))
    a += record(
        "g-reword", "G-1", 30,
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .reword, text: "Sove godt")))
    a += record(
        "g-stray", "G-1", 31, .goal(GoalRecord(instrument: "gbo", goal: "g2", action: .reword, text: "Spise"))
    )
    a += record("g-rate-2", "G-1", 40, .administration(goalRating))
    a += record("withdraw-3", "K-2", 300, .withdrawal(target: h3, reason: "wrong"))
    a += record("correct-3", "K-2", 310, .correction(target: h3, replacement: ors(5)))
    a += record("correct-1-elsewhere", "K-2", 320, .correction(target: h1, replacement: ors(6)))
    a += record("correct-1", "K-1", 330, .correction(target: h1, replacement: ors(7)))
    a += record("correct-1-again", "K-1", 340, .correction(target: h1, replacement: ors(8)))
    a += "{this is not a record\n"
    a += record("erase-E", "K-E", 500, .erasure)
    var b = ""
    b += record(h3, "K-2", 200, .administration(ors(3)))
    // An earlier copy of h1 that differs: it is the one that counts.
    b += record(h1, "K-1", 90, .administration(ors(9, comment: "earlier copy")))
    // A copy of paper-1 at the same time that differs: the journal first by name counts.
    b += record("paper-1", "K-1", 50, .administration(ors(4)))
    b += record("e-before", "K-E", 400, .administration(ors(1)))
    b += record("e-after", "K-E", 600, .administration(ors(2)))
    b += record(h4, "K-4", 150, .administration(ors(2)))
    b += record("withdraw-4", "K-3", 700, .withdrawal(target: h4, reason: nil))
    b += record("k3", "K-3", 160, .administration(ors(3)))
    b += record(
        "decision-1", "K-1", 800,
        .decision(DecisionRecord(flag: "F1", outcome: "continue", note: "ok", worker: "w1")))
    try a.write(toFile: journals + "/a@one.jsonl", atomically: true, encoding: .utf8)
    try b.write(toFile: journals + "/b@two.jsonl", atomically: true, encoding: .utf8)
    // A stale synced copy of b, and the erased case's record again in a journal of its own.
    try b.write(toFile: journals + "/c@copy.jsonl", atomically: true, encoding: .utf8)
    try record("e-again", "K-E", 450, .administration(ors(3))).write(
        toFile: journals + "/d@late.jsonl", atomically: true, encoding: .utf8)
    for name in try FileManager.default.contentsOfDirectory(atPath: journals) {
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journals + "/" + name)
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: journals)
    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: store)
    return store
}

/// Every format's document as the full-record path makes it of `records` (what `read()` gives,
/// perhaps one case's): held whole and rendered at once.
private func fullRecordDocuments(_ records: [Record]) throws -> [String: String] {
    let index = CaseIndex(records: records)
    let current = Array(
        StoredAdministration.current(records) { index.goalWording(caseID: $0, goal: $1, at: $2) })
    let catalogue = try InstrumentCatalogue.load(organisationDirectory: nil)
    return [
        "csv": CSVWriter(dialect: .standard).render(
            AdministrationTable.rows(current, catalogue: catalogue, decimalComma: false)),
        "csv-da": "\u{FEFF}"
            + CSVWriter(dialect: .danish).render(
                AdministrationTable.rows(current, catalogue: catalogue, decimalComma: true)),
        "fhir": ResponseExport.bundle(current, catalogue: catalogue, language: .en).rendered() + "\n",
        "jsonl": records.map { $0.encodedLine() + "\n" }.joined(),
    ]
}

@Test func theStreamedExportIsTheFullRecordExportUnderEveryRecordRule() throws {
    let store = try storeForEveryRule()
    let variables = ["PEJLING_STORE": store]
    let records = try Store(directory: store, writer: "reader@host").read().records
    let ids = Set(records.map(\.id))
    // The rules had something to do: a copy left out, an erasure, a withdrawal, corrections.
    #expect(records.count == ids.count)
    #expect(!ids.contains("e-before") && !ids.contains("e-again") && ids.contains("e-after"))
    #expect(records.map(\.time) == records.map(\.time).sorted())
    let whole = try fullRecordDocuments(records)
    guard case .administration(let h1) = records.first(where: { $0.id.hasPrefix("0123") })?.body else {
        Issue.record("no administration 0123…")
        return
    }
    #expect(h1.comment == "earlier copy")
    #expect(whole["fhir"]!.contains("Sove godt") && whole["csv"]!.contains(",8,8,8,8,32\r\n"))
    // K-4's administration is withdrawn by a record written in K-3: gone from the whole store only.
    #expect(!whole["csv"]!.contains("K-4"))
    #expect(try fullRecordDocuments(records.filter { $0.caseID == "K-4" })["csv"]!.contains("K-4"))
    for format in ["csv", "csv-da", "jsonl", "fhir"] {
        let streamed = run(["--lang", "en", "export", "--format", format], variables: variables)
        #expect(streamed.status == .success, "\(streamed.errors)")
        #expect(streamed.output == whole[format], "\(format)")
        // The line that is not a record is reported, as a full read reports it.
        #expect(streamed.errors.contains("a@one.jsonl"), "\(streamed.errors)")
        let file = try temporaryFolder() + "/export." + format
        let written = run(
            ["--lang", "en", "export", "--format", format, "--out", file], variables: variables)
        #expect(written.status == .success)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(whole[format]!.utf8), "\(format)")
    }
    // One case: the rules over that case's records alone (K-4's withdrawal was written in K-3).
    for caseID in ["K-1", "K-2", "K-3", "K-4", "K-E", "G-1"] {
        let expected = try fullRecordDocuments(records.filter { $0.caseID == caseID })
        for format in ["csv", "jsonl", "fhir"] {
            let streamed = run(
                ["--lang", "en", "export", "--case", caseID, "--format", format], variables: variables)
            #expect(streamed.output == expected[format], "\(caseID) \(format)")
        }
    }
    #expect(
        run(["export", "--case", "K-9", "--format", "csv"], variables: variables).status == .failure)
}

/// Lines written by hand whose fields a table (and a FHIR bundle) reads from the lines themselves, each as the record
/// made of it says: escapes and unicode in texts and answers, numbers written long, a skipped
/// answer, keys the layout does not know, no total, parts, no worker or age, and keys out of
/// order or twice (whose records are made instead), each also standing for a correction.
@Test func aTableReadFromTheLinesIsTheTableOfTheirRecords() throws {
    let store = try temporaryFolder()
    let journals = store + "/journals"
    try FileManager.default.createDirectory(atPath: journals, withIntermediateDirectories: true)
    let answers = [
        #"{"individually":1,"interpersonally":2,"overall":3,"socially":4}"#,
        #"{"individually":1.50,"interpersonally":2e0,"overall":-0,"socially":0.30000000000000004}"#,
        #"{"individually":null,"interpersonally":"ikke \"nu\"\n","overall":"café ☕","socially":4}"#,
        #"{"extra":"=1+1","individually":1,"interpersonally":2,"overall":3,"socially":4}"#,
        #"{"interpersonally":2,"individually":1,"overall":3,"socially":4}"#,
        #"{"individually":1,"individually":9,"interpersonally":2,"overall":3,"socially":4}"#,
        #"{"caf\#u{e9}":1,"cafe\#u{301}":2}"#, #"{}"#,
    ]
    let scores = [#"{"total":10}"#, #"{"total":10.0,"part":2.5}"#, #"{}"#, #"{"part":1,"total":1e1}"#]
    let fields = [
        #""worker":"w1","respondent":"citizen","date":"2026-03-01","comment":"a\u0062c","age":40"#,
        #""worker":null,"respondent":"citizen","date":"2026-03-01T10:00:00+01:00""#,
        #""respondent":"rel\u00e6tive","date":"2026-03-01","comment":"-3,5; \"x\"","age":7.0"#,
    ]
    var lines = ""
    var number = 0
    for (index, answers) in answers.enumerated() {
        for (scoreIndex, scores) in scores.enumerated() {
            number += 1
            let instrument = index == 6 ? "custom" : (scoreIndex == 3 ? "srs" : "ors")
            let body =
                #""instrument":"\#(instrument)","instrumentVersion":"1.0.0",\#(fields[number % 3]),"#
                + #""answers":\#(answers),"scores":\#(scores)"#
            let id = String(format: "%032x", number)
            let time = String(format: "2026-03-01T10:%02d:%02dZ", number / 60, number % 60)
            lines +=
                #"{"id":"\#(id)","v":1,"kind":"administration","writer":"w","time":"\#(time)","#
                + #""case":"K-\#(number % 4)",\#(body)}"# + "\n"
            if number % 5 == 0 {
                // Corrected by the next administration's content.
                let next = (index + 1) % answers.count
                lines +=
                    #"{"id":"c\#(id)","v":1,"kind":"correction","writer":"w","time":"\#(time)","#
                    + #""case":"K-\#(number % 4)","target":"\#(id)","#
                    + #""instrument":"ors","instrumentVersion":"1.1.0","respondent":"citizen","#
                    + #""date":"2026-03-02","answers":\#(answers),"scores":{"total":\#(next)}}"# + "\n"
            }
        }
    }
    try lines.write(toFile: journals + "/a@one.jsonl", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journals + "/a@one.jsonl")
    let variables = ["PEJLING_STORE": store]
    let records = try Store(directory: store, writer: "reader@host").read()
    #expect(records.problems.isEmpty)
    #expect(records.records.count == number + number / 5)
    let whole = try fullRecordDocuments(records.records)
    #expect(whole["csv"]!.contains("ikke \"\"nu\"\"") && whole["csv"]!.contains("'=1+1"))
    // A FHIR bundle reads its entries from the lines too, with the instruments' items.
    for format in ["csv", "csv-da", "fhir"] {
        let streamed = run(["--lang", "en", "export", "--format", format], variables: variables)
        #expect(streamed.status == .success, "\(streamed.errors)")
        #expect(streamed.output == whole[format], "\(format)")
    }
}

/// Thousands of administrations whose answers and scores are thousands of different numbers (met
/// again and again, long and short, negative, whole and not): each written in the table as the
/// record made of its line says, however the numbers last met are remembered.
@Test func manyDifferentNumbersAreEachWrittenAsTheirRecordsSay() throws {
    let store = try temporaryFolder()
    let journals = store + "/journals"
    try FileManager.default.createDirectory(atPath: journals, withIntermediateDirectories: true)
    var lines = ""
    for number in 0..<3000 {
        let values = (0..<4).map { part -> String in
            switch (number + part) % 4 {
            case 0: return String(Double(number * 7 + part) / 8)
            case 1: return String(-(number % 613) - part)
            case 2: return String(Double((number * 31 + part) % 1000) / 1000)
            default: return String(Double(number % 257) * 1.1e-7)
            }
        }
        let id = String(format: "%032x", number + 1)
        let time = String(format: "2026-03-01T%02d:%02d:%02dZ", number / 3600, number / 60 % 60, number % 60)
        lines +=
            #"{"id":"\#(id)","v":1,"kind":"administration","writer":"w","time":"\#(time)","case":"K-\#(number % 9)","#
            + #""instrument":"ors","instrumentVersion":"1.0.0","respondent":"citizen","date":"2026-03-01","#
            + #""answers":{"individually":\#(values[0]),"interpersonally":\#(values[1]),"#
            + #""overall":\#(values[2]),"socially":\#(values[3])},"scores":{"total":\#(values[number % 4])}}"#
            + "\n"
    }
    try lines.write(toFile: journals + "/a@one.jsonl", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journals + "/a@one.jsonl")
    let records = try Store(directory: store, writer: "reader@host").read()
    #expect(records.problems.isEmpty && records.records.count == 3000)
    let whole = try fullRecordDocuments(records.records)
    for format in ["csv", "csv-da", "fhir"] {
        let streamed = run(
            ["--lang", "en", "export", "--format", format], variables: ["PEJLING_STORE": store])
        #expect(streamed.status == .success, "\(streamed.errors)")
        #expect(streamed.output == whole[format], "\(format)")
    }
}

/// A goal rating whose line names its goals out of their sorted order is made from its records
/// rather than read from its line; its bundle entry shows each goal's wording when rated all the
/// same, as one read from its line does.
@Test func aBundleShowsTheGoalWordingsOfARatingMadeFromItsRecords() throws {
    let store = try temporaryFolder()
    let journals = store + "/journals"
    try FileManager.default.createDirectory(atPath: journals, withIntermediateDirectories: true)
    func at(_ seconds: Double) -> Date { fixedNow.addingTimeInterval(-100_000 + seconds) }
    func goal(_ id: String, _ goal: String, _ action: GoalAction, _ text: String, _ seconds: Double) -> String
    {
        Record(
            id: id, writer: "w", time: at(seconds), caseID: "G-1",
            body: .goal(GoalRecord(instrument: "gbo", goal: goal, action: action, text: text))
        ).encodedLine() + "\n"
    }
    func rating(_ id: String, _ answers: String, _ seconds: Double) -> String {
        let time = TimeFormat.instant(at(seconds))
        return #"{"id":"\#(id)","v":1,"kind":"administration","writer":"w","time":"\#(time)","case":"G-1","#
            + #""instrument":"gbo","instrumentVersion":"1.0.0","worker":"w1","respondent":"citizen","#
            + #""date":"2026-03-01","answers":\#(answers),"scores":{}}"# + "\n"
    }
    var lines = goal("set-1", "g1", .set, "Sove", 10) + goal("set-2", "g2", .set, "Spise", 11)
    lines += rating("out-of-order", #"{"g2":6,"g1":3}"#, 20)
    lines += goal("reword-1", "g1", .reword, "Sove godt", 30)
    lines += rating("in-order", #"{"g1":4,"g2":7}"#, 40)
    try lines.write(toFile: journals + "/a@one.jsonl", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: journals + "/a@one.jsonl")
    let records = try Store(directory: store, writer: "reader@host").read()
    #expect(records.problems.isEmpty)
    let whole = try fullRecordDocuments(records.records)["fhir"]!
    // The first rating shows the first wording, the second the rewording.
    #expect(whole.contains("\"valueString\": \"Sove\"") && whole.contains("\"valueString\": \"Sove godt\""))
    #expect(whole.contains("\"valueString\": \"Spise\""))
    let streamed = run(["--lang", "en", "export", "--format", "fhir"], variables: ["PEJLING_STORE": store])
    #expect(streamed.status == .success, "\(streamed.errors)")
    #expect(streamed.output == whole)
}
