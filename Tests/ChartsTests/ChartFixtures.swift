import Charts
import Foundation

/// A chart to draw in the golden-file and property tests, named for what it provokes.
struct ChartScenario: Sendable, CustomStringConvertible {
    var name: String
    var panels: [ChartPanel]
    var width = 80
    var labels = ChartLabels.english

    var description: String { name }
}

/// Returns the calendar day at UTC midnight.
func day(_ year: Int, _ month: Int, _ day: Int) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: DateComponents(year: year, month: month, day: day))!
}

/// Returns `start` moved by `days` days.
func adding(_ days: Int, to start: Date) -> Date {
    start.addingTimeInterval(Double(days) * 86_400)
}

/// Returns points on the given days with the given values; `flagged` lists indices.
func points(_ dates: [Date], _ values: [Double], flagged: Set<Int> = []) -> [ChartPoint] {
    zip(dates, values).enumerated().map { index, pair in
        ChartPoint(date: pair.0, value: pair.1, flagged: flagged.contains(index))
    }
}

enum ChartFixtures {
    /// Ten meetings from mid-January to early May 2026, not evenly spaced.
    static let meetings: [Date] = [
        day(2026, 1, 12), day(2026, 1, 26), day(2026, 2, 9), day(2026, 2, 23), day(2026, 3, 2),
        day(2026, 3, 16), day(2026, 3, 30), day(2026, 4, 13), day(2026, 4, 27), day(2026, 5, 11),
    ]

    static let orsValues: [Double] = [18.2, 17.5, 14.1, 19.8, 21.6, 23.4, 24.9, 25, 27.3, 29.1]

    static func orsPanel(expected: Bool = false) -> ChartPanel {
        ChartPanel(
            title: "ORS (0–40)",
            yRange: 0...40,
            series: [ChartSeries(name: "ORS", points: points(meetings, orsValues, flagged: [2]))],
            cutoff: ChartLine(value: 25, label: "clinical cut-off 25"),
            reliableBand: ChartBand(label: "reliable change from intake (±5)", low: 13.2, high: 23.2),
            expectedBand: expected
                ? ChartBand(
                    label: "expected range",
                    points: meetings.enumerated().map { index, date in
                        ChartBandPoint(
                            date: date, low: 16 + Double(index) * 0.8, high: 24 + Double(index) * 0.9)
                    })
                : nil
        )
    }

    static let srsPanel = ChartPanel(
        title: "SRS (0–40)",
        yRange: 0...40,
        series: [
            ChartSeries(
                name: "SRS",
                points: points(
                    meetings, [35.0, 37.2, 38.1, 33.9, 36.0, 37.5, 38.4, 38.0, 39.1, 39.5], flagged: [0, 3]))
        ],
        cutoff: ChartLine(value: 36, label: "alliance cut-off 36")
    )

    static let gboPanel: ChartPanel = {
        let dates = [day(2026, 2, 3), day(2026, 2, 24), day(2026, 3, 17), day(2026, 4, 7), day(2026, 5, 5)]
        return ChartPanel(
            title: "GBO goals (0–10)",
            yRange: 0...10,
            series: [
                ChartSeries(name: "Sleep through the night", points: points(dates, [2, 3, 3, 5, 7])),
                ChartSeries(name: "See my sister every week", points: points(dates, [1, 3, 4, 4, 6])),
                ChartSeries(
                    name: "Cook dinner myself", points: points(dates, [4, 4, 3, 2, 2], flagged: [4])),
            ]
        )
    }()

    static let inspirePanel = ChartPanel(
        title: "Brief INSPIRE-O (0–100)",
        yRange: 0...100,
        series: [
            ChartSeries(
                name: "INSPIRE-O",
                points: points(
                    [day(2025, 9, 1), day(2025, 11, 3), day(2026, 1, 12), day(2026, 3, 9), day(2026, 5, 4)],
                    [35, 40, 50, 55, 65], flagged: [0]))
        ],
        cutoff: ChartLine(value: 50, label: "personal recovery cut-off 50"),
        reliableBand: ChartBand(label: "clinically relevant change (±8)", low: 27, high: 43)
    )

    static func single(_ name: String, _ points: [ChartPoint], range: ClosedRange<Double> = 0...40)
        -> ChartPanel
    {
        ChartPanel(
            title: "ORS (0–40)", yRange: range, series: [ChartSeries(name: name, points: points)],
            cutoff: ChartLine(value: 25, label: "clinical cut-off 25"))
    }

    static let longSeries: [ChartPoint] = (0..<200).map { index in
        let wave = 6 * sin(Double(index) / 9) + Double(index) / 12
        return ChartPoint(
            date: adding(index * 4, to: day(2024, 1, 8)), value: 14 + wave, flagged: index == 150)
    }

    static let all: [ChartScenario] = [
        ChartScenario(name: "ors-course", panels: [orsPanel()]),
        ChartScenario(name: "ors-course-da", panels: [orsPanel()], labels: .danish),
        ChartScenario(name: "ors-expected-band", panels: [orsPanel(expected: true)]),
        ChartScenario(name: "ors-srs", panels: [orsPanel(), srsPanel]),
        ChartScenario(name: "gbo-three-goals", panels: [gboPanel]),
        ChartScenario(name: "inspire-o", panels: [inspirePanel]),
        ChartScenario(name: "one-point", panels: [single("ORS", points([day(2026, 3, 14)], [22]))]),
        ChartScenario(name: "no-data", panels: [single("ORS", [])]),
        ChartScenario(name: "no-data-da", panels: [single("ORS", [])], labels: .danish),
        ChartScenario(
            name: "flat",
            panels: [single("ORS", points(meetings, Array(repeating: 30, count: meetings.count)))]),
        ChartScenario(
            name: "long-gap",
            panels: [
                single(
                    "ORS",
                    points(
                        [
                            day(2025, 2, 3), day(2025, 2, 17), day(2025, 3, 3), day(2025, 3, 17),
                            day(2025, 11, 17), day(2025, 12, 1), day(2026, 1, 5),
                        ], [16, 19, 22, 24, 12, 17, 21], flagged: [4]))
            ]),
        ChartScenario(name: "long-series", panels: [single("ORS", longSeries)], width: 60),
        ChartScenario(
            name: "range-ends",
            panels: [single("ORS", points(Array(meetings.prefix(6)), [0, 40, 0, 40, 25, 40]))]),
        ChartScenario(
            name: "same-day",
            panels: [single("ORS", points(Array(repeating: day(2026, 3, 14), count: 3), [20, 24, 31]))]),
    ]
}
