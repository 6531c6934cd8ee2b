import Foundation
import Simulation
import Testing

@testable import Interchange

// FHIR instants are written and read without a formatter, for speed; Foundation's ISO 8601
// formatter is the reference they must agree with, on every time the store can hold.

/// Times to the millisecond from 1900 to 2200, and some at the edges of days, years and eras.
private func times(_ count: Int) -> [Date] {
    var random = SplitMix64(seed: 2026)
    let first: Int64 = -2_208_988_800_000  // 1900-01-01
    let span: Int64 = 9_467_020_800_000  // to 2200-01-01
    var millis = (0..<count).map { _ in first + Int64(random.next() % UInt64(span)) }
    millis += [0, -1, 1, 999, -999, 86_399_999, -86_400_000, 951_782_400_000, 4_107_542_399_999, first]
    return millis.map { Date(timeIntervalSince1970: Double($0) / 1000) }
}

private func reference(withFractions: Bool) -> ISO8601DateFormatter {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions =
        withFractions ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
    return formatter
}

@Suite struct InstantTests {
    @Test func instantsAreWrittenAsFoundationsFormatterWritesThem() {
        let formatter = reference(withFractions: true)
        for date in times(20_000) {
            #expect(FHIR.instant(date) == formatter.string(from: date), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func instantsAreReadAsFoundationsFormatterReadsThem() {
        let withFractions = reference(withFractions: true)
        let whole = reference(withFractions: false)
        let offsets = ISO8601DateFormatter()
        offsets.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        offsets.timeZone = TimeZone(secondsFromGMT: 3600 + 30 * 60)
        for date in times(5_000) {
            for text in [
                withFractions.string(from: date), whole.string(from: date), offsets.string(from: date),
            ] {
                let expected = withFractions.date(from: text) ?? whole.date(from: text)
                let read = FHIR.parseInstant(text)
                #expect(read != nil, "\(text)")
                #expect(
                    abs((read?.timeIntervalSince1970 ?? 0) - (expected?.timeIntervalSince1970 ?? 1)) < 0.0005,
                    "\(text)")
            }
        }
    }

    @Test(arguments: [
        "", "2026-03-14", "2026-03-14T10:22:05", "2026-02-30T10:22:05Z", "2026-03-14T25:00:00Z",
        "2026-03-14T10:22:05+0100", "2026-03-14 10:22:05Z", "yesterday", "2026-03-14T10:22:05Zjunk",
    ])
    func whatIsNoInstantIsRefused(text: String) {
        #expect(FHIR.parseInstant(text) == nil)
    }
}
