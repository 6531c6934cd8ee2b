import Foundation
import Storage

/// The store as progression sees it: one history per case, with corrections and withdrawals
/// applied, goals with their wording history, and decisions.
public struct StoreView: Sendable {
    /// Case histories by case id.
    public var cases: [String: CaseHistory]

    /// The case ids in order.
    public var caseIDs: [String] { cases.keys.sorted() }

    public init(cases: [String: CaseHistory]) {
        self.cases = cases
    }

    /// Builds the view from merged records (ordered by time, as `Store.read()` gives them).
    ///
    /// A correction replaces its target's content but keeps the target's id, so flags and
    /// decisions that refer to it stay attached; the latest correction wins. A withdrawal removes
    /// its target. A meeting date that cannot be read falls back to the day the record was written.
    public init(records: [Record]) {
        // Corrections and withdrawals are rare: find their targets first, so only those
        // administrations need remembering by id.
        var targets = Set<String>()
        for record in records {
            switch record.body {
            case .correction(let target, _), .withdrawal(let target, _): targets.insert(target)
            default: break
            }
        }
        var readings: [String: [Reading]] = [:]
        var located: [String: (caseID: String, index: Int)] = [:]
        var withdrawn = Set<String>()
        var goals: [String: [String: GoalHistory]] = [:]
        var goalOrder: [String: [String]] = [:]
        var decisions: [String: [Decision]] = [:]
        func reading(_ id: String, _ record: Record, _ content: AdministrationRecord) -> Reading {
            var parts = content.scores
            let total = parts.removeValue(forKey: "total")
            return Reading(
                id: id, caseID: record.caseID, instrument: content.instrument,
                day: Day(iso: content.date) ?? Day(record.time), recorded: record.time, total: total,
                parts: parts,
                age: content.age, worker: content.worker, respondent: content.respondent,
                comment: content.comment)
        }
        for record in records {
            switch record.body {
            case .administration(let content):
                if targets.contains(record.id) {
                    located[record.id] = (record.caseID, readings[record.caseID, default: []].count)
                }
                readings[record.caseID, default: []].append(reading(record.id, record, content))
            case .correction(let target, let replacement):
                if let place = located[target], place.caseID == record.caseID {
                    let original = readings[place.caseID]![place.index]
                    var corrected = reading(target, record, replacement)
                    corrected.recorded = original.recorded
                    readings[place.caseID]![place.index] = corrected
                }
            case .withdrawal(let target, _):
                withdrawn.insert(target)
            case .goal(let goal):
                var caseGoals = goals[record.caseID, default: [:]]
                switch goal.action {
                case .set:
                    if caseGoals[goal.goal] == nil { goalOrder[record.caseID, default: []].append(goal.goal) }
                    caseGoals[goal.goal] = GoalHistory(
                        id: goal.goal, instrument: goal.instrument,
                        wordings: [(goal.text ?? "", record.time)], retired: nil)
                case .reword:
                    caseGoals[goal.goal]?.wordings.append((goal.text ?? "", record.time))
                case .retire:
                    caseGoals[goal.goal]?.retired = record.time
                }
                goals[record.caseID] = caseGoals
            case .decision(let decision):
                guard let outcome = FollowUpOutcome(rawValue: decision.outcome) else { continue }
                decisions[record.caseID, default: []].append(
                    Decision(
                        flag: decision.flag, outcome: outcome, note: decision.note, worker: decision.worker,
                        recorded: record.time))
            case .erasure:
                break
            }
        }
        if !withdrawn.isEmpty {
            for (caseID, list) in readings where list.contains(where: { withdrawn.contains($0.id) }) {
                readings[caseID] = list.filter { !withdrawn.contains($0.id) }
            }
        }
        var cases: [String: CaseHistory] = [:]
        let ids = Set(readings.keys).union(goals.keys).union(decisions.keys)
        for id in ids {
            // Goals in the order they were set; goals set together (one session) by their number.
            let caseGoals = (goalOrder[id] ?? []).compactMap { goals[id]?[$0] }.sorted { a, b in
                let left = (a.wordings.first?.recorded ?? .distantPast, Int(a.id.dropFirst()) ?? 0, a.id)
                let right = (b.wordings.first?.recorded ?? .distantPast, Int(b.id.dropFirst()) ?? 0, b.id)
                return left < right
            }
            cases[id] = CaseHistory(
                caseID: id, readings: readings[id] ?? [], decisions: decisions[id] ?? [], goals: caseGoals)
        }
        self.cases = cases
    }
}
