import Foundation
import Support
import Testing

@Suite struct DayTests {
    @Test func everyDayFrom1900To2200ReadsBackAsWritten() {
        let first = GregorianDays.number(year: 1900, month: 1, day: 1)
        let last = GregorianDays.number(year: 2200, month: 12, day: 31)
        for number in first...last {
            let day = Day(number: number)
            let (year, month, date) = day.civil
            #expect(GregorianDays.number(year: year, month: month, day: date) == number)
            #expect(Day(iso: day.description) == day)
        }
    }

    @Test func knownDaysHaveTheirNumbers() {
        #expect(Day(iso: "1970-01-01")?.number == 0)
        #expect(Day(iso: "2026-03-14")?.number == 20_526)
        #expect(Day(iso: "2000-02-29")?.number == 11_016)
        #expect(GregorianDays.civil(-1) == (1969, 12, 31))
    }

    @Test(arguments: [
        "2026-03-14", "2026-03-14T10:00:00+01:00", "2026-03-14 10:00", "1900-01-01", "2200-12-31",
    ])
    func datesAndDateTimesInTheYearsHandledAreRead(text: String) {
        #expect(Day(iso: text) != nil)
    }

    @Test(arguments: [
        "2026-02-30", "2026-13-01", "0000-01-01", "1899-12-31", "2201-01-01", "2026-3-14", "2026-03-14x",
        "20260314", "",
    ])
    func anythingElseIsRefused(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func aDateTimeIsReadAsTheDayWrittenNotTheDayInUTC() {
        #expect(Day(iso: "2026-03-14T00:30:00+02:00") == Day(year: 2026, month: 3, day: 14))
        #expect(Day(TimeFormat.date("2026-03-14T00:30:00+02:00")!) == Day(year: 2026, month: 3, day: 13))
    }
}
