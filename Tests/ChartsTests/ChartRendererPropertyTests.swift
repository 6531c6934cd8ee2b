import Charts
import Foundation
import Testing

/// Returns the lines of `chart`.
private func lines(_ chart: String) -> [String] {
    chart.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// Returns `text` without ANSI SGR sequences.
private func withoutSGR(_ text: String) -> String {
    text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
}

@Suite struct ChartRendererPropertyTests {
    @Test(arguments: 40...200)
    func everyLineFitsTheWidth(_ width: Int) {
        for scenario in ChartFixtures.all {
            for ascii in [false, true] {
                let options = ChartOptions(width: width, ascii: ascii, labels: scenario.labels)
                for line in lines(ChartRenderer.render(scenario.panels, options: options)) {
                    #expect(
                        line.unicodeScalars.count <= width,
                        "\(scenario.name), ascii \(ascii): \(line.unicodeScalars.count) > \(width): \(line)")
                }
            }
        }
    }

    @Test(arguments: 1...39)
    func tinyWidthsStillFit(_ width: Int) {
        for scenario in ChartFixtures.all {
            let options = ChartOptions(width: width, height: 3, ascii: true)
            for line in lines(ChartRenderer.render(scenario.panels, options: options)) {
                #expect(line.unicodeScalars.count <= width, "\(scenario.name): \(line)")
            }
        }
    }

    @Test func everyLineFitsTheWidthWithColour() {
        for scenario in ChartFixtures.all {
            let options = ChartOptions(width: 50, color: true)
            for line in lines(ChartRenderer.render(scenario.panels, options: options)) {
                #expect(withoutSGR(line).unicodeScalars.count <= 50, "\(scenario.name): \(line)")
            }
        }
    }

    @Test(arguments: [ChartLabels.english, .danish])
    func asciiOutputIsSevenBit(_ labels: ChartLabels) {
        var panels = ChartFixtures.all.flatMap(\.panels)
        panels.append(
            ChartPanel(
                title: "Søvn – “ønsker” på Ærø 😀",
                yRange: 0...10,
                series: [
                    ChartSeries(name: "Få venner ≥ 2", points: points(ChartFixtures.meetings, [1, 2, 3]))
                ],
                cutoff: ChartLine(value: 5, label: "grænse ±5 …"),
                reliableBand: ChartBand(label: "pålidelig ændring", low: 0, high: 3)))
        for panel in panels {
            for color in [false, true] {
                let options = ChartOptions(ascii: true, color: color, labels: labels)
                let chart = ChartRenderer.render([panel], options: options)
                let wide = chart.utf8.filter { $0 >= 128 }
                #expect(wide.isEmpty, "\(panel.title): \(chart)")
            }
        }
    }

    @Test func asciiOutputSpellsDanishLettersTheDanishWay() {
        let chart = ChartRenderer.render(
            [ChartFixtures.single("Søvn på Ærø", [])], options: ChartOptions(ascii: true, labels: .danish))
        #expect(chart == "ORS (0-40)\nIngen maalinger endnu.")
    }

    @Test(arguments: [40, 57, 80, 123, 200])
    func pointsFarApartLandInDistinctColumnsInDateOrder(_ width: Int) {
        let gaps = [0, 20, 45, 70, 130, 151, 190, 230, 260, 300]
        let values = (0..<gaps.count).map { Double($0) * 4 }
        let dates = gaps.map { adding($0, to: day(2025, 6, 2)) }
        let panel = ChartPanel(
            title: "ORS", yRange: 0...40, series: [ChartSeries(name: "ORS", points: points(dates, values))])
        let chart = ChartRenderer.render([panel], options: ChartOptions(width: width))
        var columns: [Int] = []
        for line in lines(chart).reversed() where line.contains("│") || line.contains("┤") {
            let scalars = Array(line.unicodeScalars)
            guard let column = scalars.firstIndex(of: "●") else { continue }
            #expect(scalars.filter { $0 == "●" }.count == 1, "one point per row: \(line)")
            columns.append(column)
        }
        #expect(columns.count == gaps.count, "every point drawn:\n\(chart)")
        #expect(columns == columns.sorted() && Set(columns).count == columns.count, "\n\(chart)")
    }

    @Test(arguments: [
        (0.0...40.0, 25.0), (0...40, 36), (0...40, 28), (0...100, 50), (0...10, 7), (0...10, 2.45),
    ])
    func valueOnTheCutoffIsDrawnOnTheCutoffRowAndNeighboursOnTheirSide(
        _ range: ClosedRange<Double>, _ cutoff: Double
    ) {
        for height in [4, 7, 12, 20, 31] {
            func rows(_ value: Double) -> (marker: Int?, cutoff: Int?) {
                let panel = ChartPanel(
                    title: "", yRange: range,
                    series: [
                        ChartSeries(name: "", points: [ChartPoint(date: day(2026, 1, 5), value: value)])
                    ],
                    cutoff: ChartLine(value: cutoff, label: "cut-off"))
                let chart = lines(ChartRenderer.render([panel], options: ChartOptions(height: height)))
                return (chart.firstIndex { $0.contains("●") }, chart.firstIndex { $0.contains("├") })
            }
            let on = rows(cutoff)
            #expect(on.marker != nil && on.marker == on.cutoff, "height \(height), cut-off \(cutoff)")
            let above = rows(cutoff + 0.01)
            #expect(above.marker! < above.cutoff!, "height \(height), cut-off \(cutoff)")
            let below = rows(cutoff - 0.01)
            #expect(below.marker! > below.cutoff!, "height \(height), cut-off \(cutoff)")
        }
    }

    @Test(arguments: [3, 5, 12, 25])
    func eachPanelHasTheRequestedPlotRows(_ height: Int) {
        let chart = ChartRenderer.render(
            [ChartFixtures.orsPanel(), ChartFixtures.srsPanel], options: ChartOptions(height: height))
        let plotRows = lines(chart).filter { $0.contains("│") || $0.contains("┤") || $0.contains("├") }
        #expect(plotRows.count == 2 * height)
    }

    @Test func endsOfTheRangeAreOnTheBottomAndTopRows() {
        let chart = lines(
            ChartRenderer.render([ChartFixtures.all.first { $0.name == "range-ends" }!.panels[0]]))
        let top = chart.firstIndex { $0.hasPrefix("40 ┤") }!
        let bottom = chart.firstIndex { $0.hasPrefix(" 0 ┤") }!
        #expect(chart[top].contains("●"))
        #expect(chart[bottom].contains("●"))
        #expect(chart[bottom + 1].hasPrefix("   └"))
    }

    @Test func combiningManyPointsSaysHowManyAndWhere() {
        let chart = ChartRenderer.render(
            [ChartFixtures.single("ORS", ChartFixtures.longSeries)], options: ChartOptions(width: 60))
        #expect(chart.contains("200 measurements shown in "))
        #expect(chart.contains("┆ lowest to highest in a column"))
    }

    @Test func noteIsNotShownWhenNothingIsCombined() {
        let chart = ChartRenderer.render([ChartFixtures.orsPanel()])
        #expect(!chart.contains("measurements shown"))
        #expect(!chart.contains("┆"))
    }

    @Test func colourRepeatsTheShapesAndAddsNothingElse() {
        for scenario in ChartFixtures.all {
            let plain = ChartRenderer.render(scenario.panels, options: ChartOptions(labels: scenario.labels))
            let coloured = ChartRenderer.render(
                scenario.panels, options: ChartOptions(color: true, labels: scenario.labels))
            #expect(!plain.contains("\u{1B}"))
            #expect(withoutSGR(coloured) == plain, "\(scenario.name)")
        }
        let coloured = ChartRenderer.render([ChartFixtures.orsPanel()], options: ChartOptions(color: true))
        #expect(coloured.contains("\u{1B}[1;31m▲\u{1B}[0m"))
    }

    @Test func noPanelsSaysThereAreNoMeasurements() {
        #expect(ChartRenderer.render([]) == "No measurements yet.")
        #expect(ChartRenderer.render([], options: ChartOptions(labels: .danish)) == "Ingen målinger endnu.")
    }

    @Test func aPanelWithoutDataBesideOneWithDataSaysSo() {
        let empty = ChartPanel(
            title: "SRS (0–40)", yRange: 0...40, series: [ChartSeries(name: "SRS", points: [])])
        let chart = lines(ChartRenderer.render([ChartFixtures.orsPanel(), empty]))
        #expect(chart.suffix(2) == ["SRS (0–40)", "No measurements yet."])
        #expect(chart.contains { $0.contains("12 Jan") })
    }

    @Test func datesAreLabelledInTheChosenLanguage() {
        let danish = ChartRenderer.render([ChartFixtures.orsPanel()], options: ChartOptions(labels: .danish))
        #expect(danish.contains("11 maj"))
        let english = ChartRenderer.render([ChartFixtures.orsPanel()])
        #expect(english.contains("11 May"))
    }

    @Test func yearIsShownUnderTheFirstLabelOfEachYear() {
        let chart = lines(ChartRenderer.render([ChartFixtures.inspirePanel]))
        let years = chart.last!
        #expect(years.split(separator: " ") == ["2025", "2026"])
        let labels = chart[chart.count - 2]
        let januaryStart = labels.range(of: "1 Jan")!.lowerBound
        #expect(
            years.range(of: "2026")!.lowerBound.utf16Offset(in: years) == januaryStart.utf16Offset(in: labels)
        )
    }
}
