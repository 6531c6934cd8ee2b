import Testing

@testable import InstrumentModel

let catalogue = try! InstrumentCatalogue.load(organisationDirectory: nil)

func numbers(_ instrument: Instrument, _ values: [Double]) -> [String: ItemAnswer] {
    Dictionary(uniqueKeysWithValues: zip(instrument.items.map(\.id), values.map(ItemAnswer.number)))
}

@Test func orsSumsToOneDecimal() throws {
    let ors = try catalogue.instrument("ors")
    #expect(try Scorer.score(ors, answers: numbers(ors, [4.2, 5.0, 3.8, 6.1])).total == 19.1)
}

@Test func briefInspireOIsSumTimesFive() throws {
    let inspire = try catalogue.instrument("brief-inspire-o")
    #expect(try Scorer.score(inspire, answers: numbers(inspire, [2, 3, 1, 2, 2])).total == 50)
    #expect(try Scorer.score(inspire, answers: numbers(inspire, [4, 4, 4, 4, 4])).total == 100)
    #expect(try Scorer.score(inspire, answers: numbers(inspire, [0, 0, 0, 0, 0])).total == 0)
}

@Test(arguments: ["ors", "srs", "cors", "csrs"])
func lineScalesReachBothEnds(id: String) throws {
    let instrument = try catalogue.instrument(id)
    #expect(try Scorer.score(instrument, answers: numbers(instrument, [0, 0, 0, 0])).total == 0)
    #expect(try Scorer.score(instrument, answers: numbers(instrument, [10, 10, 10, 10])).total == 40)
    #expect(try Scorer.score(instrument, answers: numbers(instrument, [0.1, 0.2, 0.3, 0.4])).total == 1)
    #expect(try Scorer.score(instrument, answers: numbers(instrument, [9.9, 9.9, 9.9, 9.9])).total == 39.6)
}

@Test func aRequiredItemMustBeAnswered() throws {
    let ors = try catalogue.instrument("ors")
    var answers = numbers(ors, [1, 2, 3, 4])
    answers["overall"] = .skipped
    #expect(throws: InstrumentError.self) { try Scorer.score(ors, answers: answers) }
    answers["overall"] = nil
    #expect(throws: InstrumentError.self) { try Scorer.score(ors, answers: answers) }
}

@Test func answersOutsideTheItemAreRefused() throws {
    let ors = try catalogue.instrument("ors")
    #expect(throws: InstrumentError.self) { try Scorer.score(ors, answers: numbers(ors, [11, 2, 3, 4])) }
    #expect(throws: InstrumentError.self) { try Scorer.score(ors, answers: numbers(ors, [7.55, 2, 3, 4])) }
    var answers = numbers(ors, [1, 2, 3, 4])
    answers["nonsense"] = .number(1)
    #expect(throws: InstrumentError.self) { try Scorer.score(ors, answers: answers) }
    let inspire = try catalogue.instrument("brief-inspire-o")
    #expect(throws: InstrumentError.self) {
        try Scorer.score(inspire, answers: numbers(inspire, [2, 3, 1, 2, 2.5]))
    }
}

/// An instrument made in the test: three optional 0–4 choices, one may be skipped, sum × 2 + 10,
/// lower is better, with a subscale.
func optionalInstrument(maxSkipped: Int) throws -> Instrument {
    let options = (0...4).map { ChoiceOption(value: Double($0), label: LocalizedText(verbatim: "\($0)")) }
    let items = ["a", "b", "c"].map {
        Item(
            id: $0, label: LocalizedText(verbatim: $0), text: LocalizedText(verbatim: $0),
            kind: .choice(options), optional: true)
    }
    var instrument = try catalogue.instrument("srs")
    instrument.items = items
    instrument.scoring = Scoring(
        method: .sum, multiplier: 2, offset: 10, range: 10...34, direction: .lowerIsBetter, decimals: 2,
        maxSkipped: maxSkipped,
        subscales: [
            Subscale(id: "ab", label: LocalizedText(verbatim: "ab"), items: ["a", "b"], method: .mean)
        ])
    return instrument
}

@Test func skippedItemsProrateTheSumWhenAllowed() throws {
    let instrument = try optionalInstrument(maxSkipped: 1)
    let result = try Scorer.score(instrument, answers: ["a": .number(1), "b": .number(2), "c": .skipped])
    #expect(result.total == 19)  // (1 + 2) / 2 × 3 = 4.5, × 2 + 10 = 19
    #expect(result.skipped == ["c"])
    #expect(result.parts["ab"] == 1.5)
    let tooMany = try Scorer.score(instrument, answers: ["a": .number(1), "b": .skipped, "c": .skipped])
    #expect(tooMany.total == nil)
    #expect(tooMany.parts["ab"] == nil)
}

@Test func skippedItemsGiveNoTotalWhenNotAllowed() throws {
    let instrument = try optionalInstrument(maxSkipped: 0)
    #expect(
        try Scorer.score(instrument, answers: ["a": .number(1), "b": .number(2), "c": .skipped]).total == nil)
    #expect(
        try Scorer.score(instrument, answers: ["a": .number(4), "b": .number(4), "c": .number(4)]).total == 34
    )
}

@Test func goalsAreScoredPerGoalAndAsAMean() throws {
    let gbo = try catalogue.instrument("gbo")
    let result = try Scorer.score(gbo, answers: ["g1": .number(3), "g2": .number(6), "g3": .number(8)])
    #expect(result.parts == ["g1": 3, "g2": 6, "g3": 8])
    #expect(result.total == 5.7)
    #expect(throws: InstrumentError.self) { try Scorer.score(gbo, answers: ["g1": .number(11)]) }
}

@Test(arguments: [
    ("7", 7.0), ("7.5", 7.5), ("7,5", 7.5), ("0", 0), ("10", 10), (" 3,2 ", 3.2), ("9.9", 9.9),
])
func aScaleAcceptsDecimalPointAndComma(input: String, expected: Double) throws {
    let item = try catalogue.instrument("ors").items[0]
    #expect(item.kind.parse(input, language: .da) == .success(.number(expected)))
}

@Test(arguments: [
    ("11", AnswerRejection.outOfRange(min: 0, max: 10)), ("-1", .outOfRange(min: 0, max: 10)),
    ("abc", .notANumber), ("7.55", .offStep(step: 0.1)), ("", .empty), ("1e1", .notANumber),
])
func aScaleRejectsWithAReason(input: String, expected: AnswerRejection) throws {
    let item = try catalogue.instrument("ors").items[0]
    #expect(item.kind.parse(input, language: .en) == .failure(expected))
}

@Test func aChoiceAcceptsItsNumberOrTheStartOfItsLabel() throws {
    let item = try catalogue.instrument("brief-inspire-o").items[0]
    #expect(item.kind.parse("3", language: .en) == .success(.number(3)))
    #expect(item.kind.parse("strongly a", language: .en) == .success(.number(4)))
    #expect(item.kind.parse("neither", language: .en) == .success(.number(2)))
    #expect(item.kind.parse("uenig", language: .da) == .success(.number(1)))
    #expect(item.kind.parse("5", language: .en) == .failure(.noSuchOption))
    #expect(
        item.kind.parse("strongly", language: .en)
            == .failure(.ambiguousOption(matches: ["Strongly disagree", "Strongly agree"])))
}
