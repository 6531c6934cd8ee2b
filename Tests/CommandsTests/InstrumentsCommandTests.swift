import Foundation
import InstrumentModel
import Support
import Testing

@testable import Commands

@Test func listShowsTheSixInstrumentsInDanishAndEnglish() {
    let danish = run(["instruments", "list", "--lang", "da"])
    #expect(danish.status == .success)
    for id in ["ors", "srs", "cors", "csrs", "brief-inspire-o", "gbo"] { #expect(danish.output.contains(id)) }
    #expect(danish.output.contains("Mål med egne ord (GBO)"))
    #expect(danish.output.contains("start af møde"))
    let english = run(["--lang", "en", "instruments", "list"])
    #expect(english.output.contains("Goals in your own words (GBO)"))
    #expect(english.output.contains("start of meeting"))
    #expect(!english.output.contains("Mål med egne ord"))
}

@Test func theLanguageComesFromTheLocaleWhenNotGiven() {
    #expect(run(["instruments", "list"], variables: ["LANG": "da_DK.UTF-8"]).output.contains("HVORNÅR"))
    #expect(run(["instruments", "list"], variables: ["LANG": "C"]).output.contains("WHEN"))
    #expect(
        run(["instruments", "list"], variables: ["LANG": "en_GB.UTF-8", "LC_ALL": "da_DK.UTF-8"]).output
            .contains("HVORNÅR"))
}

@Test func listAsJSONIsOneDocument() throws {
    let result = run(["instruments", "list", "--format", "json"])
    let entries = try #require(
        try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    #expect(entries.map { $0["id"] as? String } == ["ors", "srs", "cors", "csrs", "brief-inspire-o", "gbo"])
    #expect(result.errors.isEmpty)
}

@Test func showPrintsItemsScoringCutoffsSourceAndLicence() {
    let result = run(["instruments", "show", "ors", "--lang", "en"])
    #expect(result.status == .success)
    for words in [
        "ITEMS", "Scale 0–10 in steps of 0.1", "Total: sum, 0–40; higher is better",
        "Clinical cut-off (ages 18+): 25",
        "Clinical cut-off (ages 13–17): 28", "Reliable change: 5 points", "Not on track", "[unverified]",
        "Rights holder: Scott D. Miller and Barry L. Duncan", "licence",
    ] {
        #expect(result.output.contains(words), "missing: \(words)")
    }
    let inspire = run(["instruments", "show", "brief-inspire-o", "--lang", "da"])
    #expect(inspire.output.contains("sum × 5"))
    #expect(inspire.output.contains("0 = Meget uenig"))
}

@Test func showAsJSONReadsBackAsAnInstrumentFile() throws {
    let folder = try temporaryFolder()
    let result = run(["instruments", "show", "gbo", "--format", "json"])
    let path = folder + "/gbo-copy.json"
    try result.output.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(run(["instruments", "validate", path]).status == .success)
}

@Test func anUnknownInstrumentIsAUsageErrorListingTheKnownOnes() {
    let result = run(["instruments", "show", "phq9"])
    #expect(result.status == .usage)
    #expect(result.errors.contains("There is no instrument 'phq9'"))
    #expect(result.errors.contains("ors, srs"))
}

@Test func validateReportsEveryProblemAndExits65() {
    let fixtures = packageRoot.appendingPathComponent("Tests/InstrumentModelTests/Fixtures").path
    let result = run([
        "instruments", "validate", fixtures + "/five-mistakes.json", fixtures + "/valid-own-instrument.json",
    ])
    #expect(result.status == .dataError)
    #expect(result.output.contains("five-mistakes.json: 5 problems"))
    #expect(result.output.contains("valid-own-instrument.json: valid (wellbeing-check)"))
    #expect(result.output.contains("five-mistakes.json:186:14: timming: unknown key"))
    #expect(result.errors.contains("1 of 2 files are not valid"))
    #expect(run(["instruments", "validate", fixtures + "/valid-own-instrument.json"]).status == .success)
    #expect(run(["instruments", "validate", "/no/such/file.json"]).status == .dataError)
}

@Test func validateSpeaksTheUsersLanguage() throws {
    let file = packageRoot.appendingPathComponent("Tests/InstrumentModelTests/Fixtures/five-mistakes.json")
        .path
    let danish = run(["--lang", "da", "instruments", "validate", file])
    #expect(danish.status == .dataError)
    let danishLines = danish.output.split(separator: "\n").map(String.init)
    #expect(
        danishLines == [
            "\(file): 5 problemer",
            "  \(file):70:13: items[1].id: spørgsmåls-id'et \"relationship\" bruges to gange (også af items[0]). Ret: giv hvert spørgsmål sit eget id",
            "  \(file):105:15: items[2].text: den danske tekst (\"da\") mangler. Ret: tilføj \"da\": \"…\" ved siden af de andre sprog",
            "  \(file):143:15: items[3].step: intervallet 0–10 er ikke et helt antal trin på 0,3. Ret: vælg et trin, der går op i intervallet",
            "  \(file):168:18: interpretation.cutoffs[0].value: cut-off-værdien 45 ligger uden for scoreintervallet 0–40. Ret: vælg en cut-off-værdi inden for intervallet",
            "  \(file):186:14: timming: ukendt nøgle \"timming\". Ret: omdøb den til \"timing\"",
        ])
    #expect(danish.errors.contains("1 af 1 filer er ikke gyldige"))

    let english = run(["--lang", "en", "instruments", "validate", file])
    #expect(english.status == .dataError)
    let englishLines = english.output.split(separator: "\n").map(String.init)
    #expect(
        englishLines == [
            "\(file): 5 problems",
            "  \(file):70:13: items[1].id: the item id \"relationship\" is used twice (also by items[0]). Fix: give every item its own id",
            "  \(file):105:15: items[2].text: the Danish text (\"da\") is missing. Fix: add \"da\": \"…\" beside the other languages",
            "  \(file):143:15: items[3].step: the range 0–10 is not a whole number of steps of 0.3. Fix: choose a step that divides the range",
            "  \(file):168:18: interpretation.cutoffs[0].value: the cut-off 45 lies outside the score range 0–40. Fix: choose a cut-off inside the range",
            "  \(file):186:14: timming: unknown key \"timming\". Fix: rename it to \"timing\"",
        ])

    let json = run(["--lang", "da", "instruments", "validate", "--format", "json", file])
    let entries = try JSONParser.parse(json.output).root
    guard case .array(let files) = entries, case .array(let problems)? = files.first?["problems"] else {
        Issue.record("unexpected JSON: \(json.output)")
        return
    }
    #expect(problems.last?["message"] == .string("unknown key \"timming\""))
    #expect(problems.last?["messageDa"] == .string("ukendt nøgle \"timming\""))
    #expect(problems.last?["fixDa"] == .string("omdøb den til \"timing\""))
}

@Test func anInstrumentErrorReachesTheUserInTheirLanguage() {
    let danish = run(["--lang", "da", "instruments", "show", "phq9"])
    #expect(danish.status == .usage)
    #expect(danish.errors.contains("Der er intet instrument 'phq9'. Kendte instrumenter: "))
    let folder = run(["--lang", "da", "--instruments", "/no/such/folder", "instruments", "list"])
    #expect(folder.status == .dataError)
    #expect(folder.errors.contains("Instrumentmappen /no/such/folder findes ikke."), "\(folder.errors)")
}

@Test(arguments: [
    (["instruments", "list", "--frmat", "json"], "Unknown option '--frmat'. Did you mean '--format'?"),
    (["instruments", "list", "--format", "xml"], "The value 'xml' is invalid for '--format'"),
    (["instruments", "show"], "Missing expected argument '<id>'"),
    (["instruments", "frobnicate"], "Unknown subcommand 'frobnicate'"),
    (["frobnicate"], "Unknown command 'frobnicate'"),
    (["--lang", "de", "instruments", "list"], "The value 'de' is invalid for '--lang'"),
])
func usageErrorsExit64WithAMessageAndTheUsage(arguments: [String], message: String) {
    let result = run(arguments)
    #expect(result.status == .usage)
    #expect(result.errors.hasPrefix("Error: "))
    #expect(result.errors.contains(message), "\(result.errors)")
    #expect(result.errors.contains("--help' for more information"))
    #expect(result.output.isEmpty)
}

@Test func helpAndVersionExitZero() {
    let help = run(["--help"])
    #expect(help.status == .success)
    #expect(help.output.hasPrefix("OVERVIEW:"))
    #expect(help.output.contains("USAGE: pejling [global options] <command>"))
    let commandHelp = run(["instruments", "validate", "--help"])
    #expect(commandHelp.output.contains("USAGE: pejling instruments validate <file> ..."))
    #expect(commandHelp.output.contains("GLOBAL OPTIONS:"))
    #expect(run(["--version"]).output == Pejling.version + "\n")
}

@Test func anOrganisationFolderIsReadFromTheEnvironment() throws {
    let folder = try temporaryFolder()
    let own = packageRoot.appendingPathComponent(
        "Tests/InstrumentModelTests/Fixtures/valid-own-instrument.json")
    try FileManager.default.copyItem(atPath: own.path, toPath: folder + "/own.json")
    let result = run(["instruments", "list"], variables: ["PEJLING_INSTRUMENTS": folder])
    #expect(result.output.contains("wellbeing-check"))
    #expect(result.output.contains("(from \(folder)/own.json)"))
}

@Test func theBinaryCopiedElsewhereStillFindsTheShippedInstruments() throws {
    let folder = try temporaryFolder()
    let copy = folder + "/pejling"
    try FileManager.default.copyItem(
        atPath: productsFolder.appendingPathComponent("pejling").path, toPath: copy)
    let result = try runProcess(
        copy, ["instruments", "list", "--format", "json"], environment: ["HOME": folder], directory: "/")
    #expect(result.status == 0, "\(result.errors)")
    let entries = try #require(
        try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
    #expect(entries.count == 6)
}

@Test func exportWritesAQuestionnaireToAPrivateFile() throws {
    let folder = try temporaryFolder()
    let result = run(["instruments", "export", "ors", "--format", "fhir", "--out", folder + "/ors.json"])
    #expect(result.status == .success)
    #expect(result.output.isEmpty)
    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/ors.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["resourceType"] as? String == "Questionnaire")
    let mode =
        try FileManager.default.attributesOfItem(atPath: folder + "/ors.json")[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(run(["instruments", "export", "ors"]).status == .usage)
}
