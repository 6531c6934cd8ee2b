/// How an instrument's answers become scores.
public struct Scoring: Sendable, Hashable {
    /// How item values combine into the total.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case sum
        case mean
    }

    /// Which way is better.
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        case higherIsBetter
        case lowerIsBetter

        /// +1 when higher is better, −1 when lower is better (Jacobson & Truax's `dir`).
        public var sign: Double { self == .higherIsBetter ? 1 : -1 }
    }

    public var method: Method
    /// The total is `multiplier × (sum or mean) + offset`, e.g. Brief INSPIRE-O's sum × 5.
    public var multiplier: Double
    public var offset: Double
    /// The range the total can take.
    public var range: ClosedRange<Double>
    public var direction: Direction
    /// Decimals the total is rounded to (half away from zero).
    public var decimals: Int
    /// How many scored items may be skipped and still give a total; a sum is then prorated.
    public var maxSkipped: Int
    public var subscales: [Subscale]
    /// Notes on the scoring, e.g. that a conversion is unverified.
    public var provenance: Provenance
    /// Whether the direction was stated; false for a questionnaire imported from FHIR, which
    /// cannot say which way is better. Until it is stated no flags are raised and no change is
    /// categorised, rather than guessing one way (file: `"direction": "unset"`).
    public var directionStated: Bool
    /// Items of an imported questionnaire that are computed, not asked (FHIR calculated
    /// expressions, such as a stated total): a response's value for them is compared with the
    /// recomputed total and never stored.
    public var statedTotals: [String]

    public init(
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
public struct Subscale: Sendable, Hashable {
    public var id: String
    public var label: LocalizedText
    public var items: [String]
    public var method: Scoring.Method
    public var multiplier: Double

    public init(
        id: String, label: LocalizedText, items: [String], method: Scoring.Method, multiplier: Double = 1
    ) {
        self.id = id
        self.label = label
        self.items = items
        self.method = method
        self.multiplier = multiplier
    }
}
