import Foundation
import Testing

@testable import Charts

@Suite struct CalendarDayTests {
    @Test func civilDatesRoundTripAndAgreeWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for number in stride(from: -800_000, through: 800_000, by: 997) {
            let day = CalendarDay(number: number)
            let civil = day.civil
            #expect(CalendarDay(year: civil.year, month: civil.month, day: civil.day) == day)
            let date = Date(timeIntervalSince1970: Double(number) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            if number > -130_000 {  // Foundation turns Julian before 1582; ours stays Gregorian.
                #expect([parts.year, parts.month, parts.day] == [civil.year, civil.month, civil.day])
                #expect((parts.weekday! + 5) % 7 == day.weekday)
            }
        }
    }

    @Test func timeOfDayIsIgnored() {
        let midnight = day(2026, 3, 14)
        #expect(CalendarDay(midnight.addingTimeInterval(86_399)) == CalendarDay(midnight))
        #expect(CalendarDay(midnight).civil == (2026, 3, 14))
    }
}

@Suite struct ChartTextTests {
    @Test(arguments: [
        ("Søvn på Ærø", "Soevn paa AEroe"), ("ændring ±5 – ok…", "aendring +/-5 - ok..."),
        ("café", "cafe"), ("😀", "?"), ("plain", "plain"),
    ])
    func asciiTransliterates(_ text: String, _ expected: String) {
        #expect(ChartText.ascii(text) == expected)
    }

    @Test(arguments: [
        (25.0, ".", "25"), (2.45, ".", "2.45"), (2.5, ",", "2,5"), (-0.0, ".", "0"), (99.999, ".", "100"),
    ])
    func numbersHaveAtMostTwoDecimals(_ value: Double, _ separator: String, _ expected: String) {
        #expect(ChartText.number(value, decimalSeparator: separator) == expected)
    }
}

@Suite struct ValueScaleTests {
    @Test func ticksIncludeTheEndsAndRoundStepsAtLeastTwoRowsApart() {
        let scale = ValueScale(range: 0...40, rows: 12, cutoff: 25)
        #expect(scale.ticks().map(\.value) == [0, 10, 20, 30, 40])
        #expect(scale.ticks().map(\.row) == [0, 3, 6, 8, 11])
        #expect(ValueScale(range: 0...10, rows: 12, cutoff: nil).ticks().map(\.value) == [0, 2, 4, 6, 8, 10])
        #expect(
            ValueScale(range: 0...100, rows: 12, cutoff: nil).ticks().map(\.value) == [
                0, 20, 40, 60, 80, 100,
            ])
        #expect(ValueScale(range: 0...40, rows: 3, cutoff: nil).ticks().map(\.value) == [0, 40])
    }

    @Test func aCutoffOutsideTheRangeIsIgnored() {
        #expect(ValueScale(range: 0...40, rows: 12, cutoff: 50).cutoffRow == nil)
    }
}
