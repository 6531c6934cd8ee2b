import Charts
import Testing

@Suite struct SparklineTests {
    private static let blocks = Array("▁▂▃▄▅▆▇█".unicodeScalars)

    @Test func levelsFollowTheInstrumentsFullRange() {
        #expect(Sparkline.render([0, 10, 20, 30, 40], range: 0...40, width: 10) == "▁▃▅▆█")
        #expect(Sparkline.render([0, 10, 20, 30, 40], range: 0...40, width: 10, ascii: true) == "02579")
    }

    @Test func flatHighAndFlatLowLookDifferent() {
        #expect(Sparkline.render([38, 38, 38], range: 0...40, width: 10) == "███")
        #expect(Sparkline.render([2, 2, 2], range: 0...40, width: 10) == "▁▁▁")
        #expect(Sparkline.render([38, 38, 38], range: 0...40, width: 10, ascii: true) == "999")
        #expect(Sparkline.render([2, 2, 2], range: 0...40, width: 10, ascii: true) == "000")
    }

    @Test(arguments: [0, 1, 5, 40, 41, 200], [1, 10, 40])
    func lengthIsTheSmallerOfCountAndWidth(_ count: Int, _ width: Int) {
        let values = (0..<count).map { Double($0 % 41) }
        for ascii in [false, true] {
            let line = Sparkline.render(values, range: 0...40, width: width, ascii: ascii)
            #expect(line.unicodeScalars.count == min(count, width))
        }
    }

    @Test(arguments: [3, 17, 40, 200])
    func monotoneInputGivesMonotoneLevels(_ count: Int) {
        let values = (0..<count).map { 40 * Double($0) / Double(max(count - 1, 1)) }
        for width in [5, 20, 300] {
            let levels = Sparkline.render(values, range: 0...40, width: width).unicodeScalars.map {
                Self.blocks.firstIndex(of: $0)!
            }
            #expect(levels == levels.sorted())
            if width >= count { #expect(levels.first == 0 && levels.last == 7) }
            let digits = Sparkline.render(values, range: 0...40, width: width, ascii: true).unicodeScalars.map
            {
                Int($0.value) - 48
            }
            #expect(digits == digits.sorted())
        }
    }

    @Test func longSeriesIsCombinedByMeanNotDropped() {
        #expect(Sparkline.render([0, 40, 0, 40], range: 0...40, width: 2, ascii: true) == "55")
        #expect(Sparkline.render([0, 0, 40, 40], range: 0...40, width: 2, ascii: true) == "09")
    }

    @Test func valuesOutsideTheRangeStayAtItsEndsAndNonFiniteAreIgnored() {
        #expect(Sparkline.render([-5, 50, .nan], range: 0...40, width: 10, ascii: true) == "09")
        #expect(Sparkline.render([1, 2], range: 0...40, width: 0) == "")
    }
}
