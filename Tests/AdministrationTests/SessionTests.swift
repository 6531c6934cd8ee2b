import TestSupport
import Testing

@testable import Administration
@testable import InstrumentModel

let catalogue = try! InstrumentCatalogue.load(organisationDirectory: nil)

func session(
    _ id: String, _ input: [String], language: Language = .en, goals: [Goal] = [], workerLed: Bool = true,
    accessible: Bool = false, age: Int? = nil
) throws -> (Result<SessionResult, SessionEnd>, ScriptedConsole) {
    let console = ScriptedConsole(input: input)
    var session = Session(
        instrument: try catalogue.instrument(id), console: console,
        options: SessionOptions(language: language, accessible: accessible, age: age, workerLed: workerLed),
        goals: goals)
    do {
        return (.success(try session.run()), console)
    } catch {
        return (.failure(error), console)
    }
}

@Test func orsInEnglishWithMistakesBackHelpAndAChangeAtReview() throws {
    let (result, console) = try session(
        "ors",
        ["11", "4.2", "abc", "7.55", "5", "<", "", "?", "3,8", "6.1", "feeling better", "2", "5.5", ""],
        age: 30)
    let saved = try result.get()
    #expect(
        saved.answers == [
            "individually": .number(4.2), "interpersonally": .number(5.5), "socially": .number(3.8),
            "overall": .number(6.1),
        ])
    #expect(saved.scores.total == 19.6)
    #expect(saved.comment == "feeling better")
    assertSnapshot(console.transcript, named: "ors-en")
}

@Test func orsInDanishUsesTheDecimalComma() throws {
    let (result, console) = try session("ors", ["4,2", "5", "3,8", "6,1", "", ""], language: .da, age: 30)
    #expect(try result.get().scores.total == 19.1)
    assertSnapshot(console.transcript, named: "ors-da")
}

@Test func srsInDanishWithHelpBackAndAChangedComment() throws {
    let (result, console) = try session(
        "srs", ["?", "9,5", "<", "", "8", "10", "9,1", "godt møde", "k", "rigtig godt møde", ""],
        language: .da)
    let saved = try result.get()
    #expect(saved.scores.total == 36.6)
    #expect(saved.comment == "rigtig godt møde")
    #expect(console.output.contains("36 eller mere: samarbejdet passer borgeren."))
    assertSnapshot(console.transcript, named: "srs-da")
}

@Test func srsBelowTheCutoffSuggestsAConversation() throws {
    let (result, console) = try session("srs", ["9", "8", "9", "9.5", "", ""])
    #expect(try result.get().scores.total == 35.5)
    #expect(console.output.contains("below 36: ask what would make the collaboration better"))
    assertSnapshot(console.transcript, named: "srs-en")
}

@Test(arguments: [Language.da, .en])
func briefInspireOTakesNumbersOrLabels(language: Language) throws {
    let input =
        language == .en
        ? ["2", "agree", "1", "strongly", "strongly d", "x", "2", "", ""]
        : ["2", "enig", "1", "meget", "meget u", "2", "", ""]
    let (result, console) = try session("brief-inspire-o", input, language: language)
    let saved = try result.get()
    #expect(saved.answers["hope"] == .number(3))
    #expect(saved.answers["meaning"] == .number(0))
    #expect(saved.scores.total == 40)
    assertSnapshot(console.transcript, named: "brief-inspire-o-\(language.rawValue)")
}

@Test(arguments: [Language.da, .en])
func gboAsksForGoalsTheFirstTimeThenRatesThem(language: Language) throws {
    let (result, console) = try session(
        "gbo", ["", "Sove bedre", "Få en hverdag med struktur", "", "3", "11", "5", "", ""],
        language: language)
    let saved = try result.get()
    #expect(saved.goals.map(\.text) == ["Sove bedre", "Få en hverdag med struktur"])
    #expect(saved.goalChanges.map(\.action) == [.set, .set])
    #expect(saved.answers == ["g1": .number(3), "g2": .number(5)])
    #expect(saved.scores.total == 4)
    assertSnapshot(console.transcript, named: "gbo-first-\(language.rawValue)")
}

@Test func gboRewordsRetiresAndAddsGoalsKeepingTheirIds() throws {
    let goals = [
        Goal(id: "g1", text: "Sleep better"), Goal(id: "g2", text: "Find a job"),
        Goal(id: "g3", text: "See my sister"),
    ]
    let (result, console) = try session(
        "gbo",
        [
            "4", "2", "6", "", "g", "r1", "Sleep through the night", "g", "x2", "g", "n",
            "Join the walking group", "", "1", "",
        ],
        goals: goals)
    let saved = try result.get()
    #expect(saved.goals.map(\.id) == ["g1", "g3", "g4"])
    #expect(saved.goals[0].text == "Sleep through the night")
    #expect(saved.answers == ["g1": .number(4), "g3": .number(6), "g4": .number(1)])
    #expect(
        saved.goalChanges == [
            GoalChange(goal: "g1", action: .reword, text: "Sleep through the night"),
            GoalChange(goal: "g2", action: .retire, text: nil),
            GoalChange(goal: "g4", action: .set, text: "Join the walking group"),
        ])
    assertSnapshot(console.transcript, named: "gbo-change-en")
}

@Test(arguments: [0, 1, 3, 4, 5])
func endOfInputAnywhereEndsWithNothing(answered: Int) throws {
    let all = ["4", "5", "3", "6", "", ""]
    let (result, console) = try session("ors", Array(all.prefix(answered)))
    #expect(throws: SessionEnd.endOfInput) { try result.get() }
    #expect(console.remainingInput.isEmpty)
}

/// An instrument made in the test with one optional item and one required one.
func optionalInstrument() throws -> Instrument {
    var instrument = try catalogue.instrument("srs")
    instrument.items[1].optional = true
    instrument.scoring.maxSkipped = 1
    return instrument
}

@Test func skippingIsAllowedOnlyWhereTheInstrumentSaysSo() throws {
    let console = ScriptedConsole(input: ["", "8", "", "9", "9", "", ""])
    var session = Session(
        instrument: try optionalInstrument(), console: console, options: SessionOptions(asksComment: true))
    let saved = try session.run()
    #expect(saved.answers["relationship"] == .number(8))
    #expect(saved.answers["goals-topics"] == .skipped)
    #expect(saved.scores.total == 34.7)  // (8 + 9 + 9) / 3 × 4, prorated
    #expect(console.output.contains("This one needs an answer. Type a number from 0 to 10."))
    assertSnapshot(console.transcript, named: "skip-allowed-and-refused")
}

@Test func aSafetyTextShowsAtOnce() throws {
    let (result, console) = try session("ors", ["0.5", "5", "5", "5", "", ""])
    _ = try result.get()
    let lines = console.transcript.split(separator: "\n", omittingEmptySubsequences: false)
    let index = try #require(lines.firstIndex { $0.contains("0.5") })
    #expect(lines[index + 2].contains("call 112"))
}

@Test func accessibleModeUsesNumberedPlainPrompts() throws {
    let (_, console) = try session("ors", ["4", "5", "3", "6", "", ""], accessible: true)
    #expect(console.output.contains("Question 1 of 4: Me"))
    #expect(console.output.contains("0 means very poorly, 10 means very well."))
    #expect(!console.output.contains("1/4"))
    #expect(!console.output.contains(" · "))
}

@Test func answerSheetsAreCheckedAllOrNothing() throws {
    let ors = try catalogue.instrument("ors")
    #expect(
        try AnswerSheet.parse(["4.2", "5", "3,8", "6.1"], instrument: ors, goals: [], language: .en)
            == [
                "individually": .number(4.2), "interpersonally": .number(5), "socially": .number(3.8),
                "overall": .number(6.1),
            ])
    #expect {
        try AnswerSheet.parse(["11", "5", "abc", "6.1"], instrument: ors, goals: [], language: .en)
    } throws: { error in
        let problems = (error as? SheetError)?.problems ?? []
        return problems.map(\.position) == [1, 3]
            && problems[0].message == "Answer 1 (Me): '11' is outside 0–10. Type a number from 0 to 10."
    }
    #expect(throws: SheetError.self) {
        try AnswerSheet.parse(["4", "5"], instrument: ors, goals: [], language: .en)
    }
    #expect(throws: SheetError.self) {
        try AnswerSheet.parse(["4"], instrument: try catalogue.instrument("gbo"), goals: [], language: .en)
    }
}

@Test func theStandingIsStrictOnTheCutoff() {
    #expect(Standing(25, cutoff: 25, direction: .higherIsBetter) == .onCutoff)
    #expect(Standing(24.9, cutoff: 25, direction: .higherIsBetter) == .clinical)
    #expect(Standing(25.1, cutoff: 25, direction: .higherIsBetter) == .functional)
    #expect(Standing(24.9, cutoff: 25, direction: .lowerIsBetter) == .functional)
    #expect(Standing(25.1, cutoff: 25, direction: .lowerIsBetter) == .clinical)
}
