/// A rule that raises a flag on a case when its scores suggest the support plan may need
/// adjusting. The thresholds are data, so an organisation can change them in its own files.
package struct FlagRule: Sendable, Hashable {
    /// Which earlier administration a change is measured from.
    package enum Baseline: String, Sendable, Hashable, CaseIterable {
        case intake
        case previous
    }

    package enum Kind: Sendable, Hashable {
        /// No reliable improvement by the given administration (counting intake as the first).
        case notOnTrack(sessions: Int)
        /// A reliable change for the worse since the baseline.
        case reliableDeterioration(from: Baseline)
        /// A total worse than the value (below it when higher is better).
        case worseThan(Double)
        /// A total worse than the baseline's by at least the given points.
        case drop(from: Baseline, points: Double)
        /// A goal whose rating has not moved for the given number of ratings.
        case goalStalled(ratings: Int)
        /// A goal rated at or beyond the value: time to set new goals.
        case goalReached(Double)
        /// An active case with no administration for the given number of days.
        case overdue(days: Int)
        /// A meeting with this instrument but none with the companion (ORS without SRS).
        case companionMissing(instrument: String)
    }

    package var kind: Kind
    package var provenance: Provenance

    package init(kind: Kind, provenance: Provenance = .confirmed) {
        self.kind = kind
        self.provenance = provenance
    }

    /// The rule's name as written in instrument files and flag ids.
    package var name: String {
        switch kind {
        case .notOnTrack: return "notOnTrack"
        case .reliableDeterioration: return "reliableDeterioration"
        case .worseThan: return "worseThan"
        case .drop: return "drop"
        case .goalStalled: return "goalStalled"
        case .goalReached: return "goalReached"
        case .overdue: return "overdue"
        case .companionMissing: return "companionMissing"
        }
    }

    /// Every rule name an instrument file may use.
    package static let names = [
        "notOnTrack", "reliableDeterioration", "worseThan", "drop", "goalStalled", "goalReached", "overdue",
        "companionMissing",
    ]
}
