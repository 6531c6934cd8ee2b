import Testing

@testable import Charts

@Test(arguments: [
    (1e19, "1e+19"), (1e308, "1e+308"), (-1e308, "-1e+308"),
    (9_223_372_036_854_775_808.0, "9,223372036854776e+18"),
    (2.5, "2,5"), (7, "7"), (-0.0, "0"), (.nan, "nan"), (.infinity, "inf"),
])
func aChartWritesAnyNumberWithoutTrapping(value: Double, text: String) {
    #expect(ChartText.number(value, decimalSeparator: ",") == text)
}

@Test(arguments: [Double.nan, .infinity, -.infinity, 1e308, -1e308])
func aValueScalePlacesAnyValueOnARowWithoutTrapping(value: Double) {
    let scale = ValueScale(range: 0...40, rows: 10, cutoff: nil)
    #expect((0..<10).contains(scale.row(value)))
}

@Test func aValueScaleOverTheWholeDoubleRangeHasTicksWithoutTrapping() {
    let scale = ValueScale(range: -1e308...1e308, rows: 10, cutoff: nil)
    #expect(!scale.ticks().isEmpty)
}

@Test func aSparklineOfHugeValuesIsDrawnWithoutTrapping() {
    let line = Sparkline.render([1e308, 1e308, -1e308, 5], range: 0...40, width: 4, ascii: true)
    #expect(line.count == 4)
}
