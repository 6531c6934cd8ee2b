import InstrumentModel
import Storage
import Support

/// What a team reviews: its caseload, open flags, fidelity, outcomes and trends.
///
/// Pure figures; `pejling team` decides what to show and suppresses groups smaller than five.
package struct TeamReport: Sendable {
    package struct Settings: Sendable, Hashable {
        /// A case is active when measured within this many days.
        package var activeWindow: Int = 90
        /// The outcome instrument for categories, sparklines and trends.
        package var outcome: String = "ors"
        /// The alliance instrument expected at every meeting with the outcome instrument.
        package var alliance: String = "srs"
        package var since: Day?
        package var until: Day?
        /// Only cases whose latest administration this worker made.
        package var worker: String?

        package init(
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

    package struct CaseRow: Sendable, Hashable {
        package var caseID: String
        package var worker: String?
        package var lastDay: Day
        /// The latest total per instrument id.
        package var latest: [String: Double]
        /// The outcome instrument's totals in order, for a sparkline.
        package var outcomeSeries: [Double]
        package var openFlags: Int
        package var active: Bool
    }

    package struct Fidelity: Sendable, Hashable {
        package var cases: Int = 0
        /// Active cases with an open overdue flag.
        package var overdue: [String] = []
        /// Meetings (case and day) with the outcome instrument.
        package var meetings: Int = 0
        /// Of those, meetings without the alliance instrument (today's meetings left out).
        package var withoutAlliance: Int = 0

        /// The share of meetings where the citizen's feedback on the collaboration was collected.
        package var feedbackShare: Double? {
            meetings > 0 ? Double(meetings - withoutAlliance) / Double(meetings) : nil
        }
    }

    package struct OutcomeSummary: Sendable, Hashable {
        package var instrument: String
        /// Cases with at least two administrations.
        package var cases: Int
        package var counts: [OutcomeCategory: Int]
        package var meanIntake: Double
        package var meanLatest: Double
        package var meanChange: Double
        /// Pre–post effect size: mean change / SD of intake scores (nil for fewer than two cases).
        package var effectSize: Double?
        /// Paired d_z: mean change / SD of the changes.
        package var dz: Double?
        /// Cases in the clinical range at intake and at the latest administration.
        package var clinicalAtIntake: Int
        package var clinicalAtLatest: Int
    }

    package struct GoalSummary: Sendable, Hashable {
        /// Goals rated at least twice.
        package var goals: Int
        package var cases: Int
        package var meanFirst: Double
        package var meanLatest: Double
        /// Goals whose rating moved by the instrument's reliable change or more, for the better.
        package var movedReliably: Int
        /// Goals rated at the top of the scale.
        package var reached: Int
    }

    package struct Month: Sendable, Hashable {
        /// The first day of the month.
        package var start: Day
        package var cases: Int
        package var meanOutcome: Double?
        /// Of the cases measured that month whose intake was earlier, how many were reliably improved.
        package var comparable: Int
        package var improved: Int
    }

    package var caseload: [CaseRow] = []
    /// Open flags, longest open first.
    package var openFlags = FlagList()
    /// How many open flags a later measurement cleared (the rest still hold); each still waits for
    /// a worker's decision.
    package var clearedOpenFlags: Int { openFlags.reduce(0) { $0 + ($1.clearedOn == nil ? 0 : 1) } }
    package var fidelity = Fidelity()
    package var fidelityByWorker: [String: Fidelity] = [:]
    package var outcomes: [OutcomeSummary] = []
    package var goals: GoalSummary?
    package var trend: [Month] = []

    /// Computes the report for the cases of `index` on `today`, making each case's history only
    /// while its figures are found, so every reading of the store is never in memory at once.
    /// - Parameter blockSize: how many cases' figures are found before they are added up (any
    ///   number gives the same report).
    package init(
        index: CaseIndex, catalogue: InstrumentCatalogue, engine: FlagEngine, settings: Settings, today: Day,
        blockSize: Int = TeamReport.blockSize
    ) {
        precondition(blockSize > 0, "a block of no cases")
        let count = index.caseIDs.count
        let end = settings.until ?? today
        var byInstrument:
            [String: [(
                pre: Double, post: Double, category: OutcomeCategory, clinicalPre: Bool, clinicalPost: Bool
            )]] = [:]
        var goalPairs: [(first: Double, latest: Double, reliable: Bool, reached: Bool, caseID: String)] = []
        var monthly = MonthTallies()
        let catalogued = catalogue.instruments
        let changeRules = catalogued.map(ChangeRule.init)
        let facts = catalogued.map(InstrumentFacts.init)
        var outcomePlaces = Places(catalogued)
        let outcomePlace = outcomePlaces(settings.outcome)

        // Each case's history, open flags and figures are its own: found on every core, in runs
        // of cases, a block of cases at a time, and added up in order of case id (so sums come
        // out as case by case) before the next block is found. Of a block's figures only the rows
        // and the open flags are kept: the figures of every case are never held at once.
        var flagLists: [[Flag]] = []
        var blocks: [(runs: CaseRuns, firstList: Int)] = []
        var openCounts: [Int32] = []
        openCounts.reserveCapacity(count)
        for blockStart in stride(from: 0, to: count, by: blockSize) {
            let caseRuns = CaseRuns(min(blockSize, count - blockStart))
            var found = caseRuns.gather { offsets in
                var flags: [Flag] = []
                var figures: [CaseFigures?] = []
                var places = Places(catalogued)
                let table = index.tableForTask()
                for offset in offsets {
                    // The case's readings in the period.
                    let full = index.history(blockStart + offset, table: table)
                    let limited = settings.since != nil || (full.lastDay.map { $0 > end } ?? false)
                    let history =
                        limited
                        ? full.keeping { entry in
                            (settings.since.map { entry.day >= $0 } ?? true) && entry.day <= end
                        } : full
                    guard !history.entries.isEmpty,
                        settings.worker == nil || history.lastWorker == settings.worker
                    else {
                        figures.append(nil)
                        continue
                    }
                    let start = flags.count
                    // The goals' ratings the goal rules find are the ones the figures read.
                    var goalRatings = GoalRatings()
                    engine.appendFlags(for: history, into: &flags, openOnly: true, goalRatings: &goalRatings)
                    figures.append(
                        Self.figures(
                            history, goalRatings: &goalRatings, openFlags: flags.count - start,
                            overdue: flags[start...].contains { $0.rule == "overdue" }, settings: settings,
                            end: end,
                            today: today, facts: facts, changeRules: changeRules,
                            outcomePlace: outcomePlace,
                            place: { places($0) }))
                }
                return (flags: flags, figures: figures)
            }
            // Each case's figures moved out of what was found (`take`), rather than copied.
            var figuresOfRuns: [[CaseFigures?]] = []
            for run in found.indices {
                figuresOfRuns.append(found[run].figures)
                found[run].figures = []
            }
            for offset in 0..<caseRuns.count {
                let (run, slot) = caseRuns.place(of: offset)
                guard var figures = figuresOfRuns[run][slot].take() else {
                    openCounts.append(0)
                    continue
                }
                openCounts.append(Int32(figures.row.openFlags))
                add(figures.fidelity, to: &fidelity)
                add(figures.fidelity, to: &fidelityByWorker[figures.row.worker ?? "–", default: Fidelity()])
                for outcome in figures.outcomes {
                    byInstrument[outcome.instrument, default: []].append(outcome.pair)
                }
                goalPairs += figures.goals
                var totals = figures.row.outcomeSeries[...]
                for month in figures.months {
                    monthly.add(month, totals.prefix(month.totals))
                    totals = totals.dropFirst(month.totals)
                }
                totals = []
                // The row moved into the caseload last, once nothing else reads it.
                caseload.append(figures.takeRow())
            }
            blocks.append((caseRuns, flagLists.count))
            flagLists += found.map(\.flags)
        }
        Phases.mark("parallel")

        openFlags = FlagList(
            found: flagLists, cases: count,
            list: { number in
                let block = blocks[number / blockSize]
                return block.firstList + block.runs.place(of: number % blockSize).run
            }, count: { Int(openCounts[$0]) })
        Phases.mark("flagsort")
        // Most open flags first, then the latest measured; ties keep their order. Keys sorted
        // rather than rows, which are moved once.
        let rowOrder = caseload.indices.map {
            (flags: caseload[$0].openFlags, day: caseload[$0].lastDay.number, place: $0)
        }
        .sorted { a, b in (a.flags, a.day, b.place) > (b.flags, b.day, a.place) }
        caseload = rowOrder.map { caseload[$0.place] }
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
        // A month outside the years a Day holds has no start to show; the scanner refuses such
        // dates, so this drops nothing a journal can hold.
        trend = monthly.months.compactMap { key, month in
            guard let start = Day(year: key / 12, month: key % 12 + 1, day: 1) else {
                return nil
            }
            return Month(
                start: start, cases: month.cases,
                meanOutcome: month.count > 0 ? month.sum / Double(month.count) : nil,
                comparable: month.comparable,
                improved: month.improved)
        }
    }

    /// How many cases' figures are found before they are added up: about 16 MB of them (a
    /// store of ten million administrations has about 145,000 cases, whose figures took 145 MB).
    package static let blockSize = 16_384

    /// Instruments by their place in the catalogue, found as `catalogue.instrument(_:)` finds
    /// them, once per id a reading names: no instrument is copied per case.
    private struct Places {
        let catalogued: [Instrument]
        private var known: [String: Int] = [:]

        init(_ catalogued: [Instrument]) {
            self.catalogued = catalogued
        }

        mutating func callAsFunction(_ id: String) -> Int? {
            if let found = known[id] { return found < 0 ? nil : found }
            let lowercased = id.lowercased()
            let found = catalogued.firstIndex { $0.id == lowercased }
            known[id] = found ?? -1
            return found
        }
    }

    /// What the figures read of a catalogued instrument, read once per report rather than out of
    /// the instrument for every case.
    private struct InstrumentFacts {
        let id: String
        /// Whether its change counts among the outcomes: an outcome or recovery measure that rates
        /// no goals.
        let countsOutcome: Bool
        /// The top of the scale goals are rated on, for a goal-based instrument.
        let goalTop: Double?
        /// The reliable change of a goal's rating (0 when not stated).
        let goalThreshold: Double

        init(_ instrument: Instrument) {
            id = instrument.id
            countsOutcome =
                instrument.goals == nil && (instrument.role == .outcome || instrument.role == .recovery)
            goalTop = instrument.goals?.rating.max
            goalThreshold = instrument.interpretation.reliableChange?.threshold ?? 0
        }
    }

    /// What one case adds to the report.
    private struct CaseFigures {
        typealias Pair = (
            pre: Double, post: Double, category: OutcomeCategory, clinicalPre: Bool, clinicalPost: Bool
        )
        var row: CaseRow
        var fidelity: Fidelity
        var outcomes: [(instrument: String, pair: Pair)] = []
        var goals: [(first: Double, latest: Double, reliable: Bool, reached: Bool, caseID: String)] = []
        /// The case's months with outcome totals, in order: how many of the row's outcome totals
        /// fall in each (they run month after month), and whether the month counts for the share
        /// reliably improved (comparable) and is in it (improved).
        var months: [(month: Int, totals: Int, comparable: Bool, improved: Bool)] = []

        /// Moves the row out, leaving an empty one in its place.
        mutating func takeRow() -> CaseRow {
            var row = CaseRow(
                caseID: "", worker: nil, lastDay: self.row.lastDay, latest: [:], outcomeSeries: [],
                openFlags: 0, active: false)
            swap(&row, &self.row)
            return row
        }
    }

    /// The caseload row, fidelity, outcomes, goals and monthly trend of one case.
    private static func figures(
        _ history: CaseHistory, goalRatings: inout GoalRatings, openFlags openCount: Int, overdue: Bool,
        settings: Settings, end: Day,
        today: Day, facts: [InstrumentFacts], changeRules: [ChangeRule], outcomePlace: Int?,
        place: (String) -> Int?
    ) -> CaseFigures {
        let caseID = history.caseID
        // Readings are read as entries throughout: no reading is made.
        let lastDay = history.lastDay!
        let worker = history.lastWorker
        let active = end - lastDay <= settings.activeWindow
        let instruments = history.instruments
        // Each instrument's place in the catalogue, looked up once for the case.
        let places = instruments.map { place($0) }
        var latest: [String: Double] = [:]
        latest.reserveCapacity(instruments.count)
        for instrumentID in instruments {
            let series = history.series(instrumentID)
            var index = series.count - 1
            while index >= 0, series.entry(index).total == nil { index -= 1 }
            if index >= 0, let total = series.entry(index).total { latest[instrumentID] = total }
        }
        let outcomeSeries = history.series(settings.outcome)
        // Fidelity: both series run in order of day, so one walk pairs the meetings.
        var fidelityHere = Fidelity(cases: 1)
        if active && overdue { fidelityHere.overdue = [caseID] }
        let allianceSeries = history.series(settings.alliance)
        var next = 0
        var previousDay: Day?
        for place in outcomeSeries.indices where outcomeSeries.entry(place).day != previousDay {
            let day = outcomeSeries.entry(place).day
            previousDay = day
            fidelityHere.meetings += 1
            while next < allianceSeries.count && allianceSeries.entry(next).day < day { next += 1 }
            let withAlliance = next < allianceSeries.count && allianceSeries.entry(next).day == day
            if day < today && !withAlliance { fidelityHere.withoutAlliance += 1 }
        }
        var outcomeTotals: [Double] = []
        outcomeTotals.reserveCapacity(outcomeSeries.count)
        for place in outcomeSeries.indices {
            if let total = outcomeSeries.entry(place).total { outcomeTotals.append(total) }
        }
        var figures = CaseFigures(
            row: CaseRow(
                caseID: caseID, worker: worker, lastDay: lastDay, latest: latest,
                outcomeSeries: outcomeTotals, openFlags: openCount, active: active),
            fidelity: fidelityHere)

        // Outcomes per instrument with a cut-off or reliable change.
        for (instrumentID, place) in zip(instruments, places) {
            guard let place, facts[place].countsOutcome else { continue }
            let series = history.series(instrumentID)
            guard let first = series.indices.first(where: { series.entry($0).total != nil }),
                let final = series.indices.last(where: { series.entry($0).total != nil }), first != final
            else { continue }
            let (pre, post) = (series.entry(first).total!, series.entry(final).total!)
            let assessment = changeRules[place].assess(pre: pre, post: post, age: series.entry(final).age)
            figures.outcomes.append(
                (
                    instrumentID,
                    (
                        pre, post, assessment.category, assessment.preStanding == .clinical,
                        assessment.postStanding == .clinical
                    )
                ))
        }

        // Goals.
        if let gboPlace = places.lazy.compactMap({ $0 }).first(where: { facts[$0].goalTop != nil }),
            let top = facts[gboPlace].goalTop
        {
            let gboID = facts[gboPlace].id
            // Each goal's ratings, as the goal rules found them (when the instrument has any).
            let goalsRated = goalRatings.ratings(of: gboID, series: history.series(gboID), history: history)
            // By place: a goal copied out of the case's would count its texts for nothing.
            for goal in history.goals.indices where history.goals[goal].instrument == gboID {
                let rated = goalsRated[goal]
                guard rated.count >= 2 else { continue }
                let ratings = (first: rated[0].value, last: rated[rated.count - 1].value)
                let threshold = facts[gboPlace].goalThreshold
                figures.goals.append(
                    (
                        ratings.first, ratings.last,
                        ratings.last - ratings.first >= threshold && threshold > 0,
                        ratings.last >= top, caseID
                    ))
            }
        }

        // Monthly trend of the outcome instrument. The series runs in order of day, so each month
        // is one run of readings and its last reading is the month's latest.
        if let outcomePlace,
            let intake = outcomeSeries.indices.first(where: {
                outcomeSeries.entry($0).total != nil
            })
        {
            var monthOf = MonthKeys()
            let outcomeRule = changeRules[outcomePlace]
            let intakeMonth = monthOf(outcomeSeries.entry(intake).day)
            let intakeTotal = outcomeSeries.entry(intake).total!
            var run: (month: Int, latest: Int, totals: Int)?
            func close(_ run: (month: Int, latest: Int, totals: Int)) {
                var comparable = false
                var improved = false
                if intakeMonth < run.month {
                    comparable = true
                    let assessment = outcomeRule.assess(
                        pre: intakeTotal, post: outcomeSeries.entry(run.latest).total!,
                        age: outcomeSeries.entry(run.latest).age)
                    improved = assessment.reliableDirection == 1
                }
                figures.months.append((run.month, run.totals, comparable, improved))
            }
            for index in outcomeSeries.indices {
                guard outcomeSeries.entry(index).total != nil else { continue }
                let month = monthOf(outcomeSeries.entry(index).day)
                if let current = run, current.month != month {
                    close(current)
                    run = nil
                }
                if run == nil { run = (month, index, 0) }
                run!.totals += 1
                run!.latest = index
            }
            if let run { close(run) }
        }
        return figures
    }

    /// One month's figures while they are added up, case by case.
    struct MonthTally {
        var sum: Double = 0
        var count = 0
        /// Cases measured that month; each case is added up once, so a count is enough.
        var cases = 0
        var comparable = 0
        var improved = 0
    }

    /// The months' tallies while the cases are added up, by month key: in one array for the
    /// months of two centuries around the first one tallied (a store's meetings), in a dictionary
    /// for any beyond, so that most months are found without hashing.
    struct MonthTallies {
        private var base = 0
        private var near: [MonthTally] = []
        private var far: [Int: MonthTally] = [:]
        private static let span = 2_400

        /// Adds one case's month, with its outcome totals, to the month's tally.
        mutating func add(
            _ month: (month: Int, totals: Int, comparable: Bool, improved: Bool), _ totals: ArraySlice<Double>
        ) {
            if near.isEmpty {
                base = month.month - Self.span / 2
                near = [MonthTally](repeating: MonthTally(), count: Self.span)
            }
            let place = month.month - base
            if (0..<Self.span).contains(place) {
                TeamReport.tally(month, totals, into: &near[place])
            } else {
                TeamReport.tally(month, totals, into: &far[month.month, default: MonthTally()])
            }
        }

        /// Every month tallied, in order of month key.
        var months: [(key: Int, tally: MonthTally)] {
            // A month tallied has at least one case.
            var months = far.map { (key: $0.key, tally: $0.value) }
            for place in near.indices where near[place].cases > 0 {
                months.append((base + place, near[place]))
            }
            return months.sorted { $0.key < $1.key }
        }
    }

    /// Adds one case's month to the month's tally.
    private static func tally(
        _ month: (month: Int, totals: Int, comparable: Bool, improved: Bool), _ totals: ArraySlice<Double>,
        into tally: inout MonthTally
    ) {
        tally.cases += 1
        for total in totals { tally.sum += total }
        tally.count += totals.count
        if month.comparable { tally.comparable += 1 }
        if month.improved { tally.improved += 1 }
    }

    private func add(_ part: Fidelity, to total: inout Fidelity) {
        total.cases += part.cases
        total.overdue += part.overdue
        total.meetings += part.meetings
        total.withoutAlliance += part.withoutAlliance
    }

    /// The number of a flag id of the form "F" and 16 lowercase hexadecimal digits (ordered as
    /// the ids are), or nil for any other id.
    static func idNumber(_ id: String) -> UInt64? { FlagNumber(id)?.value }

    static func monthKey(_ day: Day) -> Int {
        let (year, month, _) = day.civil
        return year * 12 + month - 1
    }

    /// `monthKey` of days that come mostly in order: the days of the month last found are kept as
    /// a range of day numbers, so that a month's days are worked out once, not once a day.
    struct MonthKeys {
        private var days = 0..<0
        private var key = 0

        mutating func callAsFunction(_ day: Day) -> Int {
            if days.contains(day.number) { return key }
            let (year, month, _) = day.civil
            key = year * 12 + month - 1
            let first = GregorianDays.number(year: year, month: month, day: 1)
            days =
                first..<GregorianDays.number(
                    year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1)
            return key
        }
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
