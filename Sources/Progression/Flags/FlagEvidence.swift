import InstrumentModel
import Support

/// A flag's evidence: worded text, or the numbers a rule found, worded only when read (a team
/// review lists a hundred thousand flags and shows the evidence of none).
/// Boxed, so a flag stays small to copy and to hold.
indirect enum FlagEvidence: Sendable {
    case worded(LocalizedText)
    case found(Finding)

    var text: LocalizedText {
        switch self {
        case .worded(let text): return text
        case .found(let finding): return finding.text
        }
    }
}

/// What one check of a flag rule found at a measurement, with what its wording needs.
struct Finding: Sendable {
    /// The numbers, by rule.
    enum Numbers: Sendable {
        case belowBand(intake: Double, score: Double, band: ExpectedBands.Band)
        case notImproving(intake: Double, score: Double, change: Double, threshold: Double?)
        case deterioration(
            from: FlagRule.Baseline, base: Double, score: Double, change: Double, rci: Double?,
            threshold: Double?)
        case worseThan(score: Double, value: Double)
        case drop(from: FlagRule.Baseline, base: Double, score: Double, worse: Double)
        case goalStalled(value: Double, ratings: Int)
        case goalReached(value: Double, of: Double)
        case overdue(last: Day, limit: Int)
        case companionMissing(companion: String)

        /// Whether the flag reads against the expected band (its own reason and question).
        var againstBand: Bool {
            if case .belowBand = self { return true } else { return false }
        }
    }

    var numbers: Numbers
    /// The measurement's position in its series (its session number less one).
    var index: Int
    /// The measurement's meeting day.
    var day: Day
    var abbreviation: String
    var higherIsBetter: Bool
    var today: Day
    /// The goal's text, for goal rules.
    var goal: String?

    /// The evidence in words.
    var text: LocalizedText {
        func number(_ value: Double) -> (String, String) {
            let text = JSONValue.numberText(roundTo(value, decimals: 2))
            return (Language.da.decimal(text), text)
        }
        func evidence(_ da: String, _ en: String) -> LocalizedText { LocalizedText(da: da, en: en) }
        switch numbers {
        case .belowBand(let intake, let score, let band):
            let (low, high) = (number(band.low), number(band.high))
            let (i, s) = (number(intake), number(score))
            return evidence(
                "Måling \(index + 1): \(s.0), under det forventede bånd \(low.0)–\(high.0) (fra \(band.cases) lignende forløb i denne database; start \(i.0)).",
                "Measurement \(index + 1): \(s.1), below the expected band \(low.1)–\(high.1) (from \(band.cases) similar courses in this store; intake \(i.1))."
            )
        case .notImproving(let intake, let score, let change, let threshold):
            let (i, s) = (number(intake), number(score))
            let needed = threshold.map(number) ?? ("–", "–")
            let changed = number(change)
            return evidence(
                "Start \(i.0), måling \(index + 1): \(s.0); ændring \(changed.0), pålidelig bedring kræver \(needed.0) point.",
                "Intake \(i.1), measurement \(index + 1): \(s.1); change \(changed.1), reliable improvement needs \(needed.1) points."
            )
        case .deterioration(let from, let base, let score, let change, let rci, let threshold):
            let (b, s, c) = (number(base), number(score), number(change))
            let rciText = rci.map { number($0) }.map { (", RCI \($0.0)", ", RCI \($0.1)") } ?? ("", "")
            let threshold = threshold.map(number) ?? ("–", "–")
            return from == .intake
                ? evidence(
                    "Start \(b.0) → måling \(index + 1): \(s.0) (ændring \(c.0)\(rciText.0); grænse \(threshold.0) point).",
                    "Intake \(b.1) → measurement \(index + 1): \(s.1) (change \(c.1)\(rciText.1); threshold \(threshold.1) points)."
                )
                : evidence(
                    "Måling \(index): \(b.0) → måling \(index + 1): \(s.0) (ændring \(c.0)\(rciText.0); grænse \(threshold.0) point).",
                    "Measurement \(index): \(b.1) → measurement \(index + 1): \(s.1) (change \(c.1)\(rciText.1); threshold \(threshold.1) points)."
                )
        case .worseThan(let score, let value):
            let (s, v) = (number(score), number(value))
            let side = higherIsBetter ? ("under", "below") : ("over", "above")
            return evidence(
                "Måling \(index + 1) (\(day)): \(s.0), \(side.0) \(v.0).",
                "Measurement \(index + 1) (\(day)): \(s.1), \(side.1) \(v.1).")
        case .drop(let from, let base, let score, let worse):
            let (b, s, d) = (number(base), number(score), number(worse))
            return evidence(
                "\(from == .intake ? "Start" : "Måling \(index)"): \(b.0) → måling \(index + 1): \(s.0), \(d.0) point dårligere.",
                "\(from == .intake ? "Intake" : "Measurement \(index)"): \(b.1) → measurement \(index + 1): \(s.1), \(d.1) \(worse == 1 ? "point" : "points") worse."
            )
        case .goalStalled(let value, let ratings):
            let v = number(value)
            let text = goal ?? ""
            return evidence(
                "Målet \"\(text)\" er vurderet \(v.0) \(ratings) gange i træk.",
                "The goal \"\(text)\" was rated \(v.1) \(ratings) times in a row.")
        case .goalReached(let value, let of):
            let v = number(value)
            let text = goal ?? ""
            return evidence(
                "Målet \"\(text)\" er vurderet \(v.0) af \(number(of).0).",
                "The goal \"\(text)\" was rated \(v.1) of \(number(of).1).")
        case .overdue(let last, let days):
            return evidence(
                "Seneste \(abbreviation): \(last), \(today - last) dage siden (grænse \(days) dage).",
                "Latest \(abbreviation): \(last), \(today - last) days ago (limit \(days) days).")
        case .companionMissing(let companion):
            return evidence(
                "Mødet \(day) har \(abbreviation), men ingen \(companion.uppercased()).",
                "The meeting on \(day) has \(abbreviation) but no \(companion.uppercased()).")
        }
    }
}
