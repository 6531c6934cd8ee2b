import Testing

@testable import Administration

@Test func aNewGoalIsNumberedOnePastTheHighestIdTheCaseHasHad() {
    var fresh = GoalNumbering(used: [String]())
    #expect(fresh.take() == "g1")
    #expect(fresh.take() == "g2")
    // Numbers, not text: g10 is higher than g9; ids not of the form gN do not count.
    var numbering = GoalNumbering(used: ["g9", "g10", "g2", "goal"])
    #expect(numbering.take() == "g11")
    #expect(numbering.take() == "g12")
}
