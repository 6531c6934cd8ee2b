import Foundation
import InstrumentModel
import Support
import Testing

@testable import Progression

// A decision names its flag by id, and decisions are stored: a flag's id must be what it was when
// the decision was made. The values were computed by FlagEngine's own hashing before it moved to
// Support's FNV1a.

@Test func flagIDsAreUnchanged() throws {
    let engine = FlagEngine(catalogue: catalogue, today: Day(number: 20_000))
    let rule = try catalogue.instrument("ors").flags[0]
    #expect(
        engine.flagID("K1", "ors", rule, goal: nil, opening: "0123456789abcdef0123456789abcdef")
            == "F0f6c629761fc863e")
    #expect(engine.flagID("anna-7", "srs", rule, goal: "g2", opening: "imported-3") == "Fa552c1596d601453")
}

@Test(arguments: ["F0123456789abcdef", "F0123456789ABCDEF", "flag-1", ""])
func aDecisionKeepsItsFlagAsWritten(flag: String) {
    let recorded = Date(timeIntervalSince1970: 0)
    var decision = Decision(flag: flag, outcome: .end, note: nil, worker: nil, recorded: recorded)
    #expect(decision.flag == flag)
    #expect(decision == Decision(flag: flag, outcome: .end, note: nil, worker: nil, recorded: recorded))
    #expect(decision != Decision(flag: flag + "0", outcome: .end, note: nil, worker: nil, recorded: recorded))
    decision.flag = "F00000000000000ff"
    #expect(decision.flag == "F00000000000000ff")
    decision.flag = flag
    #expect(decision == Decision(flag: flag, outcome: .end, note: nil, worker: nil, recorded: recorded))
}

@Test func aFlagIDIsHeldAsItsNumberWhenItHasOneAndEqualsAnotherExactlyWhenTheirTextsAreEqual() {
    let texts = [
        "F0123456789abcdef", "F0123456789ABCDEF", "F0123456789abcde", "G0123456789abcdef", "flag-1", "",
        "F00000000000000ff",
    ]
    for text in texts {
        let id = FlagID(text)
        #expect(id.text == text)
        #expect((id.number != nil) == (FlagNumber(text) != nil), "\(text)")
        for other in texts {
            #expect((id == FlagID(other)) == (text == other), "\(text) \(other)")
            #expect((id.hashValue == FlagID(other).hashValue) || text != other)
        }
    }
    #expect(FlagID(number: 0xff) == FlagID("F00000000000000ff"))
    #expect(FlagID(number: 0xff).text == "F00000000000000ff")
}

@Test(arguments: [false, true])
func everyFlagRaisedHasTheIdItsCaseRuleGoalAndOpeningGive(hexIDs: Bool) throws {
    // Low ORS without SRS (not on track, worse than, missing companion), stalled and reached goals.
    var readings =
        weekly("ors", [8, 9, 7, 6, 12, 4])
        + weekly(
            "gbo", [5, 6, 6.5, 7],
            parts: [["g1": 3, "g2": 8], ["g1": 3, "g2": 9], ["g1": 3, "g2": 10], ["g1": 3]])
    if hexIDs {
        for index in readings.indices {
            readings[index].id = Hex.string(UInt64(index) * 7919) + Hex.string(~UInt64(index))
        }
    }
    let goals = [goal("g1", "Sleep better"), goal("g2", "Cook dinner")]
    let engine = FlagEngine(catalogue: catalogue, today: day("2026-06-01"))
    let raised = engine.flags(for: CaseHistory(caseID: "anna-7", readings: readings, goals: goals))
    #expect(
        Set(raised.map(\.rule)).isSuperset(of: [
            "notOnTrack", "companionMissing", "goalStalled", "goalReached",
        ]))
    for flag in raised {
        let opening = try #require(
            readings.first { $0.instrument == flag.instrument && $0.day == flag.since })
        let rules = try catalogue.instrument(flag.instrument).flags.filter { $0.name == flag.rule }
        let ids = rules.map {
            engine.flagID("anna-7", flag.instrument, $0, goal: flag.goal, opening: opening.id)
        }
        #expect(ids.contains(flag.id), "\(flag.rule) \(flag.since)")
    }
}
