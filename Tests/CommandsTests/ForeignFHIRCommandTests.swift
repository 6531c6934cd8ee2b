import Foundation
import Storage
import Testing

@testable import Commands

/// The path of an Interchange fixture (public R4 examples; see its Fixtures/SOURCES.md).
func interchangeFixture(_ name: String) -> String {
    packageRoot.appendingPathComponent("Tests/InterchangeTests/Fixtures/\(name)").path
}

/// The two PHQ-9 forms: a contained ValueSet (SDC), and answerOption codings with a "difficulty"
/// item that has no ordinal values (LHC-Forms). Each with the answers typed at its prompts.
let phq9Forms: [(file: String, typed: [String])] = [
    ("sdc-phq-9-contained-valueset.json", ["0", "0", "0", "1", "2", "1", "3", "2", "1"]),
    ("lforms-phq-9-answer-options.json", ["0", "0", "0", "1", "2", "1", "3", "2", "1", "Very"]),
]

@Test(arguments: phq9Forms.indices)
func aPHQ9FromOthersImportsIsAskedAndScoresTen(form: Int) throws {
    let (file, typed) = phq9Forms[form]
    let variables = try storeVariables()
    let instruments = try temporaryFolder() + "/instrumenter"
    let imported = run(
        [
            "--instruments", instruments, "import", interchangeFixture(file), "--lower-is-better", "--id",
            "phq",
        ],
        variables: variables)
    #expect(imported.status == .success, "\(imported.errors)")
    #expect(imported.output.contains("Scored (the sum of 9 items)"))
    #expect(imported.output.contains("Direction: lower is better, as given."))
    if typed.count == 10 {
        #expect(
            imported.output.contains("Asked, not scored:\n  /69722-7 (its options have no ordinal values"))
    }

    let asked = run(
        ["--instruments", instruments, "ask", "phq", "--case", "K-9", "--date", "2026-03-01"],
        input: typed + ["", ""], variables: variables)
    #expect(asked.status == .success, "\(asked.errors)\n\(asked.transcript)")
    let saved = try #require(try records(variables).compactMap(administration).first)
    #expect(saved.instrument == "phq")
    #expect(saved.scores["total"] == 10)
    if typed.count == 10 {
        // "Very difficult", the third option: asked and stored, not added to the total.
        #expect(saved.answers["69722-7"] == .number(3))
        let shown = run(["--instruments", instruments, "instruments", "show", "phq"], variables: variables)
        #expect(shown.output.contains("4 = Extremely difficult; may be skipped; not scored"))
        #expect(saved.answers.count == 10)
    }
}

@Test func theSDCPHQ9ResponseImportsWithACaseStoresTenAndReportsTheStatedThirteen() throws {
    let variables = try storeVariables()
    let instruments = try temporaryFolder() + "/instrumenter"
    #expect(
        run(
            [
                "--instruments", instruments, "import",
                interchangeFixture("sdc-phq-9-contained-valueset.json"),
                "--lower-is-better",
            ], variables: variables
        ).status == .success)
    let response = interchangeFixture("sdc-phq-9-response-stated-13.json")
    let without = run(["--instruments", instruments, "import", response], variables: variables)
    #expect(without.status == .dataError)
    #expect(without.errors.contains("give --case ID"))

    let imported = run(
        ["--instruments", instruments, "import", response, "--case", "K-2"], variables: variables)
    #expect(imported.status == .success, "\(imported.errors)")
    #expect(imported.errors.contains("item H1/TS states the total 13, but the answers give 10"))
    let saved = try #require(try records(variables).compactMap(administration).first)
    #expect(saved.scores["total"] == 10)
    #expect(saved.date == "2019-08-21")
}

@Test func anUnsetDirectionRaisesNoFlagsAndNoCategoryUntilItIsGiven() throws {
    for direction in [nil, "--lower-is-better"] {
        let variables = try storeVariables()
        let instruments = try temporaryFolder() + "/instrumenter"
        let imported = run(
            [
                "--instruments", instruments, "import",
                interchangeFixture("sdc-phq-9-contained-valueset.json"), "--id", "phq",
            ]
                + (direction.map { [$0] } ?? []), variables: variables)
        #expect(imported.status == .success, "\(imported.errors)")
        let shown = run(["--instruments", instruments, "instruments", "show", "phq"], variables: variables)
        #expect(shown.output.contains("direction not set") == (direction == nil))
        if direction == nil {
            #expect(imported.output.contains("Direction: unset."))
            #expect(imported.output.contains(#""direction": "lowerIsBetter","#))
        }
        // The organisation adds a rule: a total of 15 or worse raises a flag.
        let file = instruments + "/phq.json"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(
            of: #""flags": []"#, with: #""flags": [{"rule": "worseThan", "value": 15}]"#
        )
        .write(toFile: file, atomically: true, encoding: .utf8)
        for (date, answers) in [("2026-03-01", "3,3,3,3,3,3,3,3,3"), ("2026-03-10", "0,0,0,0,0,0,0,0,0")] {
            let asked = run(
                [
                    "--instruments", instruments, "ask", "phq", "--case", "K-3", "--date", date, "--answers",
                    answers,
                ],
                variables: variables)
            #expect(asked.status == .success, "\(asked.errors)")
        }
        let flags = run(
            ["--instruments", instruments, "flags", "--case", "K-3", "--all", "--format", "json"],
            variables: variables)
        #expect(flags.status == .success, "\(flags.errors)")
        let outcomes = run(
            ["--instruments", instruments, "outcomes", "--format", "csv"], variables: variables)
        if direction == nil {
            #expect(!flags.output.contains("worseThan"))
            #expect(outcomes.output.contains(",undetermined"))
        } else {
            #expect(flags.output.contains("worseThan"))
            #expect(!outcomes.output.contains(",undetermined"))
        }
    }
}

@Test func integerOptionsRestrictWhatIsAsked() throws {
    let folder = try temporaryFolder()
    let file = folder + "/counts.json"
    try #"""
    {"resourceType": "Questionnaire", "id": "counts", "status": "draft", "item": [
      {"linkId": "n", "type": "integer", "text": "Pick one", "required": true,
       "answerOption": [{"valueInteger": 12}, {"valueInteger": 34}, {"valueInteger": 56}]}]}
    """#.write(toFile: file, atomically: true, encoding: .utf8)
    let variables = try storeVariables()
    #expect(run(["--instruments", folder + "/i", "import", file], variables: variables).status == .success)
    let asked = run(
        ["--instruments", folder + "/i", "ask", "counts", "--case", "K-1", "--date", "2026-03-01"],
        input: ["13", "34", "", ""], variables: variables)
    #expect(asked.status == .success, "\(asked.errors)")
    #expect(asked.transcript.contains("12"))
    let saved = try #require(try records(variables).compactMap(administration).first)
    #expect(saved.answers["n"] == .number(34))
}

@Test func importNamesAnEmptyFileAFolderAndAMissingFileWithTheFix() throws {
    let folder = try temporaryFolder()
    let empty = run(["import", "/dev/null"])
    #expect(empty.status == .dataError)
    #expect(empty.errors.contains("/dev/null is empty: there is nothing to import"))
    let directory = run(["import", folder])
    #expect(directory.status == .usage)
    #expect(directory.errors.contains("\(folder) is a folder, not a file"))
    let missing = run(["import", folder + "/nothing.json"])
    #expect(missing.status == .failure)
    #expect(missing.errors.contains("There is no file \(folder)/nothing.json"))
    let array = folder + "/responses.json"
    try " [{\"resourceType\": \"QuestionnaireResponse\"}]".write(
        toFile: array, atomically: true, encoding: .utf8)
    let listed = run(["import", array])
    #expect(listed.status == .dataError)
    #expect(listed.errors.contains("\(array) is a JSON array"))
    #expect(listed.errors.contains("Put the responses in a Bundle"))
}

@Test func aQuestionnaireWithEveryDataTypeNeedsLossyAndListsTheRestByLinkId() throws {
    let instruments = try temporaryFolder()
    let fixture = interchangeFixture("sdc-all-data-types.json")
    let strict = run(["--instruments", instruments, "import", fixture])
    #expect(strict.status == .dataError)
    #expect(strict.errors.contains("id-attachment: type 'attachment'"))
    let lossy = run(["--instruments", instruments, "import", fixture, "--lossy"])
    #expect(lossy.status == .success, "\(lossy.errors)")
    #expect(lossy.errors.contains("Left out: id-date: type 'date'"))
    #expect(lossy.output.contains("Scored (the sum of 2 items): id-integer, id-decimal"))
}

@Test func aCaseMapFileGivesTheCaseOfEachSubject() throws {
    let variables = try storeVariables()
    let folder = try temporaryFolder()
    let instruments = folder + "/instrumenter"
    let fixture = interchangeFixture("sdc-phq-9-contained-valueset.json")
    #expect(run(["--instruments", instruments, "import", fixture], variables: variables).status == .success)
    let map = folder + "/cases.csv"
    try "subject,case\n# from the regional system\nhttp://hl7.org/fhir/Patient/proband,K-5\n".write(
        toFile: map, atomically: true, encoding: .utf8)
    let response = interchangeFixture("sdc-phq-9-response-stated-13.json")
    let imported = run(
        ["--instruments", instruments, "import", response, "--case-map", map], variables: variables)
    #expect(imported.status == .success, "\(imported.errors)")
    #expect(try records(variables).map(\.caseID) == ["K-5"])
    // --case belongs to responses: with a Questionnaire it is a usage error.
    let misplaced = run(
        ["--instruments", instruments, "import", fixture, "--case", "K-1"], variables: variables)
    #expect(misplaced.status == .usage)
    #expect(misplaced.errors.contains("--case applies to responses"))
}

@Test func anImportNeverWritesThroughALinkWhereTheInstrumentFileWouldGo() throws {
    let folder = try temporaryFolder()
    let file = folder + "/counts.json"
    try #"""
    {"resourceType": "Questionnaire", "id": "counts", "status": "draft", "item": [
      {"linkId": "n", "type": "integer", "text": "Pick one", "required": true}]}
    """#.write(toFile: file, atomically: true, encoding: .utf8)
    // A link to a file not made yet: following it would write outside the instrument folder.
    try FileManager.default.createDirectory(atPath: folder + "/i", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
        atPath: folder + "/i/counts.json", withDestinationPath: folder + "/elsewhere.json")
    let imported = run(["--instruments", folder + "/i", "import", file])
    #expect(imported.status != .success)
    #expect(imported.errors.contains("already exists, and import never replaces an instrument file"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/elsewhere.json"))
}
