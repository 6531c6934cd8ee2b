import Foundation
import Support
import Testing

@testable import InstrumentModel

/// Every fixture that provokes problems, by name.
func brokenFixtureNames() throws -> [String] {
    let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return try FileManager.default.contentsOfDirectory(atPath: folder.path)
        .filter { $0.hasSuffix(".json") && $0 != "valid-own-instrument.json" }.sorted()
}

@Test func everyProblemInTheFixturesIsWordedInDanishToo() throws {
    let names = try brokenFixtureNames()
    #expect(names.count >= 10)
    for name in names {
        for problem in try problems(in: name) {
            let message = problem.localizedMessage.values["da"] ?? ""
            let fix = problem.localizedFix.values["da"] ?? ""
            #expect(!message.isEmpty && message != problem.message, "untranslated: \(problem)")
            #expect(!fix.isEmpty && fix != problem.fix, "untranslated: \(problem)")
        }
    }
}

@Test(arguments: ["{", "[1,]", "{\"a\": 01}", "{\"a\": 1, \"a\": 2}", "\"\\q\"", "{} x"])
func everyJSONSyntaxErrorIsWordedInDanishToo(text: String) throws {
    do {
        _ = try InstrumentReader.read(text, file: "broken.json")
        Issue.record("\(text) was read")
    } catch {
        guard case .invalid(_, let found) = error, let problem = found.first else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(problem.message.hasPrefix("not valid JSON: "))
        #expect(problem.localizedMessage[.da].hasPrefix("ikke gyldig JSON: "))
        #expect(problem.localizedMessage[.da] != problem.message)
        #expect(problem.localizedFix[.da] != problem.fix)
    }
}

@Test func aProblemReadsAsOneLineInEitherLanguage() {
    let problem = InstrumentProblem(
        file: "mine.json", path: "items[0].step", position: TextPosition(line: 3, column: 7),
        message: LocalizedText(da: "trinnet 0,3 passer ikke", en: "the step 0.3 does not fit"),
        fix: LocalizedText(da: "vælg et andet trin", en: "choose another step"))
    #expect(
        problem.description
            == "mine.json:3:7: items[0].step: the step 0.3 does not fit. Fix: choose another step")
    #expect(problem.description(.en) == problem.description)
    #expect(
        problem.description(.da)
            == "mine.json:3:7: items[0].step: trinnet 0,3 passer ikke. Ret: vælg et andet trin")
}

@Test func theInstrumentErrorsSpeakDanishAndKeepTheirEnglishDescription() throws {
    let invalid = InstrumentError.invalid(
        file: "five-mistakes.json", problems: try problems(in: "five-mistakes.json"))
    #expect(
        invalid.description.hasPrefix("five-mistakes.json is not a valid instrument file (5 problems):\n"))
    #expect(
        invalid.message(.da).hasPrefix("five-mistakes.json er ikke en gyldig instrumentfil (5 problemer):\n"))
    #expect(invalid.message(.da).contains("timming: ukendt nøgle \"timming\". Ret: omdøb den til \"timing\""))
    let unknown = InstrumentError.unknownInstrument(id: "phq9", known: ["ors", "srs"])
    #expect(
        unknown.message(.da)
            == "Der er intet instrument 'phq9'. Kendte instrumenter: ors, srs. Kør 'pejling instruments list' for at se dem."
    )
    #expect(unknown.localizedDescription == unknown.description)
    let missing = InstrumentError.unreadable(
        file: "x.json", reason: LocalizedText(da: "filen findes ikke", en: "no such file"))
    #expect(
        missing.description
            == "Cannot read the instrument file x.json: no such file. Check the path and its permissions.")
    #expect(
        missing.message(.da)
            == "Instrumentfilen x.json kan ikke læses: filen findes ikke. Tjek stien og rettighederne.")
}
