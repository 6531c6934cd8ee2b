import Foundation
import InstrumentModel

/// Evaluates an instrument's flag rules over a case's history.
///
/// Each rule is checked at every administration in order. The first administration where it
/// holds opens a flag, whose id comes from that administration; later ones that still show it
/// update the flag's evidence. A decision closes the flag; the same condition shown again by an
/// administration recorded after the decision opens a new flag.
public struct FlagEngine: Sendable {
    public var catalogue: InstrumentCatalogue
    /// Expected bands by instrument id, when learned.
    public var expected: [String: ExpectedBands]
    /// Today, for overdue readings and for meetings that may still get their SRS today.
    public var today: Day

    /// Each rule's text as an instrument file writes it, part of every flag id; computed once.
    private let signatures: [FlagRule: String]

    public init(catalogue: InstrumentCatalogue, expected: [String: ExpectedBands] = [:], today: Day) {
        self.catalogue = catalogue
        self.expected = expected
        self.today = today
        var signatures: [FlagRule: String] = [:]
        for rule in catalogue.instruments.flatMap(\.flags) {
            signatures[rule] = InstrumentWriter.flag(rule).rendered(pretty: false)
        }
        self.signatures = signatures
    }

    /// Returns every flag of the case, open and decided, oldest first.
    public func flags(for history: CaseHistory) -> [Flag] {
        var flags: [Flag] = []
        let ended = caseEnded(history)
        for instrumentID in history.instruments {
            guard let instrument = try? catalogue.instrument(instrumentID) else { continue }
            let series = history.series(instrumentID)
            for rule in instrument.flags {
                if case .overdue = rule.kind, ended { continue }
                for (goal, checks) in checks(rule, instrument: instrument, series: series, history: history) {
                    flags += episodes(
                        checks, rule: rule, instrument: instrument, goal: goal, series: series,
                        history: history)
                }
            }
        }
        return flags.sorted { ($0.since, $0.id) < ($1.since, $1.id) }
    }

    /// Whether the case's support has ended (E3) with no administration since.
    private func caseEnded(_ history: CaseHistory) -> Bool {
        guard let end = history.decisions.last(where: { $0.outcome == .end }) else { return false }
        return !history.readings.contains { $0.recorded > end.recorded }
    }

    /// One check: at measurement `index`, the condition holds with this evidence. The evidence
    /// is worded only for the check a flag ends up showing.
    private struct Check {
        var index: Int
        var evidence: () -> LocalizedText
        var variant: String

        init(index: Int, evidence: @autoclosure @escaping () -> LocalizedText, variant: String = "") {
            self.index = index
            self.evidence = evidence
            self.variant = variant
        }
    }

    private func episodes(
        _ checks: [Check], rule: FlagRule, instrument: Instrument, goal: String?, series: [Reading],
        history: CaseHistory
    ) -> [Flag] {
        var flags: [Flag] = []
        // The flag being built and the check that last showed its condition.
        var open: (flag: Flag, last: Check)?
        let lastIndex = series.count - 1
        func finish(_ entry: (flag: Flag, last: Check)) -> Flag {
            var flag = entry.flag
            flag.evidence = entry.last.evidence()
            return flag
        }
        for check in checks {
            let reading = series[check.index]
            if let current = open {
                if let decision = current.flag.decision, reading.recorded <= decision.recorded {
                    continue  // already seen when the decision was made
                }
                if current.flag.decision == nil {
                    var flag = current.flag
                    flag.latest = reading.day
                    flag.stillHolds = check.index == lastIndex
                    open = (flag, check)
                    continue
                }
                flags.append(finish(current))
                open = nil
            }
            let id = flagID(history.caseID, instrument.id, rule, goal: goal, opening: reading.id)
            let texts = FlagTexts.texts(rule, instrument: instrument, variant: check.variant)
            var flag = Flag(
                id: id, caseID: history.caseID, instrument: instrument.id, rule: rule.name, goal: goal,
                since: reading.day, latest: reading.day, evidence: LocalizedText(values: [:]),
                reason: texts.reason,
                question: texts.question, principle: texts.principle, stillHolds: check.index == lastIndex,
                decision: nil, unverified: !rule.provenance.verified)
            flag.decision = history.decisions.first { $0.flag == id }
            open = (flag, check)
        }
        if let open { flags.append(finish(open)) }
        return flags
    }

    /// A short id that is the same every time the same administration raises the same rule.
    func flagID(_ caseID: String, _ instrument: String, _ rule: FlagRule, goal: String?, opening: String)
        -> String
    {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let ruleText = signatures[rule] ?? InstrumentWriter.flag(rule).rendered(pretty: false)
        let signature = "\(caseID)|\(instrument)|\(ruleText)|\(goal ?? "")|\(opening)"
        for byte in signature.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "F" + String(repeating: "0", count: 16 - hex.count) + hex.prefix(16)
    }

    // MARK: The rules

    private func checks(_ rule: FlagRule, instrument: Instrument, series: [Reading], history: CaseHistory)
        -> [(String?, [Check])]
    {
        let direction = instrument.scoring.direction
        let totals = series.map(\.total)
        func number(_ value: Double) -> (String, String) {
            let text = JSONValue.numberText(roundTo(value, decimals: 2))
            return (Language.da.decimal(text), text)
        }
        func evidence(_ da: String, _ en: String) -> LocalizedText { LocalizedText(da: da, en: en) }
        var checks: [Check] = []
        switch rule.kind {
        case .notOnTrack(let sessions):
            guard let intake = totals.first ?? nil else { return [] }
            for index in series.indices where index + 1 >= sessions {
                guard let score = totals[index] else { continue }
                let assessment = ChangeCalculator.assess(
                    pre: intake, post: score, instrument: instrument, age: series[index].age)
                if let band = expected[instrument.id]?.band(intake: intake, session: index + 1),
                    Standing(score, cutoff: band.low, direction: direction) == .clinical
                {
                    let (low, high) = (number(band.low), number(band.high))
                    let (i, s) = (number(intake), number(score))
                    checks.append(
                        Check(
                            index: index,
                            evidence: evidence(
                                "Måling \(index + 1): \(s.0), under det forventede bånd \(low.0)–\(high.0) (fra \(band.cases) lignende forløb i denne database; start \(i.0)).",
                                "Measurement \(index + 1): \(s.1), below the expected band \(low.1)–\(high.1) (from \(band.cases) similar courses in this store; intake \(i.1))."
                            ), variant: "band"))
                } else if assessment.reliableDirection != 1 && assessment.postStanding != .functional {
                    // A citizen already doing well (above the cut-off) is not "off track" for
                    // lacking further improvement; only the clinical range counts.
                    checks.append(
                        Check(
                            index: index,
                            evidence: {
                                let (i, s) = (number(intake), number(score))
                                let needed = assessment.threshold.map(number) ?? ("–", "–")
                                let change = number(assessment.change)
                                return evidence(
                                    "Start \(i.0), måling \(index + 1): \(s.0); ændring \(change.0), pålidelig bedring kræver \(needed.0) point.",
                                    "Intake \(i.1), measurement \(index + 1): \(s.1); change \(change.1), reliable improvement needs \(needed.1) points."
                                )
                            }()))
                }
            }
        case .reliableDeterioration(let from):
            for index in series.indices.dropFirst() {
                let baseIndex = from == .intake ? 0 : index - 1
                guard let base = totals[baseIndex], let score = totals[index] else { continue }
                let assessment = ChangeCalculator.assess(
                    pre: base, post: score, instrument: instrument, age: series[index].age)
                guard assessment.reliableDirection == -1 else { continue }
                let (b, s, c) = (number(base), number(score), number(assessment.change))
                let rci = assessment.rci.map { number($0) }
                let rciText = rci.map { (", RCI \($0.0)", ", RCI \($0.1)") } ?? ("", "")
                let threshold = assessment.threshold.map(number) ?? ("–", "–")
                checks.append(
                    Check(
                        index: index,
                        evidence: from == .intake
                            ? evidence(
                                "Start \(b.0) → måling \(index + 1): \(s.0) (ændring \(c.0)\(rciText.0); grænse \(threshold.0) point).",
                                "Intake \(b.1) → measurement \(index + 1): \(s.1) (change \(c.1)\(rciText.1); threshold \(threshold.1) points)."
                            )
                            : evidence(
                                "Måling \(index): \(b.0) → måling \(index + 1): \(s.0) (ændring \(c.0)\(rciText.0); grænse \(threshold.0) point).",
                                "Measurement \(index): \(b.1) → measurement \(index + 1): \(s.1) (change \(c.1)\(rciText.1); threshold \(threshold.1) points)."
                            ), variant: from.rawValue))
            }
        case .worseThan(let value):
            for index in series.indices {
                guard let score = totals[index],
                    Standing(score, cutoff: value, direction: direction) == .clinical
                else {
                    continue
                }
                let (s, v) = (number(score), number(value))
                let side = direction == .higherIsBetter ? ("under", "below") : ("over", "above")
                checks.append(
                    Check(
                        index: index,
                        evidence: evidence(
                            "Måling \(index + 1) (\(series[index].day)): \(s.0), \(side.0) \(v.0).",
                            "Measurement \(index + 1) (\(series[index].day)): \(s.1), \(side.1) \(v.1).")))
            }
        case .drop(let from, let points):
            for index in series.indices.dropFirst() {
                let baseIndex = from == .intake ? 0 : index - 1
                guard let base = totals[baseIndex], let score = totals[index] else { continue }
                let worse = (base - score) * direction.sign
                guard worse >= points - 1e-9 else { continue }
                let (b, s, d) = (number(base), number(score), number(worse))
                checks.append(
                    Check(
                        index: index,
                        evidence: evidence(
                            "\(from == .intake ? "Start" : "Måling \(index)"): \(b.0) → måling \(index + 1): \(s.0), \(d.0) point dårligere.",
                            "\(from == .intake ? "Intake" : "Measurement \(index)"): \(b.1) → measurement \(index + 1): \(s.1), \(d.1) \(worse == 1 ? "point" : "points") worse."
                        ), variant: from.rawValue))
            }
        case .goalStalled(let ratings):
            return goalChecks(series, history: history) { goal, rated in
                var result: [Check] = []
                let top = instrument.goals?.rating.max ?? .infinity
                for position in rated.indices where position + 1 >= ratings {
                    let window = rated[(position + 1 - ratings)...position].map(\.value)
                    // A goal held at the top is reached, not stalled.
                    guard Set(window).count == 1, window[0] < top else { continue }
                    let v = number(window[0])
                    result.append(
                        Check(
                            index: rated[position].index,
                            evidence: evidence(
                                "Målet \"\(goal.text)\" er vurderet \(v.0) \(ratings) gange i træk.",
                                "The goal \"\(goal.text)\" was rated \(v.1) \(ratings) times in a row.")))
                }
                return result
            }
        case .goalReached(let value):
            return goalChecks(series, history: history) { goal, rated in
                rated.filter { $0.value >= value - 1e-9 }.map { rating in
                    let v = number(rating.value)
                    return Check(
                        index: rating.index,
                        evidence: evidence(
                            "Målet \"\(goal.text)\" er vurderet \(v.0) af \(number(value).0).",
                            "The goal \"\(goal.text)\" was rated \(v.1) of \(number(value).1)."))
                }
            }
        case .overdue(let days):
            guard let last = series.last, today - last.day > days else { return [] }
            checks.append(
                Check(
                    index: series.count - 1,
                    evidence: evidence(
                        "Seneste \(instrument.abbreviation): \(last.day), \(today - last.day) dage siden (grænse \(days) dage).",
                        "Latest \(instrument.abbreviation): \(last.day), \(today - last.day) days ago (limit \(days) days)."
                    )))
        case .companionMissing(let companion):
            let companionDays = Set(history.series(companion).map(\.day))
            for index in series.indices
            where series[index].day < today && !companionDays.contains(series[index].day) {
                checks.append(
                    Check(
                        index: index,
                        evidence: evidence(
                            "Mødet \(series[index].day) har \(instrument.abbreviation), men ingen \(companion.uppercased()).",
                            "The meeting on \(series[index].day) has \(instrument.abbreviation) but no \(companion.uppercased())."
                        )))
            }
        }
        return [(nil, checks)]
    }

    /// Runs a goal rule for each goal the case has rated with this instrument.
    private func goalChecks(
        _ series: [Reading], history: CaseHistory,
        _ body: (GoalHistory, [(index: Int, value: Double)]) -> [Check]
    ) -> [(String?, [Check])] {
        history.goals.compactMap { goal in
            let rated = series.indices.compactMap { index in series[index].parts[goal.id].map { (index, $0) }
            }
            guard !rated.isEmpty else { return nil }
            return (goal.id, body(goal, rated))
        }
    }
}
