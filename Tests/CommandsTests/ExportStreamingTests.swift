import Foundation
import InstrumentModel
import Interchange
import Progression
import Storage
import Support
import Testing

@testable import Commands

/// A simulated store with everything the record rules act on: goals set, reworded and retired and
/// rated in between, a correction (and one naming another case, which changes nothing), a
/// withdrawal, decisions (the simulator's), an erasure and a synced copy of a journal.
private func mixedExportStore() throws -> String {
    let store = try temporaryFolder()
    let variables = ["PEJLING_STORE": store]
    #expect(
        run(["simulate", "--store", store, "--cases", "40", "--months", "12", "--seed", "3"]).status
            == .success)
    // The clock of `run` moves a second a run; the records below are written well after.
    func ask(_ arguments: [String], later: Bool = false) {
        let result = run(
            ["ask"] + arguments + ["--worker", "w9"], variables: variables,
            now: fixedNow.addingTimeInterval(later ? 200_000 : 0))
        #expect(result.status == .success, "\(result.errors)")
    }
    ask([
        "gbo", "--case", "G-1", "--date", "2026-01-05", "--goal", "Sove", "--goal", "Gå ud", "--answers",
        "3,4",
    ])
    ask(["ors", "--case", "G-1", "--date", "2026-01-05", "--answers", "3,3,3,3"])
    let written = Store(directory: store, writer: "anna@laptop", now: { fixedNow.addingTimeInterval(100) })
    let records = try written.read().records
    let ors = records.first { record in
        guard record.caseID == "G-1", case .administration(let content) = record.body else { return false }
        return content.instrument == "ors"
    }!
    let other = records.first { $0.caseID != "G-1" && $0.caseID != "K-00004" }!
    guard case .administration(let content) = ors.body else { return store }
    var corrected = content
    corrected.scores["total"] = 2
    corrected.answers = corrected.answers.mapValues { _ in .number(0.5) }
    func record(_ id: String, _ caseID: String, _ seconds: Double, _ body: RecordBody) -> Record {
        Record(
            id: id, writer: "anna@laptop", time: fixedNow.addingTimeInterval(100_000 + seconds),
            caseID: caseID,
            body: body)
    }
    try written.append(records: [
        record(
            "x-reword", "G-1", 200,
            .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .reword, text: "Sove hele natten"))),
        record("x-correct", "G-1", 201, .correction(target: ors.id, replacement: corrected)),
        // A correction written in another case changes nothing.
        record("x-stray", other.caseID, 202, .correction(target: ors.id, replacement: content)),
        record("x-withdraw", other.caseID, 203, .withdrawal(target: other.id, reason: "wrong case")),
        record(
            "x-retire", "G-1", 204,
            .goal(GoalRecord(instrument: "gbo", goal: "g2", action: .retire, text: nil))),
    ])
    ask(["gbo", "--case", "G-1", "--date", "2026-02-05", "--answers", "5"], later: true)
    #expect(run(["erase", "--case", "K-00004", "--yes"], variables: variables).status == .success)
    let journals = store + "/journals"
    let first = try FileManager.default.contentsOfDirectory(atPath: journals).sorted().first!
    try FileManager.default.copyItem(
        atPath: journals + "/" + first, toPath: journals + "/synced-copy@laptop.jsonl")
    return store
}

/// The administrations of a store as the export reads them, held whole.
private func administrations(_ records: [Record]) -> [StoredAdministration] {
    let index = CaseIndex(records: records)
    return Array(
        StoredAdministration.current(records) { index.goalWording(caseID: $0, goal: $1, at: $2) })
}

@Test func everyStreamedExportIsTheWholeDocumentRenderingOfTheSameStore() throws {
    let store = try mixedExportStore()
    let variables = ["PEJLING_STORE": store]
    let records = try Store(directory: store, writer: "reader@host").read().records
    let current = administrations(records)
    #expect(current.contains { $0.goalTexts["g1"] == "Sove hele natten" })
    #expect(current.contains { $0.content.scores["total"] == 2 && $0.caseID == "G-1" })
    let catalogue = try InstrumentCatalogue.load(organisationDirectory: nil)
    let expected = [
        "csv": CSVWriter(dialect: .standard).render(
            AdministrationTable.rows(current, catalogue: catalogue, decimalComma: false)),
        "csv-da": "\u{FEFF}"
            + CSVWriter(dialect: .danish).render(
                AdministrationTable.rows(current, catalogue: catalogue, decimalComma: true)),
        "fhir": ResponseExport.bundle(current, catalogue: catalogue, language: .en).rendered() + "\n",
        "jsonl": records.map { $0.encodedLine() + "\n" }.joined(),
    ]
    let folder = try temporaryFolder()
    for (format, document) in expected {
        // Larger than the writer's buffer, so the stream is written in several parts.
        #expect(document.utf8.count > 1 << 17, "\(format)")
        let streamed = run(["--lang", "en", "export", "--format", format], variables: variables)
        #expect(streamed.status == .success, "\(streamed.errors)")
        #expect(streamed.output == document, "\(format)")
        let file = folder + "/export." + format
        #expect(
            run(["--lang", "en", "export", "--format", format, "--out", file], variables: variables).status
                == .success)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(document.utf8), "\(format)")
    }
    // One case: the same rules over that case's records alone.
    let caseRecords = records.filter { $0.caseID == "G-1" }
    let oneCase = run(["--lang", "en", "export", "--case", "G-1", "--format", "fhir"], variables: variables)
    #expect(
        oneCase.output
            == ResponseExport.bundle(administrations(caseRecords), catalogue: catalogue, language: .en)
            .rendered()
            + "\n")
}

/// The goal wording an export wrote before it read through the read model: every wording written
/// with a text (a rewording of a goal never set too), the one in force when rated, else the first.
private func earlierGoalTexts(_ records: [Record]) -> [String: [String: String]] {
    var wordings: [String: [String: [(text: String, time: Date)]]] = [:]
    var texts: [String: [String: String]] = [:]
    for record in records {
        if case .goal(let goal) = record.body, let text = goal.text, goal.action != .retire {
            wordings[record.caseID, default: [:]][goal.goal, default: []].append((text, record.time))
        }
    }
    for record in records {
        guard case .administration(let content) = record.body, let goals = wordings[record.caseID] else {
            continue
        }
        for goal in content.answers.keys {
            guard let list = goals[goal] else { continue }
            texts[record.id, default: [:]][goal] = (list.last { $0.time <= record.time } ?? list[0]).text
        }
    }
    return texts
}

@Test func goalWordingsAreThoseExportsWroteBeforeForGoalsSetRewordedAndRetired() throws {
    let store = try mixedExportStore()
    let records = try Store(directory: store, writer: "reader@host").read().records
    let earlier = earlierGoalTexts(records)
    let current = administrations(records)
    #expect(current.filter { $0.caseID == "G-1" && !$0.goalTexts.isEmpty }.count == 2)
    for administration in current {
        #expect(administration.goalTexts == (earlier[administration.id] ?? [:]), "\(administration.id)")
    }
}

@Test func aRewordingOfAGoalNeverSetIsNoWordingInAnExport() throws {
    // The one change from exports before the read model: such a rewording gave the goal a text;
    // the read model ignores it, so the goal is named by its id, as in every other command.
    let time = fixedNow
    let rating = AdministrationRecord(
        instrument: "gbo", instrumentVersion: "1", worker: nil, respondent: "citizen", date: "2026-03-01",
        answers: ["g1": .number(4), "g2": .number(5)], scores: [:])
    let records = [
        Record(
            id: "s", writer: "w", time: time, caseID: "K-1",
            body: .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Sove"))),
        Record(
            id: "r", writer: "w", time: time + 1, caseID: "K-1",
            body: .goal(GoalRecord(instrument: "gbo", goal: "g2", action: .reword, text: "Spise"))),
        Record(id: "a", writer: "w", time: time + 2, caseID: "K-1", body: .administration(rating)),
    ]
    #expect(earlierGoalTexts(records)["a"] == ["g1": "Sove", "g2": "Spise"])
    #expect(administrations(records).map(\.goalTexts) == [["g1": "Sove"]])
}

@Test func anExportThatFailsMidwayLeavesTheOldFileAndNoTemporary() throws {
    let folder = try temporaryFolder()
    let path = folder + "/export.csv"
    try FileOutput.write("old\n", to: path)
    let context = try useCaseContext(folder)
    var written = 0
    #expect(throws: CommandError.self) {
        try context.emit(to: path, command: ["export"]) { writer throws(FileOutputError) in
            // Several buffers' worth reach the temporary file before the failure.
            for _ in 0..<20_000 {
                try writer.write("row,row,row,row,row,row,row,row,row,row\n")
                written += 1
            }
            throw .failed(path: path, reason: "No space left on device")
        }
    }
    #expect(written == 20_000)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["export.csv"])
}

@Test func standardOutputIsWrittenThroughTheSameBufferedWriterInWholeCharacters() throws {
    var parts: [String] = []
    let writer = FileWriter(sendingTo: { parts.append($0) })
    let row = "æøå,Gå ud,😀\n"
    for _ in 0..<10_000 { try writer.write(row) }
    try writer.flush()
    #expect(parts.count > 1)
    #expect(parts.allSatisfy { $0.utf8.count <= 1 << 16 })
    #expect(parts.joined() == String(repeating: row, count: 10_000))
}
