import Foundation

/// How to read an instrument's total: cut-offs and reliable change.
package struct Interpretation: Sendable, Hashable {
    /// Clinical cut-offs, possibly one per age band; the first whose band holds the age applies.
    package var cutoffs: [Cutoff]
    package var reliableChange: ReliableChange?

    package init(cutoffs: [Cutoff] = [], reliableChange: ReliableChange? = nil) {
        self.cutoffs = cutoffs
        self.reliableChange = reliableChange
    }

    /// Returns the cut-off for a respondent of `age` (nil age: the first cut-off without an age
    /// band, else the first), or nil when the instrument has none.
    package func cutoff(forAge age: Int?) -> Cutoff? {
        if let age, let match = cutoffs.first(where: { $0.ages?.contains(age) ?? false }) {
            return match
        }
        return cutoffs.first { $0.ages == nil } ?? cutoffs.first
    }
}

/// A clinical cut-off: a number, or the norms it is computed from.
package struct Cutoff: Sendable, Hashable {
    package enum Rule: Sendable, Hashable {
        case fixed(Double)
        case norms(Norms)
    }

    /// The ages it applies to; nil for everyone.
    package var ages: AgeBand?
    package var rule: Rule
    package var provenance: Provenance

    package init(ages: AgeBand? = nil, rule: Rule, provenance: Provenance = .confirmed) {
        self.ages = ages
        self.rule = rule
        self.provenance = provenance
    }

    /// Returns the cut-off score for an instrument scored in `direction`.
    package func value(direction: Scoring.Direction) -> Double {
        switch rule {
        case .fixed(let value): return value
        case .norms(let norms): return norms.cutoff(direction: direction)
        }
    }
}

/// A mean and a standard deviation.
package struct MeanSD: Sendable, Hashable {
    package var mean: Double
    package var sd: Double

    package init(mean: Double, sd: Double) {
        self.mean = mean
        self.sd = sd
    }
}

/// Clinical and functional norms, from which Jacobson & Truax (1991) derive a cut-off.
package struct Norms: Sendable, Hashable {
    /// Jacobson & Truax's three cut-offs.
    package enum CutoffType: String, Sendable, Hashable, CaseIterable {
        /// Two standard deviations beyond the clinical mean, towards better.
        case a
        /// Two standard deviations from the functional mean, towards worse.
        case b
        /// The point between the two means weighted by their standard deviations.
        case c
    }

    package var clinical: MeanSD
    package var functional: MeanSD?
    package var type: CutoffType

    package init(clinical: MeanSD, functional: MeanSD?, type: CutoffType) {
        self.clinical = clinical
        self.functional = functional
        self.type = type
    }

    /// Returns the cut-off: a = Mclin + dir·2·SDclin, b = Mfunc − dir·2·SDfunc,
    /// c = (SDclin·Mfunc + SDfunc·Mclin) / (SDclin + SDfunc), where dir is +1 when higher is better.
    ///
    /// Types b and c need functional norms; validation guarantees them.
    package func cutoff(direction: Scoring.Direction) -> Double {
        let dir = direction.sign
        switch type {
        case .a:
            return clinical.mean + dir * 2 * clinical.sd
        case .b:
            let functional = self.functional!
            return functional.mean - dir * 2 * functional.sd
        case .c:
            let functional = self.functional!
            return (clinical.sd * functional.mean + functional.sd * clinical.mean)
                / (clinical.sd + functional.sd)
        }
    }
}

/// How large a change must be to be more than measurement error.
package struct ReliableChange: Sendable, Hashable {
    package enum Method: Sendable, Hashable {
        /// A change of at least this many points is reliable (e.g. ORS: 5).
        case points(Double)
        /// Jacobson & Truax from the instrument's declared reliability and standard deviation.
        case reliability(r: Double, sd: Double)
        /// Jacobson & Truax from a declared standard error of measurement.
        case standardError(Double)
    }

    package var method: Method
    package var provenance: Provenance

    package init(method: Method, provenance: Provenance = .confirmed) {
        self.method = method
        self.provenance = provenance
    }

    /// The standard error of the difference between two scores, `sqrt(2·SE²)`, where
    /// `SE = SD·sqrt(1 − r)`; nil when the threshold is stated in points.
    package var standardErrorOfDifference: Double? {
        switch method {
        case .points: return nil
        case .reliability(let r, let sd):
            let se = sd * (1 - r).squareRoot()
            return (2 * se * se).squareRoot()
        case .standardError(let se):
            return (2 * se * se).squareRoot()
        }
    }

    /// The smallest change in points that counts as reliable (for Jacobson & Truax, 1.96·Sdiff).
    package var threshold: Double {
        switch method {
        case .points(let points): return points
        case .reliability, .standardError: return 1.96 * standardErrorOfDifference!
        }
    }
}

/// Where a score stands against a clinical cut-off.
package enum Standing: String, Sendable, Hashable, Codable {
    /// Worse than the cut-off.
    case clinical
    /// Exactly on it: neither clinical nor functional (Jacobson & Truax's strict reading).
    case onCutoff
    /// Better than the cut-off.
    case functional

    /// Returns where `score` stands against `cutoff` for an instrument scored in `direction`.
    /// Inlinable: the flag rules and reports ask it for every measurement.
    @inlinable package init(_ score: Double, cutoff: Double, direction: Scoring.Direction) {
        let difference = (score - cutoff) * direction.sign
        if abs(difference) < 1e-9 {
            self = .onCutoff
        } else {
            self = difference < 0 ? .clinical : .functional
        }
    }
}
