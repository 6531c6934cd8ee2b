import Foundation
import InstrumentModel
import Support
import Testing

@testable import Interchange

// Questionnaires written by others: public R4 examples (see Fixtures/SOURCES.md) and small
// hand-written ones for what no public example shows.

/// The PHQ-9 ordinals the issue asks with; they add up to 10.
let phq9Ordinals: [Double] = [0, 0, 0, 1, 2, 1, 3, 2, 1]

/// Returns the answers giving `values` to the first scored items of `instrument`, in order.
func answers(_ instrument: Instrument, _ values: [Double]) -> [String: ItemAnswer] {
    Dictionary(
        uniqueKeysWithValues: zip(instrument.items.filter(\.isScored), values).map { ($0.id, .number($1)) })
}

@Test func theSDCPHQ9WithAContainedValueSetImportsAndScoresTen() throws {
    let result = try QuestionnaireImport.instrument(
        from: try fixture("sdc-phq-9-contained-valueset.json"), file: "phq.json", options: .default)
    let phq = result.instrument
    #expect(phq.id == "questionnaire-sdc-profile-example-phq9")
    #expect(result.losses.isEmpty)
    #expect(phq.items.count == 9)
    #expect(result.scored == (1...9).map { "H1/T1/Q\($0)" })
    #expect(result.notAsked.map(\.linkId) == ["H1/TS"])
    #expect(phq.scoring.statedTotals == ["H1/TS"])
    guard case .choice(let options) = phq.items[0].kind else {
        Issue.record("expected a choice")
        return
    }
    #expect(options.map(\.value) == [0, 1, 2, 3])
    #expect(
        options.map(\.code) == ["Not-at-all", "Several-days", "More than half the days", "Nearly every day"])
    #expect(options[0].system == "http://hl7.org/fhir/uv/sdc/CodeSystem/CSPHQ9")
    #expect(phq.scoring.range == 0...27)
    #expect(phq.scoring.decimals == 0)
    // FHIR does not say which way is better: unset, not a guess.
    #expect(!phq.scoring.directionStated)
    #expect(try Scorer.score(phq, answers: answers(phq, phq9Ordinals)).total == 10)
    // It survives being written as an instrument file and read back, unset direction included.
    let text = InstrumentWriter.json(phq).rendered()
    #expect(text.contains(#""direction": "unset""#))
    #expect(try InstrumentReader.read(text, file: "phq.json") == phq)
}

@Test func theLHCPHQ9WithAnswerOptionCodingsAsksTheDifficultyItemWithoutScoringIt() throws {
    let result = try QuestionnaireImport.instrument(
        from: try fixture("lforms-phq-9-answer-options.json"), file: "phq.json",
        options: QuestionnaireImport.Options(direction: .lowerIsBetter))
    let phq = result.instrument
    #expect(phq.id == "phq-9-quick-depression-assessment-panel")
    #expect(result.losses.isEmpty)
    #expect(phq.items.count == 10)
    #expect(result.scored.count == 9)
    #expect(result.unscored.map(\.linkId) == ["/69722-7"])
    #expect(result.unscored[0].reason.contains("no ordinal values"))
    #expect(result.notAsked.map(\.linkId) == ["/44261-6"])
    let difficulty = try #require(phq.item("69722-7"))
    #expect(!difficulty.scored && !difficulty.isScored)
    #expect(phq.scoring.direction == .lowerIsBetter && phq.scoring.directionStated)
    #expect(phq.scoring.range == 0...27)
    var given = answers(phq, phq9Ordinals)
    given["69722-7"] = .number(4)  // "Extremely difficult": stored, not added
    #expect(try Scorer.score(phq, answers: given).total == 10)
    // The difficulty item still only takes its own options.
    given["69722-7"] = .number(7)
    #expect(throws: InstrumentError.self) { try Scorer.score(phq, answers: given) }
    let back = try InstrumentReader.read(InstrumentWriter.json(phq).rendered(), file: "phq.json")
    #expect(back == phq)
}

@Test func anExpandedValueSetNamedByItsURLGivesOptionsAndHiddenAndDisplayItemsAreNotAsked() throws {
    let result = try QuestionnaireImport.instrument(
        from: try fixture("lforms-argonaut-phq-9-expansion.json"), file: "argonaut.json", options: .default)
    #expect(result.losses.isEmpty)
    // g1.q9 names the contained ValueSet by its canonical URL rather than by '#PHQ-9'.
    #expect(result.scored == (1...9).map { "g1.q\($0)" })
    #expect(Set(result.notAsked.map(\.linkId)) == ["g1.d", "g1.s"])
    #expect(result.notAsked.first { $0.linkId == "g1.s" }?.reason.contains("hidden") == true)
    #expect(result.unscored.map(\.linkId) == ["g2.q1"])
    let phq = result.instrument
    var given = answers(phq, phq9Ordinals)
    given["g2-q1"] = .number(2)  // "Somewhat difficult": required, stored, not scored
    #expect(try Scorer.score(phq, answers: given).total == 10)
}

@Test func aQuestionnaireWithEveryDataTypeListsWhatCannotBeRepresentedByLinkId() throws {
    let resource = try fixture("sdc-all-data-types.json")
    #expect {
        try QuestionnaireImport.instrument(from: resource, file: "all.json", options: .default)
    } throws: { error in
        guard case .lossy(let losses, _) = error as? QuestionnaireImport.ImportError else { return false }
        let linkIds = Set(losses.map(\.linkId))
        return linkIds == [
            "id-date", "id-datetime", "id-time", "id-attachment", "id-choice",
            "440f8cc6-3ea2-40c2-b03a-d03187131fd3", "06aaa075-86e4-4cf2-a1ef-a86ab10e86e9",
            "EF8E3936-3246-4B3E-A46C-9FDAA5ACB635",
        ]
            && losses.first { $0.linkId == "id-attachment" }?.construct == "type 'attachment'"
            && losses.first { $0.linkId == "id-choice" }?.reason.contains("external value set") == true
    }
    let lossy = try QuestionnaireImport.instrument(
        from: resource, file: "all.json", options: QuestionnaireImport.Options(lossy: true))
    #expect(
        lossy.instrument.items.map(\.id) == [
            "id-string", "id-text", "id-boolean", "id-integer", "id-decimal",
        ])
    #expect(lossy.scored == ["id-integer", "id-decimal"])
    #expect(lossy.unscored.map(\.linkId) == ["id-boolean"])
    #expect(lossy.notAsked.count == 2)  // the two display items
    #expect(lossy.losses.count == 9)
}

/// A small Questionnaire with the given items.
func questionnaire(_ items: [JSONValue], extra: [(key: String, value: JSONValue)] = []) -> JSONValue {
    .object([("resourceType", "Questionnaire"), ("status", "draft"), ("item", .array(items))] + extra)
}

@Test func integerOptionsRestrictTheAnswersToThem() throws {
    let resource = questionnaire([
        [
            "linkId": "count", "type": "integer", "text": "How many?", "required": true,
            "answerOption": [["valueInteger": 12], ["valueInteger": 34], ["valueInteger": 56]],
        ]
    ])
    let result = try QuestionnaireImport.instrument(from: resource, file: "q.json", options: .default)
    let item = result.instrument.items[0]
    guard case .choice(let options) = item.kind else {
        Issue.record("integer options became \(item.kind.name), not a choice")
        return
    }
    #expect(options.map(\.value) == [12, 34, 56])
    #expect(item.kind.parse("34", language: .en) == .success(.number(34)))
    #expect(item.kind.parse("13", language: .en) == .failure(.noSuchOption))
    #expect(try Scorer.score(result.instrument, answers: [item.id: .number(56)]).total == 56)
    #expect(throws: InstrumentError.self) {
        try Scorer.score(result.instrument, answers: [item.id: .number(1000)])
    }
}

@Test func itemWeightAndTheOlderISO21090ValueGiveOrdinalsAndStringOptionsAreAskedUnscored() throws {
    func weighted(_ url: String, _ values: [Double]) -> JSONValue {
        .array(
            values.map { value in
                [
                    "extension": [["url": .string(url), "valueDecimal": .number(value)]],
                    "valueCoding": [
                        "code": .string("c\(Int(value))"), "display": .string("Option \(Int(value))"),
                    ],
                ]
            })
    }
    let resource = questionnaire([
        ["linkId": "a", "type": "choice", "answerOption": weighted(FHIR.itemWeight, [0, 2, 4])],
        ["linkId": "b", "type": "choice", "answerOption": weighted(FHIR.iso21090Value, [1, 3])],
        [
            "linkId": "c", "type": "string", "text": "Where?",
            "answerOption": [["valueString": "Home"], ["valueString": "Work"]],
        ],
        [
            "linkId": "d", "type": "date",
            "answerOption": [["valueDate": "2024-01-01"], ["valueDate": "2024-06-01"]],
        ],
    ])
    let result = try QuestionnaireImport.instrument(from: resource, file: "q.json", options: .default)
    #expect(result.scored == ["a", "b"])
    #expect(result.unscored.map(\.linkId) == ["c", "d"])
    let instrument = result.instrument
    #expect(instrument.scoring.range == 1...7)
    let total = try Scorer.score(
        instrument, answers: ["a": .number(4), "b": .number(3), "c": .number(2), "d": .number(1)]
    ).total
    #expect(total == 7)
}

@Test func aDuplicateLinkIdIsAnErrorNamingIt() throws {
    let item: JSONValue = [
        "linkId": "q1", "type": "integer", "extension": [["url": .string(FHIR.maxValue), "valueInteger": 5]],
    ]
    #expect {
        try QuestionnaireImport.instrument(
            from: questionnaire([item, ["linkId": "group", "type": "group", "item": [item]]]),
            file: "dup.json",
            options: .default)
    } throws: { error in
        let message = (error as? QuestionnaireImport.ImportError)?.description ?? ""
        return message.contains("dup.json") && message.contains("'q1'") && message.contains("item[1].item[0]")
    }
    // Two linkIds that become the same item id are as ambiguous.
    #expect(throws: QuestionnaireImport.ImportError.self) {
        try QuestionnaireImport.instrument(
            from: questionnaire([item, ["linkId": "Q1", "type": "integer"]]), file: "dup.json",
            options: .default)
    }
}

@Test func instrumentIdsComeFromIdNameURLOrLOINCCodeAndAreNeverTheSame() throws {
    let item: JSONValue = ["linkId": "q", "type": "integer"]
    func id(_ extra: [(key: String, value: JSONValue)], _ items: [JSONValue]) throws -> String {
        try QuestionnaireImport.instrument(
            from: questionnaire(items, extra: extra), file: "q.json", options: .default
        ).instrument.id
    }
    #expect(try id([("url", "http://example.org/Questionnaire/Mood-Check|2")], [item]) == "mood-check")
    #expect(
        try id([("code", [["system": "http://loinc.org", "code": "44249-1"]])], [item]) == "loinc-44249-1")
    let first = try id([], [item])
    let second = try id([], [["linkId": "other", "type": "integer"]])
    #expect(first.hasPrefix("questionnaire-") && second.hasPrefix("questionnaire-"))
    #expect(first != second)
    #expect(try id([], [item]) == first)  // the same Questionnaire keeps its id
}

@Test func aQuestionnaireWithNothingToScoreSaysWhy() throws {
    #expect {
        try QuestionnaireImport.instrument(
            from: questionnaire([
                ["linkId": "words", "type": "string"],
                [
                    "linkId": "pick", "type": "choice",
                    "answerOption": [["valueString": "x"], ["valueString": "y"]],
                ],
            ]), file: "words.json", options: .default)
    } throws: { error in
        let message = (error as? QuestionnaireImport.ImportError)?.description ?? ""
        return message.contains("no item of the Questionnaire gives a number to score")
            && message.contains("pick (its options have no ordinal values")
    }
}

@Test func anItemAskedButNotScoredStaysUnscoredThroughExportAndImport() throws {
    let phq = try QuestionnaireImport.instrument(
        from: try fixture("lforms-phq-9-answer-options.json"), file: "phq.json", options: .default
    ).instrument
    let exported = QuestionnaireExport.questionnaire(phq, language: .en)
    let back = try QuestionnaireImport.instrument(from: exported, file: "back.json", options: .default)
    #expect(back.scored.count == 9)
    #expect(back.unscored.map(\.linkId) == ["69722-7"])
}

@Test func maxSkippedLetsAnImportedSumBeProratedAndCannotSkipEverything() throws {
    let resource = try fixture("sdc-phq-9-contained-valueset.json")
    let phq = try QuestionnaireImport.instrument(
        from: resource, file: "phq.json", options: QuestionnaireImport.Options(maxSkipped: 1)
    ).instrument
    var given = answers(phq, phq9Ordinals)
    given["h1-t1-q9"] = .skipped
    // The 8 answers add up to 9; prorated to 9 items: 9 / 8 × 9 = 10.125, rounded to 10.
    #expect(try Scorer.score(phq, answers: given).total == 10)
    #expect {
        try QuestionnaireImport.instrument(
            from: resource, file: "phq.json", options: QuestionnaireImport.Options(maxSkipped: 9))
    } throws: { error in
        (error as? QuestionnaireImport.ImportError)?.description.contains("--max-skipped 9") == true
    }
}
