import Foundation
import Support
import Testing

@testable import Progression

@Test func monthKeysOfDaysInAnyOrderAreEachDaysMonth() {
    var monthOf = TeamReport.MonthKeys()
    // Every day of three years (leap year included), then days jumping back and forth.
    let days = Array(20_000..<21_100) + [20_500, 19_000, 20_501, 20_499, 0, -1, 59, 60, 20_500]
    for number in days {
        let day = Day(number: number)
        #expect(monthOf(day) == TeamReport.monthKey(day), "\(day)")
    }
}

@Test func monthTalliesAreEachMonthsTallyWhereverTheMonthsLie() {
    var tallies = TeamReport.MonthTallies()
    var plain: [Int: TeamReport.MonthTally] = [:]
    // Near the first month and far from it on both sides, some months again.
    let months = [24_300, 24_301, 24_300, 22_000, 26_000, 30_000, 10, 24_299, 30_000, 23_100, 25_499, 25_500]
    for (number, month) in months.enumerated() {
        let figures = (month: month, totals: 2, comparable: number % 2 == 0, improved: number % 3 == 0)
        let totals = [Double(number) / 3, Double(number * number)][...]
        tallies.add(figures, totals)
        plain[month, default: TeamReport.MonthTally()].cases += 1
        plain[month]!.sum += totals.reduce(0, +)
        plain[month]!.count += 2
        plain[month]!.comparable += figures.comparable ? 1 : 0
        plain[month]!.improved += figures.improved ? 1 : 0
    }
    let found = tallies.months
    #expect(found.map(\.key) == plain.keys.sorted())
    for (key, tally) in found {
        let expected = plain[key]!
        let counts: [Int] = [tally.cases, tally.count, tally.comparable, tally.improved]
        let expectedCounts: [Int] = [expected.cases, expected.count, expected.comparable, expected.improved]
        #expect(counts == expectedCounts, "\(key)")
        #expect(tally.sum == expected.sum, "\(key)")
    }
}
