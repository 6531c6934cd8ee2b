import Foundation
import InstrumentModel
import Progression
import Storage
import Support

/// The decisions a team would have made on its flags as they came up, so a synthetic store looks
/// like one in use: walking through time in steps, each flag gets a decision a few days after it
/// last showed (mostly E1 continue or E2 adjust); the last few weeks' stay open.
package enum SettledFlags {
    /// The decision a team makes on `flag` of the case `caseID` three days after it last showed,
    /// by its last worker: mostly E1 continue or E2 adjust, drawn from `random`.
    package static func decision(
        on flag: Flag, in history: CaseHistory, of caseID: String, random: inout SplitMix64
    ) -> Record {
        let roll = random.next() % 100
        let outcome: FollowUpOutcome =
            roll < 62 ? .continue : roll < 92 ? .adjust : roll < 98 ? .reassess : .end
        let worker = history.readings.last?.worker ?? "w01"
        let body = RecordBody.decision(
            DecisionRecord(flag: flag.id, outcome: outcome.rawValue, note: nil, worker: worker))
        return Record(
            id: Hex.string(random.next()) + Hex.string(random.next()), writer: "\(worker)@simulated",
            time: (flag.latest + 3).date.addingTimeInterval(14 * 3600), caseID: caseID, body: body)
    }

    /// Returns the decision records for the flags `records` raise, oldest first.
    ///
    /// At each step every case is looked at in order of id, with what the store held of it by the
    /// end of the step's day (its records of before then and the decisions made so far): what
    /// indexing the whole store up to then and going through its cases would give, since a case's
    /// flags depend only on its own records. Each case's history is made again only when it has
    /// gained records since the step before.
    /// - Parameters:
    ///   - records: a store read (ids unique), answers not needed.
    ///   - today: the day the store is seen from; flags of the last `days` days stay open.
    ///   - step: the days between two looks at the flags.
    ///   - seed: the seed of the choices, so a seed gives the same decisions.
    package static func decisions(
        for records: consuming [Record], catalogue: InstrumentCatalogue, today: Day, leaveOpen days: Int,
        step: Int, seed: UInt64
    ) -> [Record] {
        var random = SplitMix64(seed: seed ^ 0x5EED)
        guard let first = records.first else { return [] }
        var cases = CaseRecords(records)
        records = []
        var decisions: [Record] = []
        var cutoff = Day(first.time) + step
        let end = today + (-days)
        while cutoff <= end {
            let moment = (cutoff + 1).date
            let engine = FlagEngine(catalogue: catalogue, today: cutoff)
            for number in cases.caseIDs.indices {
                guard let history = cases.history(number, before: moment) else { continue }
                var made: [Record] = []
                for flag in engine.flags(for: history) where flag.isOpen && flag.latest + 3 <= cutoff {
                    made.append(decision(on: flag, in: history, of: cases.caseIDs[number], random: &random))
                }
                if !made.isEmpty {
                    cases.add(made, to: number)
                    decisions += made
                }
            }
            cutoff = cutoff + step
        }
        return decisions
    }
}

/// A store's records case by case, for looking at each case as the store stood at a moment.
private struct CaseRecords {
    /// Every case a record names, in order of id (as `CaseIndex` orders its cases).
    let caseIDs: [String]
    /// Each case's records in the store's order, a withdrawal with the case of the administration
    /// it withdraws (a withdrawal removes its target whichever case it names).
    private var records: [[Record]]
    /// Whether a case's records are in order of time and only administrations and goals: then its
    /// history grows by adding each step's new records and the decisions made (`CaseHistory.adding`),
    /// and only the records not yet added are kept.
    private let plain: [Bool]
    /// The decisions made for each case, in order (after its records, as appended to the store);
    /// for a plain case, those not yet added to its history.
    private var added: [[Record]]
    /// Each case's history as last made, and how many of its records and decisions it holds.
    private var made: [(records: Int, added: Int, history: CaseHistory?)?]

    init(_ all: [Record]) {
        var withdrawn = Set<String>()
        for record in all {
            if case .withdrawal(let target, _) = record.body { withdrawn.insert(target) }
        }
        var caseOfTarget: [String: String] = [:]
        if !withdrawn.isEmpty {
            for record in all where withdrawn.contains(record.id) {
                if case .administration = record.body { caseOfTarget[record.id] = record.caseID }
            }
        }
        var numbers: [String: Int] = [:]
        var grouped: [[Record]] = []
        var names: [String] = []
        for record in all {
            var caseID = record.caseID
            if case .withdrawal(let target, _) = record.body, let owner = caseOfTarget[target] {
                caseID = owner
            }
            if let number = numbers[caseID] {
                grouped[number].append(record)
            } else {
                numbers[caseID] = grouped.count
                grouped.append([record])
                names.append(caseID)
            }
        }
        let order = names.indices.sorted { names[$0] < names[$1] }
        caseIDs = order.map { names[$0] }
        records = order.map { grouped[$0] }
        plain = records.map { records in
            records.indices.dropFirst().allSatisfy { records[$0 - 1].time <= records[$0].time }
                && records.allSatisfy {
                    switch $0.body {
                    case .administration, .goal: return true
                    default: return false
                    }
                }
        }
        added = Array(repeating: [], count: order.count)
        made = Array(repeating: nil, count: order.count)
    }

    /// The history of the case `caseIDs[number]` of its records and decisions from before
    /// `moment`, or nil when they hold no administration, goal or decision.
    mutating func history(_ number: Int, before moment: Date) -> CaseHistory? {
        if plain[number] { return grown(number, before: moment) }
        let count = records[number].count { $0.time < moment }
        let decided = added[number].count { $0.time < moment }
        if let last = made[number], last.records == count, last.added == decided { return last.history }
        let prefix = records[number].filter { $0.time < moment } + added[number].filter { $0.time < moment }
        let history = prefix.isEmpty ? nil : CaseIndex(records: prefix).history(of: caseIDs[number])
        made[number] = (count, decided, history)
        return history
    }

    /// The history of a plain case grown by its records from before `moment` not yet taken and
    /// the decisions made since it was last looked at (each made for a flag shown at least 3 days
    /// before a step's day, at 14:00 on the third day, so before any later `moment`); the records
    /// taken are let go.
    private mutating func grown(_ number: Int, before moment: Date) -> CaseHistory? {
        let count = records[number].prefix { $0.time < moment }.count
        guard count > 0 || !added[number].isEmpty else { return made[number]?.history }
        let new = Array(records[number][..<count]) + added[number]
        let history =
            made[number]?.history.map { $0.adding(new) }
            ?? CaseIndex(records: new).history(of: caseIDs[number])
        records[number] = Array(records[number][count...])
        added[number] = []
        made[number] = (0, 0, history)
        return history
    }

    /// Adds decisions made for the case `caseIDs[number]`.
    mutating func add(_ decisions: [Record], to number: Int) {
        added[number] += decisions
    }
}
