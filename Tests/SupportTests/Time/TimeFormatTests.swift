import Foundation
import Support
import Testing

@Suite struct TimeFormatTests {
    @Test func timesAreWrittenInUTCWithMillisecondsOnlyWhenThere() {
        let date = TimeFormat.date("2026-03-14T10:22:05+01:00")!
        #expect(TimeFormat.string(date) == "2026-03-14T09:22:05Z")
        #expect(TimeFormat.instant(date) == "2026-03-14T09:22:05.000Z")
        let fraction = TimeFormat.date("2026-03-14T09:22:05.1239Z")!
        #expect(TimeFormat.string(fraction) == "2026-03-14T09:22:05.123Z")
    }

    @Test func beforeNineteenSeventyIsWrittenToo() {
        #expect(TimeFormat.string(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test(arguments: [
        "2026-03-14", "2026-02-30T10:00:00Z", "1899-12-31T10:00:00Z", "2026-03-14T24:00:00Z",
        "2026-03-14T10:00:00", "2026-03-14T10:00:00+0100", "2026-03-14T10:00:00Zx",
    ])
    func anythingButADateTimeWithAZoneIsRefused(text: String) {
        #expect(TimeFormat.date(text) == nil)
    }
}
