import Foundation
import Support
import Testing

@testable import InstrumentModel

func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return try String(contentsOf: url, encoding: .utf8)
}

func problems(in name: String) throws -> [InstrumentProblem] {
    do {
        _ = try InstrumentReader.read(try fixture(name), file: name)
        Issue.record("\(name) was read without problems")
        return []
    } catch let error as InstrumentError {
        guard case .invalid(_, let problems) = error else {
            Issue.record("unexpected error \(error)")
            return []
        }
        return problems
    }
}

@Test func fiveMistakesAreAllReportedWithTheirPaths() throws {
    let found = try problems(in: "five-mistakes.json")
    #expect(found.count == 5, "\(found.map(\.description))")
    let paths = Set(found.map(\.path))
    #expect(
        paths == [
            "items[1].id", "items[2].text", "items[3].step", "interpretation.cutoffs[0].value", "timming",
        ])
    for problem in found {
        #expect(problem.file == "five-mistakes.json")
        #expect(problem.position != nil, "\(problem) has no line")
        #expect(!problem.fix.isEmpty)
    }
    let typo = try #require(found.first { $0.path == "timming" })
    #expect(typo.fix.contains("\"timing\""))
}

@Test(arguments: [
    ("duplicate-item-ids.json", "items[2].id", "used twice"),
    ("unknown-schema-version.json", "schemaVersion", "unknown schema version 2"),
    ("empty-options.json", "items[0].options", "empty"),
    ("threshold-outside-range.json", "flags[0].value", "outside the score range"),
    ("trailing-comma.json", "", "no trailing comma"),
])
func eachMistakeIsNamed(file: String, path: String, words: String) throws {
    let found = try problems(in: file)
    #expect(found.count == 1, "\(found.map(\.description))")
    #expect(found.first?.path == path)
    #expect(found.first?.message.contains(words) == true, "\(found.first?.message ?? "")")
}

@Test func aSyntaxErrorNamesLineAndColumn() throws {
    let found = try problems(in: "trailing-comma.json")
    #expect(found.first?.position == TextPosition(line: 4, column: 18))
    #expect(found.first?.description.hasPrefix("trailing-comma.json:4:18: not valid JSON") == true)
}

@Test func anOrganisationsOwnInstrumentReads() throws {
    let instrument = try InstrumentReader.read(try fixture("valid-own-instrument.json"), file: "own.json")
    #expect(instrument.id == "wellbeing-check")
    #expect(instrument.scoring.direction == .lowerIsBetter)
    #expect(instrument.introduction == instrument.title)  // defaults fill in missing optional texts
    #expect(instrument.interpretation.cutoff(forAge: nil)?.value(direction: .lowerIsBetter) == 50)
    guard case .number(let range) = instrument.items[0].kind else {
        Issue.record("expected a number item")
        return
    }
    #expect(range.integer)
}

@Test func duplicateKeysAreRefused() {
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(#"{"a": 1, "a": 2}"#) }
}

@Test(arguments: [
    (#""\u00e6\u00f8\u00e5""#, "æøå"), (#""a\nb""#, "a\nb"), (#""\ud83d\ude00""#, "😀"),
    (#""tab\there""#, "tab\there"),
])
func stringsDecodeEscapes(json: String, expected: String) throws {
    #expect(try JSONParser.parse(json).root == .string(expected))
}

@Test(arguments: [
    (
        "item-maximum-beyond-bound.json", ["items[0].max"],
        "the number 1e+19 is beyond ±1000000, the largest an item"
    ),
    (
        "huge-negative-minimum.json", ["items[0].min", "scoring.range.min"],
        "the number -1e+16 is beyond ±"
    ),
    ("too-many-steps.json", ["items[0].step"], "gives 1000000 marks on the range 0–100, more than 100000"),
    ("minimum-finer-than-step.json", ["items[0].min"], "the minimum 0.5 has more decimals than the step 1"),
    (
        "norm-mean-beyond-bound.json", ["interpretation.cutoffs[0].norms.clinical.mean"],
        "the number 1e+300 is beyond ±1000000000000, the largest a score may be"
    ),
])
func numbersADoubleCannotKeepExactAreRefused(file: String, paths: [String], words: String) throws {
    let found = try problems(in: file)
    #expect(found.map(\.path) == paths, "\(found.map(\.description))")
    for problem in found {
        #expect(problem.message.contains(words), "\(problem.message)")
        #expect(problem.position != nil)
        #expect(!problem.fix.isEmpty)
    }
}
