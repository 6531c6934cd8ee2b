import Charts
import TestSupport
import Testing

@Suite struct ChartRendererSnapshotTests {
    @Test(arguments: ChartFixtures.all)
    func unicodeChartMatchesGoldenFile(_ scenario: ChartScenario) {
        let options = ChartOptions(width: scenario.width, labels: scenario.labels)
        let chart = ChartRenderer.render(scenario.panels, options: options)
        assertSnapshot(chart + "\n", named: "\(scenario.name)-unicode")
    }

    @Test(arguments: ChartFixtures.all)
    func asciiChartMatchesGoldenFile(_ scenario: ChartScenario) {
        let options = ChartOptions(width: scenario.width, ascii: true, labels: scenario.labels)
        let chart = ChartRenderer.render(scenario.panels, options: options)
        assertSnapshot(chart + "\n", named: "\(scenario.name)-ascii")
    }
}
