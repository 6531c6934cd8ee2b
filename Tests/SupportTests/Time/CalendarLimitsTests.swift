import Support
import Testing

@Suite struct CalendarLimitsTests {
    @Test(arguments: [
        (2026, 2, 30), (2026, 13, 1), (2026, 0, 10), (2026, 4, 31), (2026, 1, 0), (0, 1, 1), (1899, 12, 31),
        (2201, 1, 1), (2100, 2, 29), (-5, 1, 1),
    ])
    func impossibleDatesAndYearsOutsideTheRangeAreRefused(year: Int, month: Int, day: Int) {
        #expect(!CalendarLimits.isValid(year: year, month: month, day: day))
    }

    @Test(arguments: [(2024, 2, 29), (2000, 2, 29), (1900, 1, 1), (2200, 12, 31), (2026, 3, 14)])
    func realDatesInTheRangeAreAccepted(year: Int, month: Int, day: Int) {
        #expect(CalendarLimits.isValid(year: year, month: month, day: day))
    }
}
