import Foundation
import Storage
import Testing

@testable import Commands

func storeVariables() throws -> [String: String] {
    ["PEJLING_STORE": try temporaryFolder("store")]
}

func records(_ variables: [String: String]) throws -> [Record] {
    try Store(directory: variables["PEJLING_STORE"]!, writer: "reader").read().records
}

func administration(_ record: Record) -> AdministrationRecord? {
    if case .administration(let content) = record.body { return content }
    return nil
}

@Test func answersGivenInteractivelyPipedOrAsAListStoreTheSameRecord() throws {
    let variables = try storeVariables()
    let interactive = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01"], input: ["4.2", "5", "3,8", "6.1", "", ""],
        variables: variables)
    #expect(interactive.status == .success, "\(interactive.errors)")
    let piped = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01"], input: ["4.2", "5", "3,8", "6.1"],
        interactive: false,
        variables: variables)
    #expect(piped.status == .success, "\(piped.errors)")
    let listed = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "4.2,5,3.8,6.1"],
        variables: variables)
    let danish = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "4,2;5;3,8;6,1"],
        variables: variables)
    #expect(listed.status == .success && danish.status == .success)
    let stored = try records(variables).compactMap(administration)
    #expect(stored.count == 4)
    #expect(Set(stored).count == 1, "the four ways of answering stored different records")
    #expect(stored[0].scores == ["total": 19.1])
    #expect(stored[0].date == "2026-03-01")
}

@Test func invalidAnswersSaveNothingAndSayWhy() throws {
    let variables = try storeVariables()
    let result = run(["ask", "ors", "--case", "K-1", "--answers", "11,5,abc,6"], variables: variables)
    #expect(result.status == .dataError)
    #expect(result.errors.contains("Answer 1 (Me): '11' is outside 0–10."))
    #expect(result.errors.contains("Answer 3 (Everyday life): 'abc' is not a number."))
    #expect(result.errors.contains("Nothing was saved."))
    #expect(!FileManager.default.fileExists(atPath: variables["PEJLING_STORE"]! + "/journals"))
}

@Test func endOfInputMidSessionSavesNothing() throws {
    let variables = try storeVariables()
    let result = run(["ask", "srs", "--case", "K-1"], input: ["9", "8"], variables: variables)
    #expect(result.status == .failure)
    #expect(result.errors.contains("Nothing was saved."))
    #expect(!FileManager.default.fileExists(atPath: variables["PEJLING_STORE"]! + "/journals"))
}

@Test func aCPRNumberIsRefusedAsCaseID() throws {
    let variables = try storeVariables()
    let result = run(["ask", "ors", "--case", "0101901234", "--answers", "1,2,3,4"], variables: variables)
    #expect(result.status == .usage)
    #expect(result.errors.contains("looks like a CPR number"))
}

@Test func aFutureDateIsRefused() throws {
    let result = run(
        ["ask", "ors", "--case", "K-1", "--date", "2027-01-01", "--answers", "1,2,3,4"],
        variables: try storeVariables())
    #expect(result.status == .usage)
    #expect(result.errors.contains("is in the future"))
}

@Test func theResultScreenShowsChangeReliabilityAndFlags() throws {
    // A wide screen, so each sentence stands on one line.
    let variables = try storeVariables().merging(["COLUMNS": "200"]) { $1 }
    for (date, answers) in [("2026-02-01", "4,4,4,4"), ("2026-02-08", "4,4,4,5")] {
        _ = run(["ask", "ors", "--case", "K-1", "--date", date, "--answers", answers], variables: variables)
        _ = run(
            ["ask", "srs", "--case", "K-1", "--date", date, "--answers", "9,9,9,9"], variables: variables)
    }
    let third = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-02-15", "--answers", "4,4,4.5,5"],
        variables: variables)
    #expect(third.output.contains("Saved: ORS for K-1, 2026-02-15 (measurement 3)."))
    #expect(third.output.contains("Total: 17.5 of 40, below the clinical cut-off of 25."))
    #expect(
        third.output.contains(
            "Since last time (2026-02-08: 17): +0.5, not a reliable change (5 points needed)."))
    #expect(
        third.output.contains(
            "Since the first measurement (2026-02-01: 16): +1.5, not a reliable change (5 points needed)."))
    #expect(third.output.contains("Flag: No reliable improvement on ORS after 3 measurements."))
    let json = run(
        ["ask", "srs", "--case", "K-1", "--date", "2026-02-15", "--answers", "8,8,9,9", "--format", "json"],
        variables: variables)
    let document = try #require(
        try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    let record = try #require(document["record"] as? [String: Any])
    #expect((record["scores"] as? [String: Double])?["total"] == 34)
    let flags = try #require(document["flags"] as? [[String: Any]])
    // The meeting's flags: the SRS drop and low SRS, and the ORS not on track at the third meeting.
    #expect(
        flags.map { $0["rule"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == [
            "drop", "notOnTrack", "worseThan",
        ])
}

@Test func aCitizenSeesOnlyTheirOwnData() throws {
    let variables = try storeVariables()
    for caseID in ["K-OTHER-1", "K-OTHER-2"] {
        _ = run(
            [
                "ask", "ors", "--case", caseID, "--date", "2026-03-01", "--answers", "1.1,1.2,1.3,1.4",
                "--comment", "SECRET-\(caseID)",
            ], variables: variables)
    }
    _ = run(
        ["ask", "ors", "--case", "K-ME", "--date", "2026-03-01", "--answers", "5,5,5,5"], variables: variables
    )
    let result = run(
        ["ask", "ors", "--case", "K-ME", "--respondent", "citizen"],
        input: ["6", "6", "6", "6", "I feel better", ""],
        variables: variables)
    #expect(result.status == .success)
    #expect(result.output.contains("Thank you! Your answers are saved."))
    #expect(result.output.contains("Your scores over time: 20 → 24"))
    for secret in ["K-OTHER", "SECRET", "1.1", "5.0"] {
        #expect(!result.transcript.contains(secret), "a citizen saw \(secret)")
    }
}

@Test func goalsCanBeSetWithoutPromptsAndRatedLater() throws {
    let variables = try storeVariables()
    let first = run(
        [
            "ask", "gbo", "--case", "K-1", "--date", "2026-03-01", "--goal", "Sleep through the night",
            "--goal", "Cook twice a week",
            "--answers", "2,5",
        ], variables: variables)
    #expect(first.status == .success, "\(first.errors)")
    let second = run(["ask", "gbo", "--case", "K-1", "--answers", "4,5"], variables: variables)
    #expect(second.status == .success, "\(second.errors)")
    #expect(second.output.contains("Sleep through the night: 2 → 4"))
    let again = run(["ask", "gbo", "--case", "K-1", "--goal", "New", "--answers", "1"], variables: variables)
    #expect(again.status == .usage)
    #expect(again.errors.contains("already has goals"))
    let none = run(["ask", "gbo", "--case", "K-2", "--answers", "1"], variables: variables)
    #expect(none.status == .dataError)
}

@Test func decideClosesAFlagAndFlagsListsIt() throws {
    let variables = try storeVariables()
    _ = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "5,5,5,5"], variables: variables)
    let open = run(["flags", "--format", "json"], variables: variables)
    let document = try #require(
        try JSONSerialization.jsonObject(with: Data(open.output.utf8)) as? [String: Any])
    let flags = try #require(document["flags"] as? [[String: Any]])
    let missing = try #require(flags.first { $0["rule"] as? String == "companionMissing" })
    let id = try #require(missing["id"] as? String)
    let decided = run(
        [
            "decide", "--case", "K-1", "--flag", id, "--outcome", "adjust", "--note",
            "SRS at the end from now on",
        ], variables: variables)
    #expect(decided.status == .success, "\(decided.errors)")
    #expect(decided.output.contains("Decision saved: E2"))
    #expect(!run(["flags"], variables: variables).output.contains(id))
    #expect(run(["flags", "--all"], variables: variables).output.contains("decided: E2"))
    let twice = run(["decide", "--case", "K-1", "--flag", id, "--outcome", "adjust"], variables: variables)
    // A flag already decided, or one the case does not have, is bad data (65), not a wrong command line.
    #expect(twice.status == .dataError)
    #expect(twice.errors.contains("was already decided (E2 adjust)"))
    let unknown = run(["decide", "--case", "K-1", "--flag", "F0", "--outcome", "end"], variables: variables)
    #expect(unknown.status == .dataError)
    #expect(unknown.errors.contains("has no flag F0"))
}

@Test func eraseNeedsYesAndLeavesNoAnswers() throws {
    let variables = try storeVariables()
    _ = run(
        ["ask", "ors", "--case", "K-1", "--answers", "5,5,5,5", "--comment", "PRIVATE-WORDS"],
        variables: variables)
    #expect(run(["erase", "--case", "K-1"], variables: variables).status == .usage)
    let erased = run(["erase", "--case", "K-1", "--yes"], variables: variables)
    #expect(erased.status == .success)
    #expect(erased.output.contains("Erased: 1 record about K-1 from 1 file."))
    let exported = run(["export", "--format", "jsonl"], variables: variables)
    #expect(!exported.output.contains("PRIVATE-WORDS"))
    #expect(exported.output.contains(#""kind":"erasure""#))
}

@Test func historyAndExportOfOneCaseAreAudited() throws {
    let variables = try storeVariables()
    _ = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "5,5,5,5", "--comment", "godt"],
        variables: variables)
    _ = run(
        ["ask", "ors", "--case", "K-2", "--date", "2026-03-01", "--answers", "1,1,1,1"], variables: variables)
    let history = run(["history", "--case", "K-1", "--format", "csv"], variables: variables)
    #expect(
        history.output
            == "date,instrument,total,parts,worker,respondent,comment\r\n2026-03-01,ors,20,,tester,citizen,godt\r\n"
    )
    let export = run(["export", "--case", "K-1", "--format", "jsonl"], variables: variables)
    #expect(export.output.split(separator: "\n").count == 1)
    #expect(!export.output.contains("K-2"))
    let audit = try String(
        contentsOfFile: variables["PEJLING_STORE"]! + "/audit/tester@testhost.jsonl", encoding: .utf8)
    #expect(audit.contains(#""command":"history","case":"K-1""#))
    #expect(audit.contains(#""command":"export jsonl","case":"K-1""#))
    #expect(!audit.contains("godt"))
}

@Test func checkReportsAndRepairs() throws {
    let variables = try storeVariables()
    _ = run(["ask", "ors", "--case", "K-1", "--answers", "5,5,5,5"], variables: variables)
    let journal = variables["PEJLING_STORE"]! + "/journals/other@host.jsonl"
    try "not a record\n".write(toFile: journal, atomically: true, encoding: .utf8)
    let check = run(["check"], variables: variables)
    #expect(check.status == .dataError)
    #expect(check.output.contains("other@host.jsonl:1: not a record"))
    let repair = run(["check", "--repair"], variables: variables)
    #expect(repair.status == .success)
    #expect(repair.output.contains("Moved to quarantine: "))
}

@Test func aMistakeIsCorrectedOrWithdrawnAndTheJournalKeepsBoth() throws {
    let variables = try storeVariables()
    _ = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-01", "--answers", "1,1,1,1"], variables: variables)
    _ = run(
        ["ask", "ors", "--case", "K-1", "--date", "2026-03-08", "--answers", "2,2,2,2"], variables: variables)
    let history = run(["history", "--case", "K-1", "--format", "json"], variables: variables)
    let rows = try #require(
        try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [[String: Any]])
    let first = try #require(rows.first?["id"] as? String)
    let second = try #require(rows.last?["id"] as? String)

    let corrected = run(
        ["ask", "ors", "--case", "K-1", "--corrects", String(first.prefix(8)), "--answers", "3,3,3,3"],
        variables: variables)
    #expect(corrected.status == .success, "\(corrected.errors)")
    let withdrawn = run(
        ["withdraw", "--case", "K-1", "--record", String(second.prefix(8)), "--reason", "wrong citizen"],
        variables: variables)
    #expect(withdrawn.status == .success, "\(withdrawn.errors)")
    #expect(withdrawn.output.contains("Withdrawn: ORS 2026-03-08"))

    let after = run(["history", "--case", "K-1", "--format", "csv"], variables: variables)
    #expect(
        after.output
            == "date,instrument,total,parts,worker,respondent,comment\r\n2026-03-01,ors,12,,tester,citizen,\r\n"
    )
    // Nothing is lost: the journal still holds both originals, the correction and the withdrawal.
    let kinds = try records(variables).map(\.body.kind)
    #expect(kinds.sorted() == ["administration", "administration", "correction", "withdrawal"])
    let unknown = run(["withdraw", "--case", "K-1", "--record", "ffffffff"], variables: variables)
    #expect(unknown.status == .usage)
    #expect(unknown.errors.contains("No administration of the case has an id starting with 'ffffffff'."))
}

@Test func aSecondMeasurementTheSameDayIsAnnouncedBeforeTheFirstQuestion() throws {
    let variables = try storeVariables()
    #expect(
        run(["ask", "ors", "--case", "K-1", "--answers", "5,5,5,5"], variables: variables).status == .success)
    let second = run(
        ["ask", "ors", "--case", "K-1"], input: ["6", "6", "6", "6", "", ""], variables: variables)
    #expect(second.status == .success, "\(second.errors)")
    let note = try #require(second.output.range(of: "already has ORS on 2026-03-14"))
    let question = try #require(second.output.range(of: "1/4"))
    #expect(note.lowerBound < question.lowerBound)
    // A script gets the note on standard error, its output the result alone.
    let scripted = run(["ask", "ors", "--case", "K-1", "--answers", "7,7,7,7"], variables: variables)
    #expect(scripted.errors.contains("already has ORS on 2026-03-14"))
    #expect(!scripted.output.contains("already has"))
}

@Test func theCitizensOwnChartEndsWithALineBreak() throws {
    let variables = try storeVariables()
    for (date, answers) in [("2026-03-01", "4,4,4,4"), ("2026-03-08", "6,6,6,6")] {
        let result = run(
            ["ask", "ors", "--case", "K-1", "--respondent", "citizen", "--date", date, "--answers", answers],
            variables: variables)
        #expect(result.status == .success, "\(result.errors)")
        #expect(result.output.hasSuffix("\n"))
    }
}

/// Makes the store's audit folder a plain file, so no audit line can be written (even by root).
private func breakAudit(_ variables: [String: String]) throws {
    let audit = variables["PEJLING_STORE"]! + "/audit"
    try? FileManager.default.removeItem(atPath: audit)
    #expect(FileManager.default.createFile(atPath: audit, contents: Data()))
}

@Test func answersSavedWhenOnlyTheAuditLineFailsAreSaidToBeSavedOnce() throws {
    let variables = try storeVariables()
    #expect(
        run(["ask", "ors", "--case", "K-1", "--answers", "1,2,3,4"], variables: variables).status == .success)
    try breakAudit(variables)
    let result = run(["ask", "ors", "--case", "K-1", "--answers", "5,5,5,5"], variables: variables)
    #expect(result.status == .failure)
    let saved = try records(variables).filter { administration($0)?.answers["individually"] == .number(5) }
    #expect(saved.count == 1)
    #expect(
        result.errors.contains("The answers were saved (record \(saved.first?.id ?? "?"))."),
        "\(result.errors)")
    #expect(result.errors.contains("Do not run the command again"))
    #expect(result.errors.contains("/audit"))
    #expect(!result.errors.contains("Nothing was saved"))
}

@Test func withdrawalAndErasureSavedWhenOnlyTheAuditLineFailsSaySo() throws {
    let variables = try storeVariables()
    #expect(
        run(["ask", "ors", "--case", "K-1", "--answers", "1,2,3,4"], variables: variables).status == .success)
    #expect(
        run(["ask", "ors", "--case", "K-2", "--answers", "1,2,3,4"], variables: variables).status == .success)
    let target = try records(variables).first { $0.caseID == "K-1" }!.id
    try breakAudit(variables)
    let withdrawn = run(["withdraw", "--case", "K-1", "--record", target], variables: variables)
    #expect(withdrawn.status == .failure)
    #expect(withdrawn.errors.contains("The withdrawal was saved (record "), "\(withdrawn.errors)")
    #expect(try records(variables).filter { $0.body == .withdrawal(target: target, reason: nil) }.count == 1)
    let erased = run(["erase", "--case", "K-2", "--yes"], variables: variables)
    #expect(erased.status == .failure)
    #expect(erased.errors.contains("The case K-2 was erased."), "\(erased.errors)")
    #expect(try records(variables).allSatisfy { $0.caseID != "K-2" || $0.body == .erasure })
}

@Test func askRefusesASymlinkedJournalAndCheckReportsIt() throws {
    let variables = try storeVariables()
    #expect(
        run(["ask", "ors", "--case", "K-1", "--answers", "1,2,3,4"], variables: variables).status == .success)
    let journal = variables["PEJLING_STORE"]! + "/journals/tester@testhost.jsonl"
    let target = try temporaryFolder() + "/out.jsonl"
    try FileManager.default.moveItem(atPath: journal, toPath: target)
    try FileManager.default.createSymbolicLink(atPath: journal, withDestinationPath: target)
    let before = try Data(contentsOf: URL(fileURLWithPath: target))
    let asked = run(["ask", "ors", "--case", "K-1", "--answers", "5,5,5,5"], variables: variables)
    #expect(asked.status == .failure)
    #expect(asked.errors.contains("\(journal) is a symbolic link"), "\(asked.errors)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == before)
    let checked = run(["check", "--repair"], variables: variables)
    #expect(checked.status == .dataError)
    #expect(checked.output.contains("\(journal) is a symbolic link"), "\(checked.output)")
}

@Test(arguments: [40, 90])
func theSessionIsBrokenBetweenWordsAtTheScreensWidth(width: Int) throws {
    let variables = try storeVariables().merging(["COLUMNS": String(width)]) { $1 }
    let result = run(
        ["ask", "ors", "--case", "K-1", "--lang", "da"], input: ["1", "2", "3", "4", "", ""],
        variables: variables)
    #expect(result.status == .success, "\(result.errors)")
    let lines = result.transcript.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { $0.count <= width }, "\(lines.filter { $0.count > width })")
    // Every word of the introduction is still there, none cut in two.
    let words = { (text: Substring) in text.split { $0 == " " || $0 == "\n" } }
    let introduction = "Skriv svaret og tryk Enter. ? giver hjælp, < går tilbage."
    let joined = words(result.transcript[...]).joined(separator: " ")
    #expect(joined.contains(introduction))
}
