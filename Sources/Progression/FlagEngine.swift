import Foundation
import InstrumentModel

/// Evaluates an instrument's flag rules over a case's history.
///
/// Each rule is checked at every administration in order. The first administration where it
/// holds opens a flag, whose id comes from that administration; later ones that still show it
/// update the flag's evidence. A decision closes the flag; the same condition shown again by an
/// administration recorded after the decision opens a new flag.
public struct FlagEngine: Sendable {
    public var catalogue: InstrumentCatalogue {
        didSet { prepared = Self.prepare(catalogue) }
    }
    /// Expected bands by instrument id, when learned.
    public var expected: [String: ExpectedBands]
    /// Today, for overdue readings and for meetings that may still get their SRS today.
    public var today: Day

    /// Each instrument with its rules' signatures and texts, worked out once per catalogue.
    private var prepared: [String: PreparedInstrument]

    public init(catalogue: InstrumentCatalogue, expected: [String: ExpectedBands] = [:], today: Day) {
        self.catalogue = catalogue
        self.expected = expected
        self.today = today
        prepared = Self.prepare(catalogue)
    }

    /// An instrument's flag rules, each with what every flag it raises shares.
    private struct PreparedInstrument: Sendable {
        var instrument: Instrument
        var rules: [PreparedRule]
    }

    private struct PreparedRule: Sendable {
        var rule: FlagRule
        /// The rule's text as an instrument file writes it, part of every flag id.
        var signature: String
        var texts: (reason: LocalizedText, question: LocalizedText, principle: Principle)
        /// The texts of a notOnTrack flag raised against the expected band.
        var bandTexts: (reason: LocalizedText, question: LocalizedText, principle: Principle)
    }

    private static func prepare(_ catalogue: InstrumentCatalogue) -> [String: PreparedInstrument] {
        var prepared: [String: PreparedInstrument] = [:]
        for instrument in catalogue.instruments where prepared[instrument.id] == nil {
            prepared[instrument.id] = PreparedInstrument(
                instrument: instrument,
                rules: instrument.flags.map { rule in
                    PreparedRule(
                        rule: rule, signature: InstrumentWriter.flag(rule).rendered(pretty: false),
                        texts: FlagTexts.texts(rule, instrument: instrument, variant: ""),
                        bandTexts: FlagTexts.texts(rule, instrument: instrument, variant: "band"))
                })
        }
        return prepared
    }

    /// The instrument as `InstrumentCatalogue.instrument(_:)` finds it (ids are lower case).
    private func instrument(_ id: String) -> PreparedInstrument? {
        let lowercase = id.utf8.allSatisfy { $0 < 0x80 && !(0x41...0x5A).contains($0) }
        return prepared[lowercase ? id : id.lowercased()]
    }

    /// Returns every flag of the case, open and decided, oldest first.
    public func flags(for history: CaseHistory) -> [Flag] {
        var flags: [Flag] = []
        let ended = caseEnded(history)
        for instrumentID in history.instruments {
            guard let prepared = instrument(instrumentID) else { continue }
            let series = history.series(instrumentID)
            for rule in prepared.rules {
                if case .overdue = rule.rule.kind, ended { continue }
                checks(rule.rule, instrument: prepared.instrument, series: series, history: history) {
                    goal, checks in
                    episodes(
                        checks, rule: rule, instrument: prepared.instrument, goal: goal, series: series,
                        history: history, into: &flags)
                }
            }
        }
        flags.sort { ($0.since, $0.id) < ($1.since, $1.id) }
        return flags
    }

    /// Whether the case's support has ended (E3) with no administration since.
    private func caseEnded(_ history: CaseHistory) -> Bool {
        guard let end = history.decisions.last(where: { $0.outcome == .end }) else { return false }
        return !history.readings.contains { $0.recorded > end.recorded }
    }

    /// One check: at measurement `index`, the condition holds, shown by these numbers. The
    /// numbers are worded only for the check a flag ends up showing.
    private struct Check {
        var index: Int
        var evidence: Evidence
    }

    /// The numbers behind one check, by rule.
    private enum Evidence {
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

    private func episodes(
        _ checks: [Check], rule: PreparedRule, instrument: Instrument, goal: GoalHistory?,
        series: ReadingSeries, history: CaseHistory, into flags: inout [Flag]
    ) {
        // The flag being built: its opening, the decision on it and the check that last showed it.
        var open: (id: String, since: Day, band: Bool, decision: Decision?, last: Check)?
        let lastIndex = series.count - 1
        func finish(_ entry: (id: String, since: Day, band: Bool, decision: Decision?, last: Check)) {
            let texts = entry.band ? rule.bandTexts : rule.texts
            flags.append(
                Flag(
                    id: entry.id, caseID: history.caseID, instrument: instrument.id, rule: rule.rule.name,
                    goal: goal?.id, since: entry.since, latest: series[entry.last.index].day,
                    evidence: wording(entry.last, instrument: instrument, goal: goal, series: series),
                    reason: texts.reason, question: texts.question, principle: texts.principle,
                    stillHolds: entry.last.index == lastIndex, decision: entry.decision,
                    unverified: !rule.rule.provenance.verified))
        }
        for check in checks {
            if let current = open {
                guard let decision = current.decision else {
                    open?.last = check
                    continue
                }
                if series[check.index].recorded <= decision.recorded {
                    continue  // already seen when the decision was made
                }
                finish(current)
                open = nil
            }
            let id = flagID(
                history.caseID, instrument.id, signature: rule.signature, goal: goal?.id,
                opening: series[check.index].identifier)
            let decision = history.decisions.isEmpty ? nil : history.decisions.first { $0.flag == id }
            open = (id, series[check.index].day, check.evidence.againstBand, decision, check)
        }
        if let open { finish(open) }
    }

    /// A short id that is the same every time the same administration raises the same rule.
    func flagID(_ caseID: String, _ instrument: String, _ rule: FlagRule, goal: String?, opening: String)
        -> String
    {
        let signature =
            prepared[instrument]?.rules.first { $0.rule == rule }?.signature
            ?? InstrumentWriter.flag(rule).rendered(pretty: false)
        return flagID(caseID, instrument, signature: signature, goal: goal, opening: ReadingID(opening))
    }

    /// The FNV-1a hash of `case|instrument|rule|goal|opening`, as `F` and 16 hex digits.
    private func flagID(
        _ caseID: String, _ instrument: String, signature: String, goal: String?, opening: ReadingID
    ) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        func add(_ text: String) {
            for byte in text.utf8 { add(byte) }
            add(UInt8(ascii: "|"))
        }
        add(caseID)
        add(instrument)
        add(signature)
        add(goal ?? "")
        opening.forEachByte(add)
        return String(unsafeUninitializedCapacity: 17) { buffer in
            buffer[0] = UInt8(ascii: "F")
            for offset in 0..<16 {
                let nibble = UInt8(hash >> UInt64(60 - 4 * offset) & 0xF)
                buffer[offset + 1] =
                    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 17
        }
    }

    // MARK: The rules

    /// Calls `body` with the checks of `rule`: once, or for goal rules once per goal rated.
    private func checks(
        _ rule: FlagRule, instrument: Instrument, series: ReadingSeries, history: CaseHistory,
        _ body: (GoalHistory?, [Check]) -> Void
    ) {
        let direction = instrument.scoring.direction
        var checks: [Check] = []
        switch rule.kind {
        case .notOnTrack(let sessions):
            guard let intake = series.first?.total else { return }
            let bands = expected[instrument.id]
            for index in series.indices where index + 1 >= sessions {
                guard let score = series[index].total else { continue }
                if let band = bands?.band(intake: intake, session: index + 1),
                    Standing(score, cutoff: band.low, direction: direction) == .clinical
                {
                    checks.append(
                        Check(index: index, evidence: .belowBand(intake: intake, score: score, band: band)))
                    continue
                }
                let assessment = ChangeCalculator.assess(
                    pre: intake, post: score, instrument: instrument, age: series[index].age)
                if assessment.reliableDirection != 1 && assessment.postStanding != .functional {
                    // A citizen already doing well (above the cut-off) is not "off track" for
                    // lacking further improvement; only the clinical range counts.
                    checks.append(
                        Check(
                            index: index,
                            evidence: .notImproving(
                                intake: intake, score: score, change: assessment.change,
                                threshold: assessment.threshold)))
                }
            }
        case .reliableDeterioration(let from):
            for index in series.indices.dropFirst() {
                let baseIndex = from == .intake ? 0 : index - 1
                guard let base = series[baseIndex].total, let score = series[index].total else { continue }
                let assessment = ChangeCalculator.assess(
                    pre: base, post: score, instrument: instrument, age: series[index].age)
                guard assessment.reliableDirection == -1 else { continue }
                checks.append(
                    Check(
                        index: index,
                        evidence: .deterioration(
                            from: from, base: base, score: score, change: assessment.change,
                            rci: assessment.rci,
                            threshold: assessment.threshold)))
            }
        case .worseThan(let value):
            for index in series.indices {
                guard let score = series[index].total,
                    Standing(score, cutoff: value, direction: direction) == .clinical
                else {
                    continue
                }
                checks.append(Check(index: index, evidence: .worseThan(score: score, value: value)))
            }
        case .drop(let from, let points):
            for index in series.indices.dropFirst() {
                let baseIndex = from == .intake ? 0 : index - 1
                guard let base = series[baseIndex].total, let score = series[index].total else { continue }
                let worse = (base - score) * direction.sign
                guard worse >= points - 1e-9 else { continue }
                checks.append(
                    Check(index: index, evidence: .drop(from: from, base: base, score: score, worse: worse)))
            }
        case .goalStalled(let ratings):
            let top = instrument.goals?.rating.max ?? .infinity
            goalChecks(series, history: history) { rated in
                var result: [Check] = []
                for position in rated.indices where position + 1 >= ratings {
                    let first = position + 1 - ratings
                    let value = rated[first].value
                    // A goal held at the top is reached, not stalled.
                    guard (first...position).allSatisfy({ rated[$0].value == value }), value < top else {
                        continue
                    }
                    result.append(
                        Check(
                            index: rated[position].index,
                            evidence: .goalStalled(value: value, ratings: ratings)))
                }
                return result
            } each: {
                body($0, $1)
            }
            return
        case .goalReached(let value):
            goalChecks(series, history: history) { rated in
                rated.filter { $0.value >= value - 1e-9 }.map { rating in
                    Check(index: rating.index, evidence: .goalReached(value: rating.value, of: value))
                }
            } each: {
                body($0, $1)
            }
            return
        case .overdue(let days):
            guard let last = series.last, today - last.day > days else { return }
            checks.append(Check(index: series.count - 1, evidence: .overdue(last: last.day, limit: days)))
        case .companionMissing(let companion):
            // Both series run in order of day, so one walk finds the meetings without the companion.
            let companionSeries = history.series(companion)
            var next = 0
            for index in series.indices where series[index].day < today {
                let day = series[index].day
                while next < companionSeries.count && companionSeries[next].day < day { next += 1 }
                if next < companionSeries.count && companionSeries[next].day == day { continue }
                checks.append(Check(index: index, evidence: .companionMissing(companion: companion)))
            }
        }
        body(nil, checks)
    }

    /// Runs a goal rule for each goal the case has rated with this instrument.
    private func goalChecks(
        _ series: ReadingSeries, history: CaseHistory, _ rule: ([(index: Int, value: Double)]) -> [Check],
        each body: (GoalHistory, [Check]) -> Void
    ) {
        for goal in history.goals {
            let rated = series.indices.compactMap { index in series[index].parts[goal.id].map { (index, $0) }
            }
            guard !rated.isEmpty else { continue }
            body(goal, rule(rated))
        }
    }

    // MARK: Evidence

    /// The evidence of `check` in words.
    private func wording(
        _ check: Check, instrument: Instrument, goal: GoalHistory?, series: ReadingSeries
    ) -> LocalizedText {
        func number(_ value: Double) -> (String, String) {
            let text = JSONValue.numberText(roundTo(value, decimals: 2))
            return (Language.da.decimal(text), text)
        }
        func evidence(_ da: String, _ en: String) -> LocalizedText { LocalizedText(da: da, en: en) }
        let index = check.index
        let direction = instrument.scoring.direction
        switch check.evidence {
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
            let side = direction == .higherIsBetter ? ("under", "below") : ("over", "above")
            return evidence(
                "Måling \(index + 1) (\(series[index].day)): \(s.0), \(side.0) \(v.0).",
                "Measurement \(index + 1) (\(series[index].day)): \(s.1), \(side.1) \(v.1).")
        case .drop(let from, let base, let score, let worse):
            let (b, s, d) = (number(base), number(score), number(worse))
            return evidence(
                "\(from == .intake ? "Start" : "Måling \(index)"): \(b.0) → måling \(index + 1): \(s.0), \(d.0) point dårligere.",
                "\(from == .intake ? "Intake" : "Measurement \(index)"): \(b.1) → measurement \(index + 1): \(s.1), \(d.1) \(worse == 1 ? "point" : "points") worse."
            )
        case .goalStalled(let value, let ratings):
            let v = number(value)
            let text = goal?.text ?? ""
            return evidence(
                "Målet \"\(text)\" er vurderet \(v.0) \(ratings) gange i træk.",
                "The goal \"\(text)\" was rated \(v.1) \(ratings) times in a row.")
        case .goalReached(let value, let of):
            let v = number(value)
            let text = goal?.text ?? ""
            return evidence(
                "Målet \"\(text)\" er vurderet \(v.0) af \(number(of).0).",
                "The goal \"\(text)\" was rated \(v.1) of \(number(of).1).")
        case .overdue(let last, let days):
            return evidence(
                "Seneste \(instrument.abbreviation): \(last), \(today - last) dage siden (grænse \(days) dage).",
                "Latest \(instrument.abbreviation): \(last), \(today - last) days ago (limit \(days) days).")
        case .companionMissing(let companion):
            let day = series[index].day
            return evidence(
                "Mødet \(day) har \(instrument.abbreviation), men ingen \(companion.uppercased()).",
                "The meeting on \(day) has \(instrument.abbreviation) but no \(companion.uppercased()).")
        }
    }
}
