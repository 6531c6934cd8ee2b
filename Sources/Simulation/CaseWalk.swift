import Foundation
import Progression
import Storage

/// One case's records as a walk through time sees them: the case's history as the store held it
/// at a moment (its records of before then and the decisions made so far), made again only when
/// it has gained records or decisions since it was last asked for.
struct CaseWalk {
    /// The case's id.
    let caseID: String
    /// The case's records in the store's order, a withdrawal with the case of the administration
    /// it withdraws (a withdrawal removes its target whichever case it names); for a plain case,
    /// those not yet added to its history.
    private var records: [Record]
    /// Whether the case's records are in order of time and only administrations and goals: then
    /// its history grows by adding each step's new records and the decisions made
    /// (`CaseHistory.adding`), and only the records not yet added are kept.
    private let plain: Bool
    /// The decisions made, in order (after the case's records, as appended to the store); for a
    /// plain case, those not yet added to its history.
    private var added: [Record] = []
    /// The history as last made, and how many of the records and decisions it holds.
    private var made: (records: Int, added: Int, history: CaseHistory?)?

    init(caseID: String, records: [Record]) {
        self.caseID = caseID
        self.records = records
        plain =
            records.indices.dropFirst().allSatisfy { records[$0 - 1].time <= records[$0].time }
            && records.allSatisfy {
                switch $0.body {
                case .administration, .goal: return true
                default: return false
                }
            }
    }

    /// The history of the case's records and decisions from before `moment`, or nil when they
    /// hold no administration, goal or decision.
    mutating func history(before moment: Date) -> CaseHistory? {
        if plain { return grown(before: moment) }
        let count = records.count { $0.time < moment }
        let decided = added.count { $0.time < moment }
        if let last = made, last.records == count, last.added == decided { return last.history }
        let prefix = records.filter { $0.time < moment } + added.filter { $0.time < moment }
        let history = prefix.isEmpty ? nil : CaseIndex(records: prefix).history(of: caseID)
        made = (count, decided, history)
        return history
    }

    /// The history of a plain case grown by its records from before `moment` not yet taken and
    /// the decisions made since it was last asked for (each made for a flag shown at least 3 days
    /// before a step's day, at 14:00 on the third day, so before any later `moment`); the records
    /// taken are let go.
    private mutating func grown(before moment: Date) -> CaseHistory? {
        let count = records.prefix { $0.time < moment }.count
        guard count > 0 || !added.isEmpty else { return made?.history }
        let new = Array(records[..<count]) + added
        let history =
            made?.history.map { $0.adding(new) }
            ?? CaseIndex(records: new).history(of: caseID)
        records.removeFirst(count)
        added = []
        made = (0, 0, history)
        return history
    }

    /// Adds decisions made for the case.
    mutating func add(_ decisions: [Record]) {
        added += decisions
    }

    /// A store read's records case by case: every case a record names, in order of id (as
    /// `CaseIndex` orders its cases), each with its records in the read's order and a withdrawal
    /// with the case of the administration it withdraws.
    static func cases(of all: [Record]) -> (caseIDs: [String], records: [[Record]]) {
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
        return (order.map { names[$0] }, order.map { grouped[$0] })
    }
}
