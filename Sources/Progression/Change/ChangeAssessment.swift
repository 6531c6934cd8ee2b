import InstrumentModel

/// The outcome of a case between two administrations, after Jacobson & Truax (1991).
package enum OutcomeCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// Reliable improvement, from the clinical range to the functional range.
    case recovered
    /// Reliable improvement that is not recovery.
    case improved
    /// No reliable change.
    case unchanged
    /// Reliable change for the worse.
    case deteriorated
    /// Not categorised: the instrument's direction is not stated yet (an imported questionnaire),
    /// so neither better nor worse can be told.
    case undetermined
}

/// What the change between a first (pre) and a later (post) score means.
package struct ChangeAssessment: Sendable, Hashable {
    package var pre: Double
    package var post: Double
    /// `post − pre` in the instrument's own points.
    package var change: Double
    /// `change / Sdiff` when the instrument declares reliability and SD (or an SEM); nil when its
    /// reliable change is stated in points.
    package var rci: Double?
    /// The smallest reliable change in points, if the instrument has one.
    package var threshold: Double?
    /// +1 for a reliable improvement, −1 for a reliable deterioration, 0 otherwise.
    package var reliableDirection: Int
    /// The cut-off used, if the instrument has one.
    package var cutoff: Double?
    package var preStanding: Standing?
    package var postStanding: Standing?
    package var category: OutcomeCategory
}

/// Computes reliable change and categories from an instrument's declared parameters.
package enum ChangeCalculator {
    /// The critical value of a two-sided 5 % test, as Jacobson & Truax use it.
    package static let critical = 1.96

    /// Returns the assessment of the change from `pre` to `post` for `instrument`.
    ///
    /// With reliability and SD (or an SEM), `RCI = (post − pre) / Sdiff` and the change is reliable
    /// when `|RCI| > 1.96` (strictly, as in the R package clinicalsignificance). With a threshold in
    /// points (ORS: 5), a change of at least that many points is reliable, as the instruments'
    /// literature words it. Both read the direction from the instrument.
    package static func assess(pre: Double, post: Double, instrument: Instrument, age: Int? = nil)
        -> ChangeAssessment
    {
        ChangeRule(instrument).assess(pre: pre, post: post, age: age)
    }
}

/// An instrument's reliable change and cut-offs, looked up once for many assessments with it
/// (the flag engine assesses every measurement of every case).
package struct ChangeRule: Sendable {
    let direction: Scoring.Direction
    /// False until the instrument states which way is better: then no change is reliable and
    /// none is categorised, rather than a category read in a guessed direction.
    let directionStated: Bool
    /// `Sdiff`, when the instrument declares reliability and SD (or an SEM).
    let sdiff: Double?
    /// The reliable change in points, when the instrument states it so.
    let points: Double?
    let threshold: Double?
    /// Each cut-off's age band and score, in the instrument's order.
    let cutoffs: [(ages: AgeBand?, value: Double)]
    /// Whether any cut-off has an age band; the cut-off of an age no band holds (or of no age):
    /// worked out once, as every assessment needs a cut-off.
    private let banded: Bool
    private let unbanded: Double?
    /// `direction.sign` and `ChangeCalculator.critical`, read once rather than at every assessment.
    private let sign: Double
    private let critical: Double

    package init(_ instrument: Instrument) {
        let direction = instrument.scoring.direction
        self.direction = direction
        directionStated = instrument.scoring.directionStated
        let reliableChange = instrument.interpretation.reliableChange
        sdiff = reliableChange?.standardErrorOfDifference
        if case .points(let points) = reliableChange?.method { self.points = points } else { points = nil }
        threshold = reliableChange?.threshold
        let cutoffs: [(ages: AgeBand?, value: Double)] = instrument.interpretation.cutoffs.map {
            ($0.ages, $0.value(direction: direction))
        }
        self.cutoffs = cutoffs
        banded = cutoffs.contains { $0.ages != nil }
        unbanded = (cutoffs.first { $0.ages == nil } ?? cutoffs.first)?.value
        sign = direction.sign
        critical = ChangeCalculator.critical
    }

    /// The cut-off score as `Interpretation.cutoff(forAge:)` chooses it.
    func cutoff(forAge age: Int?) -> Double? {
        if banded, let age, let match = cutoffs.first(where: { $0.ages?.contains(age) ?? false }) {
            return match.value
        }
        return unbanded
    }

    /// Returns the assessment of the change from `pre` to `post`, as `ChangeCalculator.assess`.
    package func assess(pre: Double, post: Double, age: Int?) -> ChangeAssessment {
        let change = post - pre
        guard directionStated else {
            return ChangeAssessment(
                pre: pre, post: post, change: change, rci: nil, threshold: nil, reliableDirection: 0,
                cutoff: nil, preStanding: nil, postStanding: nil, category: .undetermined)
        }
        let better = change * sign
        var rci: Double?
        var reliable = 0
        if let sdiff {
            let value = change / sdiff
            rci = value
            // The tolerance keeps a change exactly on the threshold from passing by rounding noise.
            if abs(value) > critical + 1e-9 { reliable = better > 0 ? 1 : -1 }
        } else if let points, abs(better) >= points - 1e-9 {
            reliable = better > 0 ? 1 : -1
        }
        let cutoff = cutoff(forAge: age)
        let preStanding = cutoff.map { Standing(pre, cutoff: $0, direction: direction) }
        let postStanding = cutoff.map { Standing(post, cutoff: $0, direction: direction) }
        let category: OutcomeCategory
        switch reliable {
        case 1:
            // Patterns rather than `==`, which compares optionals through a generic witness.
            let recovered =
                if case .clinical? = preStanding, case .functional? = postStanding { true } else { false }
            category = recovered ? .recovered : .improved
        case -1: category = .deteriorated
        default: category = .unchanged
        }
        return ChangeAssessment(
            pre: pre, post: post, change: change, rci: rci, threshold: threshold,
            reliableDirection: reliable, cutoff: cutoff, preStanding: preStanding, postStanding: postStanding,
            category: category)
    }
}
