/// How an instrument's answers become scores.
package struct Scoring: Sendable, Hashable {
    /// How item values combine into the total.
    package enum Method: String, Sendable, Hashable, CaseIterable {
        case sum
        case mean
    }

    /// Which way is better.
    package enum Direction: String, Sendable, Hashable, CaseIterable {
        case higherIsBetter
        case lowerIsBetter

        /// +1 when higher is better, −1 when lower is better (Jacobson & Truax's `dir`).
        /// Inlinable: the flag rules and reports read it for every measurement.
        @inlinable package var sign: Double {
            if case .higherIsBetter = self { 1 } else { -1 }
        }
    }

    package var method: Method
    /// The total is `multiplier × (sum or mean) + offset`, e.g. Brief INSPIRE-O's sum × 5.
    package var multiplier: Double
    package var offset: Double
    /// The range the total can take.
    package var range: ClosedRange<Double>
    package var direction: Direction
    /// Decimals the total is rounded to (half away from zero).
    package var decimals: Int
    /// How many scored items may be skipped and still give a total; a sum is then prorated.
    package var maxSkipped: Int
    package var subscales: [Subscale]
    /// Notes on the scoring, e.g. that a conversion is unverified.
    package var provenance: Provenance
    /// Whether the direction was stated; false for a questionnaire imported from FHIR, which
    /// cannot say which way is better. Until it is stated no flags are raised and no change is
    /// categorised, rather than guessing one way (file: `"direction": "unset"`).
    package var directionStated: Bool
    /// Items of an imported questionnaire that are computed, not asked (FHIR calculated
    /// expressions, such as a stated total): a response's value for them is compared with the
    /// recomputed total and never stored.
    package var statedTotals: [String]

    package init(
        method: Method, multiplier: Double = 1, offset: Double = 0, range: ClosedRange<Double>,
        direction: Direction = .higherIsBetter, decimals: Int = 1, maxSkipped: Int = 0,
        subscales: [Subscale] = [], provenance: Provenance = .confirmed, directionStated: Bool = true,
        statedTotals: [String] = []
    ) {
        self.method = method
        self.multiplier = multiplier
        self.offset = offset
        self.range = range
        self.direction = direction
        self.decimals = decimals
        self.maxSkipped = maxSkipped
        self.subscales = subscales
        self.provenance = provenance
        self.directionStated = directionStated
        self.statedTotals = statedTotals
    }
}

/// A score over some of the items.
package struct Subscale: Sendable, Hashable {
    package var id: String
    package var label: LocalizedText
    package var items: [String]
    package var method: Scoring.Method
    package var multiplier: Double

    package init(
        id: String, label: LocalizedText, items: [String], method: Scoring.Method, multiplier: Double = 1
    ) {
        self.id = id
        self.label = label
        self.items = items
        self.method = method
        self.multiplier = multiplier
    }
}
