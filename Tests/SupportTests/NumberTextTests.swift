import Support
import Testing

@Suite struct NumberTextTests {
    @Test(arguments: [
        (Double.nan, "nan"), (Double.infinity, "inf"), (-Double.infinity, "-inf"), (1e308, "1e+308"),
        (-1e308, "-1e+308"), (-0.0, "0"), (9_223_372_036_854_775_808.0, "9.223372036854776e+18"),
        (1e19, "1e+19"), (Double.leastNonzeroMagnitude, "5e-324"), (1e-7, "1e-07"), (5, "5"), (-12, "-12"),
        (2.5, "2.5"),
        (19.1, "19.1"), (999_999_999_999_999, "999999999999999"), (1e15, "1000000000000000"), (1e16, "1e+16"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
    ])
    func shortestNeverTrapsAndWritesWholeNumbersWithoutDecimals(value: Double, expected: String) {
        #expect(NumberText.shortest(value) == expected)
    }

    @Test(arguments: [
        (Double.nan, "nan"), (Double.infinity, "inf"), (1e308, "1e+308"), (-1e308, "-1e+308"), (-0.0, "0"),
        (-0.001, "0"), (2.345, "2,35"), (0.1 + 0.2, "0,3"), (7.0, "7"), (1e-300, "0"),
        (1e14 + 0.25, "100000000000000,25"),
    ])
    func roundedNeverTrapsAndUsesTheDecimalMark(value: Double, expected: String) {
        #expect(NumberText.rounded(value, decimals: 2, decimalSeparator: ",") == expected)
    }

    @Test func roundingLeavesValuesTooLargeForDecimalsAlone() {
        #expect(NumberText.round(1e308, decimals: 6) == 1e308)
        #expect(NumberText.round(-1e17, decimals: 6) == -1e17)
        #expect(NumberText.round(1e10 + 0.1234567, decimals: 6) == 1e10 + 0.123457)
        #expect(NumberText.round(2.5, decimals: 0) == 3)
        #expect(NumberText.round(-2.5, decimals: 0) == -3)
    }

    @Test(arguments: [
        (Double.nan, 0), (Double.infinity, Int.max), (-Double.infinity, Int.min), (1e308, Int.max),
        (-1e308, Int.min), (9_223_372_036_854_775_808.0, Int.max), (-9_223_372_036_854_775_808.0, Int.min),
        (9_223_372_036_854_774_784.0, 9_223_372_036_854_774_784), (-2.7, -2), (2.7, 2), (-0.0, 0),
    ])
    func saturatingConversionNeverTraps(value: Double, expected: Int) {
        #expect(Int(saturating: value) == expected)
    }

    @Test func appendingTheShortestTextGivesTheBytesOfShortest() {
        var state: UInt64 = 17
        var values: [Double] = [
            .nan, .infinity, -.infinity, 0, -0.0, 1e308, 1e-7, 0.05, 0.3, -0.3, 0.1 + 0.2, 19.1, 2.5,
            999_999_999.9,
            1e9 + 0.5, 1e15, 1e16, -12, Double.leastNonzeroMagnitude, 9_223_372_036_854_775_808.0,
        ]
        for tenths in -2000...2000 { values.append(Double(tenths) / 10) }
        for hundredths in -500...500 { values.append(Double(hundredths) / 100) }
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Double(Int64(bitPattern: state) >> 20) / 1000)
            values.append(Double(bitPattern: state))
        }
        for value in values {
            var bytes: [UInt8] = [1]
            NumberText.appendShortest(value, to: &bytes)
            #expect(bytes == [1] + Array(NumberText.shortest(value).utf8), "\(value)")
        }
    }

    @Test(arguments: [Int64.min, Int64.min + 1, -100, -10, -9, -1, 0, 1, 9, 10, 99, 100, 12345, Int64.max])
    func appendingAnIntegerGivesItsDigits(value: Int64) {
        var bytes: [UInt8] = []
        NumberText.appendInteger(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }
}
