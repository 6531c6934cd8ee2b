import Foundation
import InstrumentModel
import Storage
import Support

/// What to simulate.
package struct SimulationSettings: Sendable, Hashable {
    package var cases: Int
    package var seed: UInt64
    package var workers: Int
    /// How far back the oldest cases start.
    package var months: Int
    /// The last day meetings may fall on.
    package var today: Date

    package init(cases: Int, seed: UInt64 = 1, workers: Int = 6, months: Int = 12, today: Date) {
        self.cases = cases
        self.seed = seed
        self.workers = workers
        self.months = months
        self.today = today
    }
}

/// What a simulation wrote.
package struct SimulationSummary: Sendable, Hashable {
    package var cases: Int
    package var administrations: Int
    package var records: Int
    package var writers: Int
    /// How many decisions it made on the flags, or nil when it was not asked to or the store held
    /// journals before (then its flags are settled from a read of the whole store,
    /// `SettledFlags.decisions(for:catalogue:today:leaveOpen:step:seed:)`).
    package var decisions: Int? = nil
}

/// Writes realistic, deterministic synthetic data through the real store: cases with different
/// courses (steady improvement, early improvement then a plateau, no change, deterioration,
/// drop-out, recovery), ORS at the start and SRS at the end of each meeting with a plausible
/// relation between them, Brief INSPIRE-O every few months, and goals in varied own words.
///
/// Every case draws from its own generator seeded from the seed and the case number, so the same
/// settings always give the same store, whatever order cases are written in.
package enum Simulator {
    /// The shapes a simulated course takes.
    package enum Course: String, CaseIterable, Sendable {
        case steady, plateau, unchanged, deteriorating, dropout, recovery
    }

    /// Writes the simulated cases, and with `settling` the decisions a team would have made on
    /// their flags (`SettledFlags`), when the store held no journal before: then the simulation
    /// knows every record the store holds, and settles each case's flags as it makes the case.
    ///
    /// Cases are made on every core a batch at a time and written as they are made, each to its
    /// worker's journal in order of case number, so memory stays flat however many there are;
    /// of each case only the flags that come due are kept (`Trajectory`), and a case is made
    /// again when a decision that ended its support means it must be walked again.
    package static func run(
        store directory: String, settings: SimulationSettings, catalogue: InstrumentCatalogue,
        settling: SettledFlags.Settings? = nil
    )
        throws(StorageError) -> SimulationSummary
    {
        Phases.begin()
        let instruments = Instruments(catalogue: catalogue)
        // Only into a store without journals: then the simulation knows every record the store holds.
        let settle = try settling.flatMap { (settling) throws(StorageError) -> Settling? in
            guard settings.cases > 0,
                try Store(directory: directory, writer: "simulator").journalNames().isEmpty
            else { return nil }
            // The steps start from the day of the store's first record.
            let first = (0..<settings.cases).lazy.map { firstDay(of: $0, settings: settings) }.min()!
            return Settling(
                first: first, today: Day(settings.today), settings: settling, catalogue: catalogue,
                seed: settings.seed)
        }
        @Sendable func made(_ index: Int) -> [Record] {
            simulateCase(
                index, worker: worker(of: index, settings: settings), settings: settings,
                instruments: instruments)
        }
        var journals = JournalBatches(directory: directory)
        var administrations = 0
        var total = 0
        var trajectories: [Trajectory] = []
        try parallelPipeline(
            settings.cases, batch: 64,
            make: { index in
                let records = made(index)
                return (records, settle?.trajectory(caseID: caseID(of: index), records: storeOrder(records)))
            },
            consume: { (simulated: (records: [Record], trajectory: Trajectory?)) throws(StorageError) in
                administrations +=
                    simulated.records.count {
                        if case .administration = $0.body { return true } else { return false }
                    }
                total += simulated.records.count
                try journals.add(simulated.records)
                if let trajectory = simulated.trajectory { trajectories.append(trajectory) }
            })
        try journals.flush()
        Phases.mark("cases")
        var decisions: Int?
        if let settle {
            // The cases in order of id, as the store's cases are gone through.
            let names = (0..<settings.cases).map(caseID(of:))
            let order = names.indices.sorted { names[$0] < names[$1] }
            var inOrder = order.map { trajectories[$0] }
            trajectories = []
            decisions = try settle.decide(
                caseIDs: order.map { names[$0] }, trajectories: &inOrder,
                records: { storeOrder(made(order[$0])) },
                emit: { (record: Record) throws(StorageError) in try journals.add([record]) })
            try journals.flush()
            Phases.mark("decisions")
        }
        if !Store(directory: directory, writer: "simulator").exists {
            // An empty simulation still leaves a store to look at.
            try Store(directory: directory, writer: "simulator").append(records: [])
        }
        return SimulationSummary(
            cases: settings.cases, administrations: administrations, records: total,
            writers: min(settings.workers, settings.cases), decisions: decisions)
    }

    /// The case id of case number `index`.
    static func caseID(of index: Int) -> String {
        "K-\(String(format: "%05d", index + 1))"
    }

    /// The worker of case number `index`.
    static func worker(of index: Int, settings: SimulationSettings) -> String {
        "w\(String(format: "%02d", index % max(1, settings.workers) + 1))"
    }

    /// A case's records in the order a store read gives them: by time, then by id.
    static func storeOrder(_ records: [Record]) -> [Record] {
        records.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    struct Instruments {
        let ors: Instrument
        let srs: Instrument
        let inspire: Instrument
        let gbo: Instrument

        init(catalogue: InstrumentCatalogue) {
            ors = try! catalogue.instrument("ors")
            srs = try! catalogue.instrument("srs")
            inspire = try! catalogue.instrument("brief-inspire-o")
            gbo = try! catalogue.instrument("gbo")
        }
    }

    static let goalsDanish = [
        "Sove bedre om natten", "Komme ud og gå en tur hver dag", "Få styr på økonomien",
        "Lave mad selv tre gange om ugen",
        "Se min søster oftere", "Starte på et hold i aktivitetshuset", "Tage bussen alene",
        "Få en fast døgnrytme",
        "Holde lejligheden ren", "Finde et frivilligt job", "Tale med nogen, når det bliver svært",
        "Passe min medicin selv",
    ]
    static let goalsEnglish = [
        "Sleep through the night", "Get out for a walk every day", "Get on top of my money",
        "Cook for myself three times a week",
        "See my sister more often", "Join a group at the activity centre", "Take the bus on my own",
        "Keep a steady daily rhythm",
        "Keep the flat tidy", "Find volunteer work", "Talk to someone when things get hard",
        "Manage my own medication",
    ]

    /// How case number `index` begins: its generator once its course and its start (a day some
    /// time within the months simulated) are drawn from it.
    static func opening(of index: Int, settings: SimulationSettings) -> (
        random: SplitMix64, course: Course, start: Int
    ) {
        var random = SplitMix64(
            seed: settings.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xBF58_476D_1CE4_E5B9)
        let course = Course.allCases[Int(random.next() % UInt64(Course.allCases.count))]
        let window = max(30, settings.months * 30)
        let start = Day(settings.today).number - window + Int(random.next() % UInt64(max(1, window * 2 / 3)))
        return (random, course, start)
    }

    /// The day of case number `index`'s first meeting, the day of its first records: its start, or
    /// today when it starts later (its meetings run from its start up to today, or are today's
    /// alone).
    static func firstDay(of index: Int, settings: SimulationSettings) -> Day {
        Day(number: min(opening(of: index, settings: settings).start, Day(settings.today).number))
    }

    static func simulateCase(
        _ index: Int, worker: String, settings: SimulationSettings, instruments: Instruments
    ) -> [Record] {
        let opening = opening(of: index, settings: settings)
        var random = opening.random
        let (course, startDay) = (opening.course, opening.start)
        let caseID = Self.caseID(of: index)
        let writer = "\(worker)@simulated"
        let todayDay = Day(settings.today).number
        let age = 18 + Int(random.next() % 55)
        var intake = gaussian(&random, mean: 18, sd: 5)
        if course == .recovery { intake = min(intake, 20) }
        intake = min(max(intake, 3), 33)
        let gain: Double
        switch course {
        case .steady: gain = uniform(&random, 6, 14)
        case .plateau: gain = uniform(&random, 5, 10)
        case .unchanged: gain = uniform(&random, -2, 2)
        case .deteriorating: gain = -uniform(&random, 4, 9)
        case .dropout: gain = uniform(&random, -1, 4)
        case .recovery: gain = uniform(&random, 14, 20)
        }
        var meetings: [Int] = []
        var day = startDay
        let limit = course == .dropout ? 2 + Int(random.next() % 2) : 40
        while day <= todayDay && meetings.count < limit {
            meetings.append(day)
            day += 7 + Int(random.next() % 15)
        }
        if meetings.isEmpty { meetings = [todayDay] }
        let danish = random.next() % 3 != 0
        let goalTexts = danish ? goalsDanish : goalsEnglish
        var goalIDs: [String] = []
        var records: [Record] = []
        func record(_ body: RecordBody, day: Int, minute: Int) -> Record {
            Record(
                id: Hex.string(random.next()) + Hex.string(random.next()), writer: writer,
                time: Date(timeIntervalSince1970: Double(day) * 86_400 + Double(9 * 3600 + minute * 60)),
                caseID: caseID,
                body: body)
        }
        let count = meetings.count
        var lastInspire = -1_000_000
        var lastGoalRating = -1_000_000
        for (k, meeting) in meetings.enumerated() {
            let progress = count > 1 ? Double(k) / Double(count - 1) : 0
            var expected: Double
            switch course {
            case .plateau: expected = intake + gain * (1 - exp(-Double(k) / 2))
            default: expected = intake + gain * progress
            }
            expected = min(max(expected + gaussian(&random, mean: 0, sd: 1.8), 0.4), 39.6)
            let date = Day(number: meeting).description
            let orsAnswers = split(expected, items: instruments.ors.items.map(\.id), random: &random)
            records.append(
                record(
                    administration(instruments.ors, orsAnswers, date: date, worker: worker, age: age),
                    day: meeting, minute: 0))
            if random.next() % 100 >= 6 {
                // SRS sits near its ceiling in practice; lower for courses going the wrong way.
                let alliance = min(
                    39.8,
                    max(
                        20,
                        37.8 + (course == .deteriorating ? -2.5 : 0.3) + gaussian(&random, mean: 0, sd: 1.3)))
                let srsAnswers = split(alliance, items: instruments.srs.items.map(\.id), random: &random)
                records.append(
                    record(
                        administration(instruments.srs, srsAnswers, date: date, worker: worker, age: age),
                        day: meeting, minute: 50))
            }
            if meeting - lastInspire >= 90 {
                lastInspire = meeting
                let recovery = min(100, max(0, 30 + expected * 1.3 + gaussian(&random, mean: 0, sd: 8)))
                var answers: [String: Answer] = [:]
                for item in instruments.inspire.items {
                    answers[item.id] = .number(
                        min(4, max(0, (recovery / 25 + gaussian(&random, mean: 0, sd: 0.7)).rounded())))
                }
                records.append(
                    record(
                        administration(instruments.inspire, answers, date: date, worker: worker, age: age),
                        day: meeting, minute: 45))
            }
            if k == 0 {
                let goalCount = 1 + Int(random.next() % 3)
                var used = Set<Int>()
                for number in 1...goalCount {
                    var pick = Int(random.next() % UInt64(goalTexts.count))
                    while used.contains(pick) { pick = (pick + 1) % goalTexts.count }
                    used.insert(pick)
                    goalIDs.append("g\(number)")
                    records.append(
                        record(
                            .goal(
                                GoalRecord(
                                    instrument: "gbo", goal: "g\(number)", action: .set, text: goalTexts[pick]
                                )), day: meeting, minute: 30))
                }
            }
            if meeting - lastGoalRating >= 28 {
                lastGoalRating = meeting
                var answers: [String: Answer] = [:]
                for (offset, goal) in goalIDs.enumerated() {
                    let base = 2 + Double(offset) * 0.7 + gain * 0.35 * progress
                    answers[goal] = .number(
                        min(10, max(0, (base + gaussian(&random, mean: 0, sd: 0.8)).rounded())))
                }
                records.append(
                    record(
                        administration(instruments.gbo, answers, date: date, worker: worker, age: age),
                        day: meeting, minute: 40))
            }
        }
        return records
    }

    /// Splits a total over items on a 0–10 line with 0.1 steps.
    static func split(_ total: Double, items: [String], random: inout SplitMix64) -> [String: Answer] {
        var answers: [String: Answer] = [:]
        for item in items {
            let value = min(10, max(0, total / Double(items.count) + gaussian(&random, mean: 0, sd: 0.6)))
            answers[item] = .number((value * 10).rounded() / 10)
        }
        return answers
    }

    static func administration(
        _ instrument: Instrument, _ answers: [String: Answer], date: String, worker: String, age: Int
    )
        -> RecordBody
    {
        let itemAnswers = answers.mapValues { answer -> ItemAnswer in
            if case .number(let value) = answer { return .number(value) }
            return .skipped
        }
        let scores = try! Scorer.score(instrument, answers: itemAnswers).stored
        return .administration(
            AdministrationRecord(
                instrument: instrument.id, instrumentVersion: instrument.version, worker: worker,
                respondent: "citizen",
                date: date, answers: answers, scores: scores, comment: nil, age: age))
    }

    static func uniform(_ random: inout SplitMix64, _ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(random.next() >> 11) / Double(1 << 53)
    }

    /// A normal deviate by the Box–Muller transform.
    static func gaussian(_ random: inout SplitMix64, mean: Double, sd: Double) -> Double {
        let u1 = max(uniform(&random, 0, 1), 1e-12)
        let u2 = uniform(&random, 0, 1)
        return mean + sd * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
