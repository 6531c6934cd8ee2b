import InstrumentModel
import Support

/// The range of scores by session number seen in this store's own cases that started at a
/// similar score: an open alternative to proprietary expected-response curves.
///
/// Method: cases with at least `minimumAdministrations` administrations of the instrument are
/// grouped by intake score into four equal bands of the score range. For each group and session
/// number, the 10th and 90th percentiles of the scores form the band (linear interpolation
/// between order statistics). A band is used only when at least `minimumCases` cases back that
/// session; otherwise callers fall back to the reliable-change band around intake.
package struct ExpectedBands: Sendable, Hashable, Codable {
    package struct Band: Sendable, Hashable, Codable {
        package var low: Double
        package var high: Double
        /// How many cases back it.
        package var cases: Int
    }

    package struct Settings: Sendable, Hashable, Codable {
        package var minimumAdministrations: Int
        package var minimumCases: Int
        package var lowPercentile: Double
        package var highPercentile: Double
        package static let `default` = Settings(
            minimumAdministrations: 4, minimumCases: 20, lowPercentile: 0.10, highPercentile: 0.90)
    }

    package var instrument: String
    package var settings: Settings
    private var range: ClosedRange<Double>
    /// Bands by intake group (0–3) and session number (1…).
    private var bands: [Int: [Int: Band]]

    /// Learns the bands for `instrument` from `cases`.
    package init(instrument: Instrument, cases: some Sequence<CaseHistory>, settings: Settings = .default) {
        self.init(
            instrument: instrument, totals: cases.lazy.map { $0.series(instrument.id).totals },
            settings: settings)
    }

    /// Learns the bands for `instrument` from each case's totals of it in order (nil where a
    /// measurement has none), as `CaseIndex.totals` gives them.
    package init(
        instrument: Instrument, totals cases: some Sequence<[Double?]>, settings: Settings = .default
    ) {
        self.instrument = instrument.id
        self.settings = settings
        range = instrument.scoring.range
        // Scores by intake group, then by session number from 0; nil for a group no case is in.
        var scores: [[[Double]]?] = Array(repeating: nil, count: 4)
        for series in cases {
            guard series.count >= settings.minimumAdministrations,
                series.lazy.filter({ $0 != nil }).count >= settings.minimumAdministrations,
                let intake = series.lazy.compactMap({ $0 }).first
            else { continue }
            let group = Self.group(intake, range: instrument.scoring.range)
            var sessions = scores[group] ?? []
            scores[group] = nil
            var session = 0
            for total in series {
                guard let score = total else { continue }
                if session == sessions.count { sessions.append([]) }
                sessions[session].append(score)
                session += 1
            }
            scores[group] = sessions
        }
        var bands: [Int: [Int: Band]] = [:]
        for (group, sessions) in scores.enumerated() {
            guard let sessions else { continue }
            var byNumber: [Int: Band] = [:]
            for (index, values) in sessions.enumerated() where values.count >= settings.minimumCases {
                let sorted = values.sorted()
                byNumber[index + 1] = Band(
                    low: Self.percentile(sorted, settings.lowPercentile),
                    high: Self.percentile(sorted, settings.highPercentile),
                    cases: sorted.count)
            }
            bands[group] = byNumber
        }
        self.bands = bands
    }

    /// Returns the band for a case with `intake` at `session`, or nil when too few cases back it.
    package func band(intake: Double, session: Int) -> Band? {
        bands[Self.group(intake, range: range)]?[session]
    }

    /// The bands laid out for looking up at every measurement: what `band(intake:session:)` gives,
    /// as `table.sessions(intake:)[session]` (nil past its end).
    var table: Table {
        var groups = [[Band?]](repeating: [], count: 4)
        for (group, byNumber) in bands where (0..<4).contains(group) {
            guard let highest = byNumber.keys.max(), highest >= 0 else { continue }
            var sessions = [Band?](repeating: nil, count: highest + 1)
            for (session, band) in byNumber where session >= 0 { sessions[session] = band }
            groups[group] = sessions
        }
        return Table(range: range, groups: groups)
    }

    /// Each intake group's bands by session number; a class, so that looking it up for every case
    /// copies no array.
    final class Table: Sendable {
        let range: ClosedRange<Double>
        let groups: [[Band?]]

        init(range: ClosedRange<Double>, groups: [[Band?]]) {
            self.range = range
            self.groups = groups
        }

        /// The bands of the intake group of `intake`, by session number.
        func sessions(intake: Double) -> [Band?] { groups[ExpectedBands.group(intake, range: range)] }
    }

    static func group(_ intake: Double, range: ClosedRange<Double>) -> Int {
        let width = (range.upperBound - range.lowerBound) / 4
        return min(3, max(0, Int(saturating: (intake - range.lowerBound) / width)))
    }

    /// The `p` quantile of sorted values, interpolating linearly between order statistics (type 7).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
