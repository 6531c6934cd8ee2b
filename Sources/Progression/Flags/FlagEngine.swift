import Foundation
import InstrumentModel
import Support

/// Evaluates an instrument's flag rules over a case's history.
///
/// Each rule is checked at every administration in order. The first administration where it
/// holds opens a flag, whose id comes from that administration; later ones that still show it
/// update the flag's evidence. A decision closes the flag; the same condition shown again by an
/// administration recorded after the decision opens a new flag.
package struct FlagEngine: Sendable {
    package var catalogue: InstrumentCatalogue {
        didSet { prepared = Self.prepare(catalogue) }
    }
    /// Expected bands by instrument id, when learned.
    package var expected: [String: ExpectedBands] {
        didSet { bandTables = Self.tables(expected) }
    }
    /// Today, for overdue readings and for meetings that may still get their SRS today.
    package var today: Day

    /// Each instrument with its rules' signatures and texts, worked out once per catalogue.
    private var prepared: [String: PreparedInstrument]
    /// The expected bands by instrument id, laid out for looking up at every measurement.
    private var bandTables: [String: ExpectedBands.Table]

    package init(catalogue: InstrumentCatalogue, expected: [String: ExpectedBands] = [:], today: Day) {
        self.catalogue = catalogue
        self.expected = expected
        self.today = today
        prepared = Self.prepare(catalogue)
        bandTables = Self.tables(expected)
    }

    private static func tables(_ expected: [String: ExpectedBands]) -> [String: ExpectedBands.Table] {
        expected.mapValues { $0.table }
    }

    /// An instrument's flag rules, each with what every flag it raises shares; a class, so that
    /// looking it up for every case copies no instrument.
    private final class PreparedInstrument: Sendable {
        let instrument: Instrument
        let change: ChangeRule
        let rules: [PreparedRule]
        /// What the rules read of the instrument for every case, read out of it once.
        let id: String
        let abbreviation: String
        let direction: Scoring.Direction
        /// The top of the scale goals are rated on (infinity for an instrument without goals).
        let goalTop: Double

        init(instrument: Instrument, change: ChangeRule, rules: [PreparedRule]) {
            self.instrument = instrument
            self.change = change
            self.rules = rules
            id = instrument.id
            abbreviation = instrument.abbreviation
            direction = instrument.scoring.direction
            goalTop = instrument.goals?.rating.max ?? .infinity
        }
    }

    /// A class too: going through an instrument's rules for every case copies no rule.
    private final class PreparedRule: Sendable {
        let rule: FlagRule
        /// What each case reads of the rule, read out of it once (a copy of the rule would count
        /// references to its texts, from every core).
        let kind: FlagRule.Kind
        let name: String
        let verified: Bool
        /// The rule's text as an instrument file writes it, part of every flag id.
        let signature: String
        /// Adds `instrument|signature|`, what the ids of the rule's flags hash after the case.
        let idHash: FNV1a.Continuation
        let texts: (wording: FlagWording, principle: Principle)
        /// The texts of a notOnTrack flag raised against the expected band.
        let bandTexts: (wording: FlagWording, principle: Principle)

        init(
            rule: FlagRule, signature: String, instrument: String,
            texts: (reason: LocalizedText, question: LocalizedText, principle: Principle),
            bandTexts: (reason: LocalizedText, question: LocalizedText, principle: Principle)
        ) {
            self.rule = rule
            kind = rule.kind
            name = rule.name
            verified = rule.provenance.verified
            self.signature = signature
            idHash = FNV1a.Continuation(FlagEngine.idText(instrument, signature: signature))
            self.texts = (FlagWording(reason: texts.reason, question: texts.question), texts.principle)
            self.bandTexts = (
                FlagWording(reason: bandTexts.reason, question: bandTexts.question), bandTexts.principle
            )
        }
    }

    private static func prepare(_ catalogue: InstrumentCatalogue) -> [String: PreparedInstrument] {
        var prepared: [String: PreparedInstrument] = [:]
        for instrument in catalogue.instruments where prepared[instrument.id] == nil {
            prepared[instrument.id] = PreparedInstrument(
                instrument: instrument, change: ChangeRule(instrument),
                // No flags until the direction is stated: "worse" would be a guess.
                rules: (instrument.scoring.directionStated ? instrument.flags : []).map { rule in
                    PreparedRule(
                        rule: rule, signature: InstrumentWriter.flagSignature(rule),
                        instrument: instrument.id,
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
    package func flags(for history: CaseHistory) -> [Flag] {
        var flags: [Flag] = []
        appendFlags(for: history, into: &flags)
        // Their places sorted, and each flag moved once: a flag is large to move (a sort moves
        // each many times). Ties keep their order, as a stable sort of the flags keeps it.
        let order = flags.indices.sorted { a, b in
            (flags[a].since, flags[a].id, a) < (flags[b].since, flags[b].id, b)
        }
        return order.map { flags[$0] }
    }

    /// Appends the case's flags to `flags` in the order the rules find them, only the open ones
    /// when `openOnly`: what `flags(for:)` returns, unsorted, without a list per case.
    func appendFlags(for history: CaseHistory, into flags: inout [Flag], openOnly: Bool = false) {
        var goalRatings = GoalRatings()
        appendFlags(for: history, into: &flags, openOnly: openOnly, goalRatings: &goalRatings)
    }

    /// Appends the case's flags as `appendFlags(for:into:openOnly:)` does, the goal rules reading
    /// the goals' ratings through `goalRatings` (the case's), which keeps those it finds for
    /// whatever reads them next.
    func appendFlags(
        for history: CaseHistory, into flags: inout [Flag], openOnly: Bool, goalRatings: inout GoalRatings
    ) {
        let ended = caseEnded(history)
        // One list of checks for every rule of the case, emptied between them.
        var checks: [Check] = []
        // The hash of `case|`, which every flag id of the case starts with.
        let caseHash = Self.caseHash(history.caseID)
        for instrumentID in history.instruments {
            guard let prepared = instrument(instrumentID) else { continue }
            let series = history.series(instrumentID)
            for rule in prepared.rules {
                if ended, case .overdue = rule.kind { continue }
                // Parameters rather than a closure: a closure's context would hold a copy of all
                // of them, for every rule of every case.
                flagsOf(
                    rule, instrument: prepared, series: series, of: instrumentID, history: history,
                    caseHash: caseHash, openOnly: openOnly, checks: &checks, goalRatings: &goalRatings,
                    into: &flags)
            }
        }
    }

    /// Whether the case's support has ended (E3) with no administration since.
    package func caseEnded(_ history: CaseHistory) -> Bool {
        // A pattern rather than `==`, which a raw-valued enum compares by its raw texts.
        guard
            let end = history.decisionEntries.last(where: {
                if case .end = $0.outcome { true } else { false }
            })
        else { return false }
        return !history.entries.contains { $0.recorded > end.recorded }
    }

    /// One check: at measurement `index`, the condition holds, shown by these numbers. The
    /// numbers are worded only for the check a flag ends up showing.
    private struct Check {
        var index: Int
        var evidence: Finding.Numbers
    }

    private func episodes(
        _ checks: [Check], rule: PreparedRule, instrument prepared: PreparedInstrument, goal goalPlace: Int?,
        series: ReadingSeries, history: CaseHistory, caseHash: FNV1a, openOnly: Bool,
        into flags: inout [Flag]
    ) {
        // The flag being built: its id's number, its opening, the place of the decision on it among
        // the case's and of the check that last showed it (places, so that keeping it up to date at
        // every check copies nothing).
        var open: (id: UInt64, since: Day, band: Bool, decision: Int?, last: Int)?
        // Read from the shared instrument, not copied out of it.
        let (instrumentID, abbreviation) = (prepared.id, prepared.abbreviation)
        let higherIsBetter = prepared.direction == .higherIsBetter
        let lastIndex = series.count - 1
        var prefix: FNV1a?
        // The goal concerned read in place among the case's (a copy would count its texts).
        let goalID = goalPlace.map { history.goals[$0].id }
        // What the rules read of the decisions, without making them.
        let decisions = history.decisionEntries
        func finish(_ entry: (id: UInt64, since: Day, band: Bool, decision: Int?, last: Int)) {
            if openOnly && entry.decision != nil { return }
            let last = checks[entry.last]
            let texts = entry.band ? rule.bandTexts : rule.texts
            flags.append(
                Flag(
                    number: entry.id, caseID: history.caseID, instrument: instrumentID,
                    rule: rule.name,
                    goal: goalID, since: entry.since, latest: series.entry(last.index).day,
                    evidenceSource: .found(
                        Finding(
                            numbers: last.evidence, index: last.index,
                            day: series.entry(last.index).day, abbreviation: abbreviation,
                            higherIsBetter: higherIsBetter, today: today,
                            goal: goalPlace.map { history.goals[$0].text })),
                    wording: texts.wording, principle: texts.principle,
                    clearedOn: last.index == lastIndex ? nil : series.entry(last.index + 1).day,
                    decision: entry.decision.map { history.decision($0) },
                    unverified: !rule.verified))
        }
        for position in checks.indices {
            let index = checks[position].index
            if let current = open {
                guard let decision = current.decision else {
                    open!.last = position
                    continue
                }
                if series.entry(index).recorded <= decisions[decision].recorded {
                    continue  // already seen when the decision was made
                }
                finish(current)
                open = nil
            }
            // The hash of what every flag here shares is taken once (FNV-1a goes byte by byte).
            if prefix == nil {
                prefix = Self.flagPrefix(case: caseHash, rule: rule.idHash, goal: goalID)
            }
            let id = Self.flagNumber(prefix!, opening: series.identifier(index))
            // By number: the text of the id is made only for a flag that is kept.
            let decision = decisions.isEmpty ? nil : decisions.firstIndex { $0.flagNumber == id }
            open = (id, series.entry(index).day, checks[position].evidence.againstBand, decision, position)
        }
        if let open { finish(open) }
    }

    /// A short id that is the same every time the same administration raises the same rule.
    func flagID(_ caseID: String, _ instrument: String, _ rule: FlagRule, goal: String?, opening: String)
        -> String
    {
        let signature =
            prepared[instrument]?.rules.first { $0.rule == rule }?.signature
            ?? InstrumentWriter.flagSignature(rule)
        let prefix = flagPrefix(caseID, instrument, signature: signature, goal: goal)
        return FlagNumber(Self.flagNumber(prefix, opening: ReadingID(opening))).text
    }

    /// The FNV-1a hash of `case|instrument|rule|goal|`: what the ids of one rule's flags in a case
    /// share.
    private func flagPrefix(_ caseID: String, _ instrument: String, signature: String, goal: String?) -> FNV1a
    {
        var hash = Self.caseHash(caseID)
        hash.add(Self.idText(instrument, signature: signature))
        hash.add(goal ?? "")
        hash.add(UInt8(ascii: "|"))
        return hash
    }

    /// The same hash, from the hash of `case|` (worked out once for all the case's rules) and what
    /// adding the rule's `instrument|rule|` does (worked out once for all cases).
    private static func flagPrefix(case caseHash: FNV1a, rule: FNV1a.Continuation, goal: String?) -> FNV1a {
        var hash = rule.added(to: caseHash)
        hash.add(goal ?? "")
        hash.add(UInt8(ascii: "|"))
        return hash
    }

    /// The FNV-1a hash of `case|`.
    private static func caseHash(_ caseID: String) -> FNV1a {
        var hash = FNV1a()
        hash.add(caseID)
        hash.add(UInt8(ascii: "|"))
        return hash
    }

    /// `instrument|rule|`, the rule's part of its flags' ids.
    fileprivate static func idText(_ instrument: String, signature: String) -> String {
        instrument + "|" + signature + "|"
    }

    /// The FNV-1a hash of `case|instrument|rule|goal|opening` (`prefix` the hash of all but the
    /// opening), the number of the flag's id (written as `F` and 16 hex digits, see `FlagNumber`).
    private static func flagNumber(_ prefix: FNV1a, opening: ReadingID) -> UInt64 {
        var hash = prefix
        opening.add(to: &hash)
        return hash.value
    }

    // MARK: The rules

    /// Appends the flags of `rule` made from its checks in `series` (the series of `instrumentID`
    /// in `history`): once, or for goal rules once per goal rated.
    private func flagsOf(
        _ prepared: PreparedRule, instrument: PreparedInstrument, series: ReadingSeries,
        of instrumentID: String, history: CaseHistory, caseHash: FNV1a, openOnly: Bool,
        checks: inout [Check], goalRatings: inout GoalRatings, into flags: inout [Flag]
    ) {
        let direction = instrument.direction
        // Read out of the shared instrument once, rather than copied out of it at every reading.
        let change = instrument.change
        checks.removeAll(keepingCapacity: true)
        switch prepared.kind {
        case .notOnTrack(let sessions):
            guard !series.isEmpty, let intake = series.entry(0).total else { return }
            let bands = bandTables[instrument.id]?.sessions(intake: intake)
            for index in series.indices where index + 1 >= sessions {
                guard let score = series.entry(index).total else { continue }
                if let bands, index + 1 < bands.count, let band = bands[index + 1],
                    case .clinical = Standing(score, cutoff: band.low, direction: direction)
                {
                    checks.append(
                        Check(index: index, evidence: .belowBand(intake: intake, score: score, band: band)))
                    continue
                }
                let assessment = change.assess(pre: intake, post: score, age: series.entry(index).age)
                // A pattern rather than `!=`, which compares optionals through a generic witness.
                let functional = if case .functional? = assessment.postStanding { true } else { false }
                if assessment.reliableDirection != 1 && !functional {
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
                guard let base = series.entry(baseIndex).total, let score = series.entry(index).total else {
                    continue
                }
                let assessment = change.assess(pre: base, post: score, age: series.entry(index).age)
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
                guard let score = series.entry(index).total,
                    case .clinical = Standing(score, cutoff: value, direction: direction)
                else {
                    continue
                }
                checks.append(Check(index: index, evidence: .worseThan(score: score, value: value)))
            }
        case .drop(let from, let points):
            for index in series.indices.dropFirst() {
                let baseIndex = from == .intake ? 0 : index - 1
                guard let base = series.entry(baseIndex).total, let score = series.entry(index).total else {
                    continue
                }
                let worse = (base - score) * direction.sign
                guard worse >= points - 1e-9 else { continue }
                checks.append(
                    Check(index: index, evidence: .drop(from: from, base: base, score: score, worse: worse)))
            }
        case .goalStalled(let ratings):
            let top = instrument.goalTop
            // Found for the case's first goal rule, kept for the rest and for the team's figures.
            let goalsRated = goalRatings.ratings(of: instrumentID, series: series, history: history)
            // By place: a goal copied out of the case's would count its texts for nothing.
            for goal in history.goals.indices {
                let rated = goalsRated[goal]
                guard !rated.isEmpty else { continue }
                checks.removeAll(keepingCapacity: true)
                for position in rated.indices where position + 1 >= ratings {
                    let first = position + 1 - ratings
                    let value = rated[first].value
                    // A goal held at the top is reached, not stalled.
                    guard (first...position).allSatisfy({ rated[$0].value == value }), value < top else {
                        continue
                    }
                    checks.append(
                        Check(
                            index: rated[position].index,
                            evidence: .goalStalled(value: value, ratings: ratings)))
                }
                episodes(
                    checks, rule: prepared, instrument: instrument, goal: goal, series: series,
                    history: history,
                    caseHash: caseHash, openOnly: openOnly, into: &flags)
            }
            return
        case .goalReached(let value):
            // Found for the case's first goal rule, kept for the rest and for the team's figures.
            let goalsRated = goalRatings.ratings(of: instrumentID, series: series, history: history)
            for goal in history.goals.indices {
                let rated = goalsRated[goal]
                guard !rated.isEmpty else { continue }
                let result = rated.filter { $0.value >= value - 1e-9 }.map { rating in
                    Check(index: rating.index, evidence: .goalReached(value: rating.value, of: value))
                }
                episodes(
                    result, rule: prepared, instrument: instrument, goal: goal, series: series,
                    history: history,
                    caseHash: caseHash, openOnly: openOnly, into: &flags)
            }
            return
        case .overdue(let days):
            guard !series.isEmpty else { return }
            let last = series.entry(series.count - 1).day
            guard today - last > days else { return }
            checks.append(Check(index: series.count - 1, evidence: .overdue(last: last, limit: days)))
        case .companionMissing(let companion):
            // Both series run in order of day, so one walk finds the meetings without the companion.
            let companionSeries = history.series(companion)
            var next = 0
            for index in series.indices where series.entry(index).day < today {
                let day = series.entry(index).day
                while next < companionSeries.count && companionSeries.entry(next).day < day { next += 1 }
                if next < companionSeries.count && companionSeries.entry(next).day == day { continue }
                checks.append(Check(index: index, evidence: .companionMissing(companion: companion)))
            }
        }
        episodes(
            checks, rule: prepared, instrument: instrument, goal: nil, series: series, history: history,
            caseHash: caseHash, openOnly: openOnly, into: &flags)
    }
}
