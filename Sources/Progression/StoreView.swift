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
    public init(records: [Record]) {
        self.init(SummarySnapshot(records: records))
    }

    /// Builds the view from a store read for reports.
    ///
    /// A correction replaces its target's content but keeps the target's id and time, so flags and
    /// decisions that refer to it stay attached; the latest correction wins. A withdrawal removes
    /// its target. A meeting date that cannot be read falls back to the day the record was written.
    public init(_ snapshot: SummarySnapshot) {
        var summaries = snapshot.administrations
        var others: [Record] = []
        var targets = Set<String>()
        for record in snapshot.others {
            switch record.body {
            case .administration(let content): summaries.append(AdministrationSummary(record, content))
            case .correction(let target, _), .withdrawal(let target, _):
                targets.insert(target)
                others.append(record)
            default: others.append(record)
            }
        }
        var readings: [String: [Reading]] = [:]
        var located: [String: (caseID: String, index: Int)] = [:]
        for summary in summaries {
            if targets.contains(summary.id) {
                located[summary.id] = (summary.caseID, readings[summary.caseID, default: []].count)
            }
            readings[summary.caseID, default: []].append(Reading(summary))
        }
        var withdrawn = Set<String>()
        var goals: [String: [String: GoalHistory]] = [:]
        var goalOrder: [String: [String]] = [:]
        var decisions: [String: [Decision]] = [:]
        for record in others {
            switch record.body {
            case .administration, .erasure:
                break
            case .correction(let target, let replacement):
                if let place = located[target], place.caseID == record.caseID {
                    var corrected = Reading(AdministrationSummary(record, replacement, id: target))
                    corrected.recorded = readings[place.caseID]![place.index].recorded
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

extension Reading {
    /// The reading of an administration summary.
    public init(_ summary: AdministrationSummary) {
        self.init(
            id: summary.id, caseID: summary.caseID, instrument: summary.instrument,
            day: summary.day.map(Day.init(number:)) ?? Day(summary.time), recorded: summary.time,
            total: summary.total,
            parts: summary.parts, age: summary.age, worker: summary.worker, respondent: summary.respondent,
            comment: summary.comment)
    }
}

extension CaseHistory {
    /// The history with new records of the same case added (administrations, goals, decisions).
    public func adding(_ records: [Record]) -> CaseHistory {
        let added = StoreView(records: records).cases[caseID]
        var goals = self.goals
        for goal in added?.goals ?? [] {
            if let index = goals.firstIndex(where: { $0.id == goal.id }) {
                goals[index].wordings += goal.wordings
                goals[index].retired = goal.retired ?? goals[index].retired
            } else {
                goals.append(goal)
            }
        }
        // Rewordings and retirements of existing goals arrive without their "set" record.
        for record in records {
            guard case .goal(let goal) = record.body, goal.action != .set,
                let index = goals.firstIndex(where: { $0.id == goal.goal })
            else { continue }
            if goal.action == .reword { goals[index].wordings.append((goal.text ?? "", record.time)) }
            if goal.action == .retire { goals[index].retired = record.time }
        }
        return CaseHistory(
            caseID: caseID, readings: readings + (added?.readings ?? []),
            decisions: decisions + (added?.decisions ?? []),
            goals: goals)
    }
}
