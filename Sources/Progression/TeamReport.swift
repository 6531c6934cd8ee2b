import InstrumentModel

/// What a team reviews: its caseload, open flags, fidelity, outcomes and trends.
///
/// Pure figures; `pejling team` decides what to show and suppresses groups smaller than five.
public struct TeamReport: Sendable {
    public struct Settings: Sendable, Hashable {
        /// A case is active when measured within this many days.
        public var activeWindow: Int = 90
        /// The outcome instrument for categories, sparklines and trends.
        public var outcome: String = "ors"
        /// The alliance instrument expected at every meeting with the outcome instrument.
        public var alliance: String = "srs"
        public var since: Day?
        public var until: Day?
        /// Only cases whose latest administration this worker made.
        public var worker: String?

        public init(
            activeWindow: Int = 90, outcome: String = "ors", alliance: String = "srs", since: Day? = nil,
            until: Day? = nil,
            worker: String? = nil
        ) {
            self.activeWindow = activeWindow
            self.outcome = outcome
            self.alliance = alliance
            self.since = since
            self.until = until
            self.worker = worker
        }
    }

    public struct CaseRow: Sendable, Hashable {
        public var caseID: String
        public var worker: String?
        public var lastDay: Day
        /// The latest total per instrument id.
        public var latest: [String: Double]
        /// The outcome instrument's totals in order, for a sparkline.
        public var outcomeSeries: [Double]
        public var openFlags: Int
        public var active: Bool
    }

    public struct Fidelity: Sendable, Hashable {
        public var cases: Int = 0
        /// Active cases with an open overdue flag.
        public var overdue: [String] = []
        /// Meetings (case and day) with the outcome instrument.
        public var meetings: Int = 0
        /// Of those, meetings without the alliance instrument (today's meetings left out).
        public var withoutAlliance: Int = 0

        /// The share of meetings where the citizen's feedback on the collaboration was collected.
        public var feedbackShare: Double? {
            meetings > 0 ? Double(meetings - withoutAlliance) / Double(meetings) : nil
        }
    }

    public struct OutcomeSummary: Sendable, Hashable {
        public var instrument: String
        /// Cases with at least two administrations.
        public var cases: Int
        public var counts: [OutcomeCategory: Int]
        public var meanIntake: Double
        public var meanLatest: Double
        public var meanChange: Double
        /// Pre–post effect size: mean change / SD of intake scores (nil for fewer than two cases).
        public var effectSize: Double?
        /// Paired d_z: mean change / SD of the changes.
        public var dz: Double?
        /// Cases in the clinical range at intake and at the latest administration.
        public var clinicalAtIntake: Int
        public var clinicalAtLatest: Int
    }

    public struct GoalSummary: Sendable, Hashable {
        /// Goals rated at least twice.
        public var goals: Int
        public var cases: Int
        public var meanFirst: Double
        public var meanLatest: Double
        /// Goals whose rating moved by the instrument's reliable change or more, for the better.
        public var movedReliably: Int
        /// Goals rated at the top of the scale.
        public var reached: Int
    }

    public struct Month: Sendable, Hashable {
        /// The first day of the month.
        public var start: Day
        public var cases: Int
        public var meanOutcome: Double?
        /// Of the cases measured that month whose intake was earlier, how many were reliably improved.
        public var comparable: Int
        public var improved: Int
    }

    public var caseload: [CaseRow] = []
    public var openFlags: [Flag] = []
    public var fidelity = Fidelity()
    public var fidelityByWorker: [String: Fidelity] = [:]
    public var outcomes: [OutcomeSummary] = []
    public var goals: GoalSummary?
    public var trend: [Month] = []

    /// Computes the report for `view` on `today`.
    public init(
        view: StoreView, catalogue: InstrumentCatalogue, engine: FlagEngine, settings: Settings, today: Day
    ) {
        let end = settings.until ?? today
        var byInstrument:
            [String: [(
                pre: Double, post: Double, category: OutcomeCategory, clinicalPre: Bool, clinicalPost: Bool
            )]] = [:]
        var goalPairs: [(first: Double, latest: Double, reliable: Bool, reached: Bool, caseID: String)] = []
        var monthly:
            [Int: (
                sum: Double, count: Int, cases: Set<String>, comparable: Set<String>, improved: Set<String>
            )] = [:]
        let outcomeInstrument = try? catalogue.instrument(settings.outcome)

        for caseID in view.caseIDs {
            let full = view.cases[caseID]!
            let limited = settings.since != nil || (full.lastDay.map { $0 > end } ?? false)
            let readings =
                limited
                ? full.readings.filter { reading in
                    (settings.since.map { reading.day >= $0 } ?? true) && reading.day <= end
                }
                : full.readings
            guard let last = readings.last else { continue }
            let worker = readings.last { $0.worker != nil }?.worker
            if let only = settings.worker, worker != only { continue }
            let history =
                limited
                ? CaseHistory(
                    caseID: caseID, readings: readings, decisions: full.decisions, goals: full.goals) : full
            let flags = engine.flags(for: history).filter(\.isOpen)
            let active = end - last.day <= settings.activeWindow
            var latest: [String: Double] = [:]
            for reading in readings { if let total = reading.total { latest[reading.instrument] = total } }
            let outcomeSeries = history.series(settings.outcome).compactMap(\.total)
            caseload.append(
                CaseRow(
                    caseID: caseID, worker: worker, lastDay: last.day, latest: latest,
                    outcomeSeries: outcomeSeries,
                    openFlags: flags.count, active: active))
            openFlags += flags

            // Fidelity.
            var fidelityHere = Fidelity(cases: 1)
            if active && flags.contains(where: { $0.rule == "overdue" }) { fidelityHere.overdue = [caseID] }
            let allianceDays = Set(history.series(settings.alliance).map(\.day))
            let meetingDays = Set(history.series(settings.outcome).map(\.day))
            fidelityHere.meetings = meetingDays.count
            fidelityHere.withoutAlliance =
                meetingDays.filter { $0 < today && !allianceDays.contains($0) }.count
            add(fidelityHere, to: &fidelity)
            add(fidelityHere, to: &fidelityByWorker[worker ?? "–", default: Fidelity()])

            // Outcomes per instrument with a cut-off or reliable change.
            for instrumentID in history.instruments {
                guard let instrument = try? catalogue.instrument(instrumentID), instrument.goals == nil,
                    instrument.role == .outcome || instrument.role == .recovery
                else { continue }
                let totals = history.series(instrumentID).compactMap { reading in
                    reading.total.map { ($0, reading.age) }
                }
                guard totals.count >= 2, let first = totals.first, let final = totals.last else { continue }
                let assessment = ChangeCalculator.assess(
                    pre: first.0, post: final.0, instrument: instrument, age: final.1)
                byInstrument[instrumentID, default: []].append(
                    (
                        first.0, final.0, assessment.category, assessment.preStanding == .clinical,
                        assessment.postStanding == .clinical
                    ))
            }

            // Goals.
            if let gbo = history.instruments.lazy.compactMap({ try? catalogue.instrument($0) }).first(where: {
                $0.goals != nil
            }),
                let settingsGoals = gbo.goals
            {
                let series = history.series(gbo.id)
                for goal in history.goals where goal.instrument == gbo.id {
                    let ratings = series.compactMap { $0.parts[goal.id] }
                    guard ratings.count >= 2 else { continue }
                    let threshold = gbo.interpretation.reliableChange?.threshold ?? 0
                    goalPairs.append(
                        (
                            ratings.first!, ratings.last!,
                            ratings.last! - ratings.first! >= threshold && threshold > 0,
                            ratings.last! >= settingsGoals.rating.max, caseID
                        ))
                }
            }

            // Monthly trend of the outcome instrument.
            if let outcomeInstrument {
                let series = history.series(settings.outcome).filter { $0.total != nil }
                guard let intake = series.first else { continue }
                var latestInMonth: [Int: Reading] = [:]
                for reading in series {
                    let month = Self.monthKey(reading.day)
                    monthly[month, default: (0, 0, [], [], [])].sum += reading.total!
                    monthly[month]!.count += 1
                    monthly[month]!.cases.insert(caseID)
                    latestInMonth[month] = reading
                }
                for (month, reading) in latestInMonth where Self.monthKey(intake.day) < month {
                    monthly[month]!.comparable.insert(caseID)
                    let assessment = ChangeCalculator.assess(
                        pre: intake.total!, post: reading.total!, instrument: outcomeInstrument,
                        age: reading.age)
                    if assessment.reliableDirection == 1 { monthly[month]!.improved.insert(caseID) }
                }
            }
        }

        openFlags.sort { ($0.since, $0.caseID, $0.id) < ($1.since, $1.caseID, $1.id) }
        caseload.sort { ($0.openFlags, $0.lastDay.number) > ($1.openFlags, $1.lastDay.number) }
        for (instrumentID, pairs) in byInstrument.sorted(by: { $0.key < $1.key }) {
            let intakes = pairs.map(\.pre)
            let changes = pairs.map { $0.post - $0.pre }
            let meanChange = Self.mean(changes)
            var counts: [OutcomeCategory: Int] = [:]
            for pair in pairs { counts[pair.category, default: 0] += 1 }
            outcomes.append(
                OutcomeSummary(
                    instrument: instrumentID, cases: pairs.count, counts: counts,
                    meanIntake: Self.mean(intakes),
                    meanLatest: Self.mean(pairs.map(\.post)), meanChange: meanChange,
                    effectSize: Self.sd(intakes).flatMap { $0 > 0 ? meanChange / $0 : nil },
                    dz: Self.sd(changes).flatMap { $0 > 0 ? meanChange / $0 : nil },
                    clinicalAtIntake: pairs.filter(\.clinicalPre).count,
                    clinicalAtLatest: pairs.filter(\.clinicalPost).count))
        }
        if !goalPairs.isEmpty {
            goals = GoalSummary(
                goals: goalPairs.count, cases: Set(goalPairs.map(\.caseID)).count,
                meanFirst: Self.mean(goalPairs.map(\.first)),
                meanLatest: Self.mean(goalPairs.map(\.latest)),
                movedReliably: goalPairs.filter(\.reliable).count,
                reached: goalPairs.filter(\.reached).count)
        }
        trend = monthly.keys.sorted().map { key in
            let month = monthly[key]!
            return Month(
                start: Day(year: key / 12, month: key % 12 + 1, day: 1)!, cases: month.cases.count,
                meanOutcome: month.count > 0 ? month.sum / Double(month.count) : nil,
                comparable: month.comparable.count,
                improved: month.improved.count)
        }
    }

    private func add(_ part: Fidelity, to total: inout Fidelity) {
        total.cases += part.cases
        total.overdue += part.overdue
        total.meetings += part.meetings
        total.withoutAlliance += part.withoutAlliance
    }

    static func monthKey(_ day: Day) -> Int {
        let (year, month, _) = day.civil
        return year * 12 + month - 1
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The sample standard deviation (n − 1), or nil for fewer than two values.
    static func sd(_ values: [Double]) -> Double? {
        guard values.count >= 2 else { return nil }
        let average = mean(values)
        return (values.map { ($0 - average) * ($0 - average) }.reduce(0, +) / Double(values.count - 1))
            .squareRoot()
    }
}
