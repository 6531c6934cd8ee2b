/// The scores computed from one administration's answers.
package struct ScoreResult: Sendable, Hashable {
    /// The total, or nil when more items were skipped than the instrument allows.
    package var total: Double?
    /// Subscale scores by subscale id (and, for a goal-based instrument, each goal's rating by goal id).
    package var parts: [String: Double]
    /// The ids of scored items that were skipped.
    package var skipped: [String]

    package init(total: Double?, parts: [String: Double], skipped: [String]) {
        self.total = total
        self.parts = parts
        self.skipped = skipped
    }
}

extension ScoreResult {
    /// The scores as a record keeps them: each part by its id, and the total under "total".
    package var stored: [String: Double] {
        var scores = parts
        if let total { scores["total"] = total }
        return scores
    }
}

/// Scores answers by an instrument's declared rules.
package enum Scorer {
    /// Returns the scores for `answers`, keyed by item id (by goal id for a goal-based instrument).
    ///
    /// The total is `multiplier × (sum or mean of item values) + offset`, rounded half away from
    /// zero to the instrument's decimals. When scored items are skipped and the instrument allows
    /// that many, a sum is prorated (mean of the answered items × number of items), which keeps
    /// totals comparable; more skipped items than allowed give no total.
    /// - Throws: `InstrumentError.notScorable` when a required item has no answer, an answer is
    ///   of the wrong kind or outside the item's range, or an answer names no item.
    package static func score(_ instrument: Instrument, answers: [String: ItemAnswer]) throws(InstrumentError)
        -> ScoreResult
    {
        let scoring = instrument.scoring
        if let goals = instrument.goals {
            var ratings: [String: Double] = [:]
            for (goal, answer) in answers {
                guard case .number(let value) = answer, value >= goals.rating.min, value <= goals.rating.max
                else {
                    throw .notScorable(
                        instrument: instrument.id,
                        reason: LocalizedText(
                            da:
                                "vurderingen af mål \(goal) skal være et tal fra \(formatDa(goals.rating.min)) til \(formatDa(goals.rating.max))",
                            en:
                                "the rating of goal \(goal) must be a number from \(format(goals.rating.min)) to \(format(goals.rating.max))"
                        ))
                }
                ratings[goal] = value
            }
            guard !ratings.isEmpty else {
                throw .notScorable(
                    instrument: instrument.id,
                    reason: LocalizedText(da: "intet mål blev vurderet", en: "no goal was rated"))
            }
            let total = combine(Array(ratings.values), method: scoring.method, count: ratings.count)
            return ScoreResult(
                total: finish(total, scoring), parts: ratings, skipped: [])
        }

        for key in answers.keys where instrument.item(key) == nil {
            throw .notScorable(
                instrument: instrument.id,
                reason: LocalizedText(da: "der er intet spørgsmål '\(key)'", en: "there is no item '\(key)'"))
        }
        var values: [String: Double] = [:]
        var skipped: [String] = []
        for item in instrument.items {
            let answer = answers[item.id] ?? .skipped
            switch (item.kind, answer) {
            case (_, .skipped):
                guard item.optional else {
                    throw .notScorable(
                        instrument: instrument.id,
                        reason: LocalizedText(
                            da: "spørgsmålet '\(item.id)' skal besvares",
                            en: "the item '\(item.id)' must be answered"))
                }
                if item.isScored { skipped.append(item.id) }
            case (.text, .text): break
            case (.text, .number), (.scale, .text), (.choice, .text), (.number, .text):
                throw .notScorable(
                    instrument: instrument.id,
                    reason: LocalizedText(
                        da: "svaret på '\(item.id)' passer ikke til spørgsmålets slags (\(item.kind.name))",
                        en: "the answer to '\(item.id)' is not of the item's kind (\(item.kind.name))"))
            case (_, .number(let value)):
                guard isValid(value, for: item.kind) else {
                    throw .notScorable(
                        instrument: instrument.id,
                        reason: LocalizedText(
                            da: "\(formatDa(value)) er ikke et gyldigt svar på '\(item.id)'",
                            en: "\(format(value)) is not a valid answer to '\(item.id)'"))
                }
                // An item asked but not scored is checked like the others, then left out of the sums.
                if item.isScored { values[item.id] = value }
            }
        }
        let scoredCount = instrument.items.filter(\.isScored).count
        var parts: [String: Double] = [:]
        for subscale in scoring.subscales {
            let subValues = subscale.items.compactMap { values[$0] }
            guard subValues.count == subscale.items.count, !subValues.isEmpty else { continue }
            parts[subscale.id] = roundTo(
                combine(subValues, method: subscale.method, count: subValues.count) * subscale.multiplier,
                decimals: scoring.decimals)
        }
        guard skipped.count <= scoring.maxSkipped, !values.isEmpty else {
            return ScoreResult(total: nil, parts: parts, skipped: skipped)
        }
        let total = combine(Array(values.values), method: scoring.method, count: scoredCount)
        return ScoreResult(total: finish(total, scoring), parts: parts, skipped: skipped)
    }

    /// Sum (prorated to `count` items when fewer answered) or mean of the values.
    private static func combine(_ values: [Double], method: Scoring.Method, count: Int) -> Double {
        // Summing in item order keeps the result independent of dictionary order.
        let sum = values.sorted().reduce(0, +)
        switch method {
        case .mean: return sum / Double(values.count)
        case .sum: return values.count == count ? sum : sum / Double(values.count) * Double(count)
        }
    }

    private static func finish(_ raw: Double, _ scoring: Scoring) -> Double {
        let value = roundTo(raw * scoring.multiplier + scoring.offset, decimals: scoring.decimals)
        return Swift.min(Swift.max(value, scoring.range.lowerBound), scoring.range.upperBound)
    }

    private static func isValid(_ value: Double, for kind: ItemKind) -> Bool {
        switch kind {
        case .scale(let scale):
            let steps = (value - scale.min) / scale.step
            return value >= scale.min && value <= scale.max && abs(steps - steps.rounded()) < 1e-6
        case .number(let range):
            return value >= range.min && value <= range.max && (!range.integer || value == value.rounded())
        case .choice(let options):
            return options.contains { $0.value == value }
        case .text:
            return false
        }
    }
}
