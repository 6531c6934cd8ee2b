import Foundation
import InstrumentModel
import Progression
import Storage
import Support

/// The decisions a team would have made on its flags as they came up, so a synthetic store looks
/// like one in use: walking through time in steps, each flag gets a decision a few days after it
/// last showed (mostly E1 continue or E2 adjust); the last few weeks' stay open.
///
/// At each step every case is looked at in order of id, with what the store held of it by the end
/// of the step's day (its records of before then and the decisions made so far), and every open
/// flag last shown at least three days before gets a decision, each drawing its outcome and id
/// from one generator in that order. A case's flags depend only on its own records and decisions,
/// and on a decision's outcome only through whether it ended the support (E3, after which a case
/// with no new administration is not overdue). So each case is walked through every step on its
/// own, on every core, as if no decision ended its support, keeping only the flags that come due
/// (`Trajectory`); then the steps are gone through in order, drawing each decision as before, and
/// a case whose support a decision ended is walked again from that step on, until its flags are
/// those of its first walk again.
package enum SettledFlags {
    /// How a team settles its flags: a look every `step` days, and the flags of the last
    /// `leaveOpen` days left open.
    package struct Settings: Sendable, Hashable {
        package var leaveOpen: Int
        package var step: Int

        package init(leaveOpen: Int, step: Int) {
            self.leaveOpen = leaveOpen
            self.step = step
        }
    }

    /// The decision a team makes on `flag` of the case `caseID` three days after it last showed,
    /// by its last worker: mostly E1 continue or E2 adjust, drawn from `random`.
    package static func decision(
        on flag: Flag, in history: CaseHistory, of caseID: String, random: inout SplitMix64
    ) -> Record {
        decision(on: DueFlag(flag, in: history), of: caseID, random: &random).record
    }

    /// The decision on a flag come due, and its outcome: the one place a simulated team decides.
    static func decision(on due: DueFlag, of caseID: String, random: inout SplitMix64) -> (
        record: Record, outcome: FollowUpOutcome
    ) {
        let roll = random.next() % 100
        let outcome: FollowUpOutcome =
            roll < 62 ? .continue : roll < 92 ? .adjust : roll < 98 ? .reassess : .end
        let id = Hex.string(random.next()) + Hex.string(random.next())
        return (due.record(outcome: outcome, id: id, of: caseID), outcome)
    }

    /// Returns the decision records for the flags `records` raise, in the order they were made.
    /// - Parameters:
    ///   - records: a store read (ids unique), answers not needed.
    ///   - today: the day the store is seen from; flags of the last `days` days stay open.
    ///   - step: the days between two looks at the flags.
    ///   - seed: the seed of the choices, so a seed gives the same decisions.
    package static func decisions(
        for records: consuming [Record], catalogue: InstrumentCatalogue, today: Day, leaveOpen days: Int,
        step: Int, seed: UInt64
    ) -> [Record] {
        guard let first = records.first else { return [] }
        let settling = Settling(
            first: Day(first.time), today: today, settings: Settings(leaveOpen: days, step: step),
            catalogue: catalogue, seed: seed)
        let (caseIDs, grouped) = CaseWalk.cases(of: records)
        records = []
        var trajectories = parallelMap(caseIDs.count) { number in
            settling.trajectory(caseID: caseIDs[number], records: grouped[number])
        }
        var decisions: [Record] = []
        settling.decide(
            caseIDs: caseIDs, trajectories: &trajectories, records: { grouped[$0] },
            emit: { decisions.append($0) })
        return decisions
    }
}

/// A flag come due for a decision, as much of it as the decision takes.
struct DueFlag: Sendable, Hashable {
    /// The flag's id as a number (every flag's id is a `FlagNumber`).
    var flag: UInt64
    /// The last meeting day that showed it.
    var latest: Day
    /// Who decides: the worker of the case's last reading.
    var worker: String

    init(flag: UInt64, latest: Day, worker: String) {
        self.flag = flag
        self.latest = latest
        self.worker = worker
    }

    init(_ flag: Flag, in history: CaseHistory) {
        guard let number = FlagNumber(flag.id) else { preconditionFailure("flag id \(flag.id) not a number") }
        self.init(flag: number.value, latest: flag.latest, worker: history.lastReading?.worker ?? "w01")
    }

    /// The decision record with this outcome and id: three days after the flag last showed, at
    /// 14:00, in the worker's journal.
    func record(outcome: FollowUpOutcome, id: String, of caseID: String) -> Record {
        Record(
            id: id, writer: "\(worker)@simulated", time: (latest + 3).date.addingTimeInterval(14 * 3600),
            caseID: caseID,
            body: .decision(
                DecisionRecord(
                    flag: FlagNumber(flag).text, outcome: outcome.rawValue, note: nil, worker: worker)))
    }
}

/// The flags of one case that come due, step by step, as much of each as its decision takes:
/// about 24 bytes a flag, however long the case's history.
struct Trajectory: Sendable {
    struct Entry: Sendable {
        var flag: UInt64
        var latest: Int32
        /// The number of the step at which it comes due.
        var step: Int32
        /// The worker's place in `workers`.
        var worker: Int32
        /// The decision's outcome once drawn; nil while it is assumed not to end the support.
        var outcome: FollowUpOutcome?
    }

    private(set) var entries: [Entry] = []
    /// The workers the entries name, each once.
    private var workers: [String] = []

    mutating func append(_ due: DueFlag, step: Int) {
        var worker = workers.lastIndex(of: due.worker) ?? -1
        if worker < 0 {
            worker = workers.count
            workers.append(due.worker)
        }
        entries.append(
            Entry(
                flag: due.flag, latest: Int32(due.latest.number), step: Int32(step), worker: Int32(worker),
                outcome: nil))
    }

    func due(_ place: Int) -> DueFlag {
        let entry = entries[place]
        return DueFlag(
            flag: entry.flag, latest: Day(number: Int(entry.latest)), worker: workers[Int(entry.worker)])
    }

    /// Notes the outcome drawn for the entry at `place`.
    mutating func decided(_ place: Int, _ outcome: FollowUpOutcome) {
        entries[place].outcome = outcome
    }

    /// The first `count` entries.
    func prefix(_ count: Int) -> Trajectory {
        var prefix = self
        prefix.entries.removeSubrange(count...)
        return prefix
    }
}

/// The walk through time of `SettledFlags`: the steps, the flag engine, and the two passes.
struct Settling: Sendable {
    /// The day of each step: every `step` days from the day of the store's first record, up to
    /// `leaveOpen` days before today.
    let cutoffs: [Day]
    let engine: FlagEngine
    let seed: UInt64

    init(
        first: Day, today: Day, settings: SettledFlags.Settings, catalogue: InstrumentCatalogue, seed: UInt64
    ) {
        var cutoffs: [Day] = []
        var cutoff = first + settings.step
        let end = today + (-settings.leaveOpen)
        while cutoff <= end {
            cutoffs.append(cutoff)
            cutoff = cutoff + settings.step
        }
        self.cutoffs = cutoffs
        engine = FlagEngine(catalogue: catalogue, today: first)
        self.seed = seed
    }

    /// The flags of a case that come due at each step, its records (in the store's order) walked
    /// through every step as if no decision ended its support.
    func trajectory(caseID: String, records: [Record]) -> Trajectory {
        var walk = CaseWalk(caseID: caseID, records: records)
        var trajectory = Trajectory()
        self.walk(&walk, from: 0, into: &trajectory)
        return trajectory
    }

    /// The flags of a case that come due, walked again after a decision at step `step` ended its
    /// support: up to the step, the first `count` of `walked` (the case's trajectory) with the
    /// outcomes drawn for them; after it, as if no later decision ended the support.
    ///
    /// The walk rejoins `walked` as soon as it has found the same flags at every step since and
    /// the support no longer counts as ended (an administration came after every E3): from then on
    /// the case's history differs from the one `walked` saw only in outcomes that change no flag.
    func trajectory(
        caseID: String, records: [Record], walked: Trajectory, decided count: Int, after step: Int
    )
        -> Trajectory
    {
        var walk = CaseWalk(caseID: caseID, records: records)
        var ids = SplitMix64(seed: UInt64(truncatingIfNeeded: step) ^ 0xDEC1_DED)
        walk.add(
            (0..<count).map { place in
                walked.due(place).record(
                    outcome: walked.entries[place].outcome!,
                    id: Hex.string(ids.next()) + Hex.string(ids.next()),
                    of: caseID)
            })
        var trajectory = walked.prefix(count)
        self.walk(&walk, from: step + 1, into: &trajectory, rejoining: (walked, count))
        return trajectory
    }

    /// Walks the case through the steps from `first` on, appending the flags that come due, each
    /// decided as E1 continue under an id of its own (an id no record refers to, so it changes
    /// nothing a flag shows); with `earlier`, until it rejoins that trajectory from its entry at
    /// `place` on (see `trajectory(caseID:records:walked:decided:after:)`).
    private func walk(
        _ walk: inout CaseWalk, from first: Int, into trajectory: inout Trajectory,
        rejoining earlier: (walked: Trajectory, place: Int)? = nil
    ) {
        var engine = engine
        var ids = SplitMix64(seed: UInt64(truncatingIfNeeded: first) ^ 0xA55_0ED)
        var earlier = earlier
        for step in cutoffs.indices.dropFirst(first) {
            let cutoff = cutoffs[step]
            guard let history = walk.history(before: (cutoff + 1).date) else { continue }
            if let (walked, place) = earlier, !engine.caseEnded(history) {
                for rest in place..<walked.entries.count {
                    trajectory.append(walked.due(rest), step: Int(walked.entries[rest].step))
                }
                return
            }
            engine.today = cutoff
            var due: [DueFlag] = []
            for flag in engine.flags(for: history) where flag.isOpen && flag.latest + 3 <= cutoff {
                due.append(DueFlag(flag, in: history))
                trajectory.append(due.last!, step: step)
            }
            if let (walked, place) = earlier {
                let end = walked.entries[place...].firstIndex { $0.step != step } ?? walked.entries.count
                earlier = due == (place..<end).map(walked.due) ? (walked, end) : nil
            }
            if !due.isEmpty {
                walk.add(
                    due.map {
                        $0.record(
                            outcome: .continue, id: Hex.string(ids.next()) + Hex.string(ids.next()),
                            of: walk.caseID)
                    })
            }
        }
    }

    /// Makes the decisions step by step, each case at a step in order of id (`caseIDs`, the
    /// trajectories' order), drawing each from one generator as a team deciding in that order
    /// would, and hands each to `emit` as it is made; a case whose support a decision ended is
    /// walked again from there, its records given by `records(number)`.
    /// - Returns: how many decisions were made.
    @discardableResult
    func decide<Failure: Error>(
        caseIDs: [String], trajectories: inout [Trajectory], records: @Sendable (Int) -> [Record],
        emit: (Record) throws(Failure) -> Void
    ) throws(Failure) -> Int {
        var random = SplitMix64(seed: seed ^ 0x5EED)
        var next = [Int](repeating: 0, count: caseIDs.count)
        var made = 0
        for step in cutoffs.indices {
            var ended: [Int] = []
            for number in caseIDs.indices {
                var place = next[number]
                let count = trajectories[number].entries.count
                guard place < count, trajectories[number].entries[place].step == step else { continue }
                var end = false
                repeat {
                    let (record, outcome) = SettledFlags.decision(
                        on: trajectories[number].due(place), of: caseIDs[number], random: &random)
                    trajectories[number].decided(place, outcome)
                    end = end || outcome == .end
                    try emit(record)
                    made += 1
                    place += 1
                } while place < count && trajectories[number].entries[place].step == step
                next[number] = place
                if end { ended.append(number) }
            }
            guard !ended.isEmpty else { continue }
            // Walked again from the next step, with the decisions as drawn, on every core.
            let (numbers, walked, decided) = (ended, ended.map { trajectories[$0] }, ended.map { next[$0] })
            let again = parallelMap(numbers.count) { run in
                trajectory(
                    caseID: caseIDs[numbers[run]], records: records(numbers[run]), walked: walked[run],
                    decided: decided[run], after: step)
            }
            for (number, trajectory) in zip(ended, again) { trajectories[number] = trajectory }
        }
        return made
    }
}
