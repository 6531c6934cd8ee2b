import Foundation
import InstrumentModel
import Support
import Testing

@testable import Progression

// DOMAIN.md §4: SD 5, r .80 → Sdiff 3.1623; change ±8 → RCI ±2.5298.

@Test(arguments: [Scoring.Direction.higherIsBetter, .lowerIsBetter])
func rciFollowsTheTestVector(direction: Scoring.Direction) throws {
    let instrument = numberInstrument(direction: direction, cutoff: 50, r: 0.8, sd: 5)
    let up = ChangeCalculator.assess(pre: 40, post: 48, instrument: instrument)
    let down = ChangeCalculator.assess(pre: 48, post: 40, instrument: instrument)
    #expect(abs(try #require(up.rci) - 2.5298) < 0.0001)
    #expect(abs(try #require(down.rci) + 2.5298) < 0.0001)
    #expect(up.reliableDirection == (direction == .higherIsBetter ? 1 : -1))
    #expect(down.reliableDirection == (direction == .higherIsBetter ? -1 : 1))
}

@Test func exactlyOnTheJacobsonTruaxThresholdIsNotReliable() throws {
    let instrument = numberInstrument(direction: .higherIsBetter, cutoff: 50, r: 0.8, sd: 5)
    let sdiff = try #require(instrument.interpretation.reliableChange?.standardErrorOfDifference)
    let onThreshold = ChangeCalculator.assess(pre: 40, post: 40 + 1.96 * sdiff, instrument: instrument)
    #expect(abs(try #require(onThreshold.rci) - 1.96) < 1e-9)
    #expect(onThreshold.reliableDirection == 0)
    #expect(onThreshold.category == .unchanged)
    let justOver = ChangeCalculator.assess(pre: 40, post: 40 + 1.961 * sdiff, instrument: instrument)
    #expect(justOver.reliableDirection == 1)
}

@Test func exactlyOnAPointsThresholdIsReliable() throws {
    let ors = try catalogue.instrument("ors")
    #expect(ChangeCalculator.assess(pre: 20, post: 25, instrument: ors).reliableDirection == 1)
    #expect(ChangeCalculator.assess(pre: 20, post: 24.9, instrument: ors).reliableDirection == 0)
    #expect(ChangeCalculator.assess(pre: 20, post: 15, instrument: ors).reliableDirection == -1)
    #expect(ChangeCalculator.assess(pre: 20, post: 25, instrument: ors).rci == nil)
}

@Test func sem307GivesThreshold851And24To35IsReliable() {
    var instrument = numberInstrument(direction: .higherIsBetter, cutoff: 30, r: 0.8, sd: 5)
    instrument.interpretation.reliableChange = ReliableChange(method: .standardError(3.07))
    let assessment = ChangeCalculator.assess(pre: 24, post: 35, instrument: instrument)
    #expect(abs(assessment.threshold! - 8.51) < 0.005)
    #expect(assessment.reliableDirection == 1)
    #expect(assessment.category == .recovered)
}

@Test(arguments: [
    // higher is better, cut-off 50, reliable change 8.77 points (r .8, SD 5 → 1.96 × 3.1623 = 6.198…)
    (Scoring.Direction.higherIsBetter, 40.0, 60.0, OutcomeCategory.recovered),
    (.higherIsBetter, 40, 50, .improved),  // ends exactly on the cut-off: not functional
    (.higherIsBetter, 50, 60, .improved),  // starts exactly on the cut-off: not clinical
    (.higherIsBetter, 52, 62, .improved),  // functional to functional
    (.higherIsBetter, 40, 44, .unchanged),
    (.higherIsBetter, 60, 40, .deteriorated),
    (.lowerIsBetter, 60, 40, .recovered),
    (.lowerIsBetter, 60, 50, .improved),
    (.lowerIsBetter, 40, 44, .unchanged),
    (.lowerIsBetter, 40, 60, .deteriorated),
])
func categoriesAreDirectionAwareAndStrictOnTheCutoff(
    direction: Scoring.Direction, pre: Double, post: Double, expected: OutcomeCategory
) {
    let instrument = numberInstrument(direction: direction, cutoff: 50, r: 0.8, sd: 5)
    #expect(ChangeCalculator.assess(pre: pre, post: post, instrument: instrument).category == expected)
}

@Test func ageBandsChooseTheCutoff() throws {
    let ors = try catalogue.instrument("ors")
    // 24 → 29: reliable; recovered for an adult (cut-off 25), improved for a 15-year-old (28 → 29 is
    // functional too, so recovered as well); 26 → 31 is recovered only for the teenager.
    #expect(ChangeCalculator.assess(pre: 26, post: 31, instrument: ors, age: 40).category == .improved)
    #expect(ChangeCalculator.assess(pre: 26, post: 31, instrument: ors, age: 15).category == .recovered)
}

@Test func daysMatchFoundationsCalendar() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    for number in stride(from: -800, to: 80_000, by: 37) {
        let day = Day(number: number)
        let parts = calendar.dateComponents([.year, .month, .day], from: day.date)
        #expect(day.civil == (parts.year!, parts.month!, parts.day!))
        #expect(Day(year: parts.year!, month: parts.month!, day: parts.day!) == day)
        #expect(Day(iso: day.description) == day)
    }
    #expect(Day(year: 2026, month: 2, day: 29) == nil)
    #expect(Day(year: 2028, month: 2, day: 29) != nil)
}

@Test func anUnsetDirectionGivesNoReliableChangeAndNoCategory() {
    // An imported FHIR Questionnaire cannot say which way is better: no guess, whatever the rest.
    var instrument = numberInstrument(direction: .higherIsBetter, cutoff: 50, r: 0.8, sd: 5)
    instrument.scoring.directionStated = false
    let assessment = ChangeCalculator.assess(pre: 40, post: 60, instrument: instrument)
    #expect(assessment.category == .undetermined)
    #expect(assessment.reliableDirection == 0)
    #expect(assessment.rci == nil && assessment.preStanding == nil && assessment.postStanding == nil)
    #expect(assessment.change == 20)
}

@Test func aChangeRuleTakesTheCutoffTheInterpretationChooses() {
    for instrument in catalogue.instruments {
        let rule = ChangeRule(instrument)
        for age in [nil, 0, 5, 12, 13, 15, 17, 18, 19, 30, 64, 65, 120] as [Int?] {
            let chosen = instrument.interpretation.cutoff(forAge: age)?.value(
                direction: instrument.scoring.direction)
            #expect(rule.cutoff(forAge: age) == chosen, "\(instrument.id) \(String(describing: age))")
        }
    }
}
