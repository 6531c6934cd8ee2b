import Testing

@testable import InstrumentModel

// The test vectors of DOMAIN.md §4 (Jacobson & Truax 1991).

@Test func sdiffFromReliabilityAndSD() throws {
    let change = ReliableChange(method: .reliability(r: 0.8, sd: 5))
    let sdiff = try #require(change.standardErrorOfDifference)
    #expect(abs(sdiff - 3.1623) < 0.0001)
    #expect(abs(8 / sdiff - 2.5298) < 0.0001)
}

@Test func thresholdFromStandardError() throws {
    let change = ReliableChange(method: .standardError(3.07))
    #expect(abs(change.standardErrorOfDifference! - 4.34) < 0.005)
    #expect(abs(change.threshold - 8.51) < 0.005)
    #expect(35 - 24 > change.threshold)
}

@Test(arguments: [(Norms.CutoffType.a, 55.0), (.b, 45), (.c, 50)])
func cutoffsFromNormsHigherIsBetter(type: Norms.CutoffType, expected: Double) {
    let norms = Norms(clinical: MeanSD(mean: 40, sd: 7.5), functional: MeanSD(mean: 60, sd: 7.5), type: type)
    #expect(norms.cutoff(direction: .higherIsBetter) == expected)
}

@Test(arguments: [(Norms.CutoffType.a, 45.0), (.b, 55), (.c, 50)])
func cutoffsFromNormsLowerIsBetter(type: Norms.CutoffType, expected: Double) {
    // Mirror image: the clinical population scores high (60), the functional one low (40).
    let norms = Norms(clinical: MeanSD(mean: 60, sd: 7.5), functional: MeanSD(mean: 40, sd: 7.5), type: type)
    #expect(norms.cutoff(direction: .lowerIsBetter) == expected)
}

@Test func cutoffCWeighsByTheStandardDeviations() {
    let norms = Norms(clinical: MeanSD(mean: 20, sd: 10), functional: MeanSD(mean: 30, sd: 5), type: .c)
    // (10·30 + 5·20) / 15 = 26.67: nearer the mean with the smaller spread.
    #expect(abs(norms.cutoff(direction: .higherIsBetter) - 26.6667) < 0.0001)
}
