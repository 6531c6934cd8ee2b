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
    public init(_ snapshot: consuming SummarySnapshot) {
        // Taken over, so the table is freed as soon as the readings are made.
        var table = snapshot.table
        snapshot.table = SummaryTable()
        var others: [Record] = []
        var targets = Set<String>()
        for record in snapshot.others {
            switch record.body {
            case .administration(let content): table.append(AdministrationSummary(record, content))
            case .correction(let target, _), .withdrawal(let target, _):
                targets.insert(target)
                others.append(record)
            default: others.append(record)
            }
        }
        let entries = table.entries
        // Each administration's case by number, in order of first appearance, found once per
        // string of the table's pool rather than by hashing every administration's case id.
        var caseIDs: [String] = []
        var caseNumbers: [String: Int32] = [:]
        var caseOfString = [Int32](repeating: -1, count: table.pool.count)
        var caseOf = [Int32](repeating: 0, count: entries.count)
        var located: [String: Int] = [:]
        for index in entries.indices {
            let string = entries[index].caseID
            var number = caseOfString[Int(string)]
            if number < 0 {
                let caseID = table.pool[string]
                number =
                    caseNumbers[caseID]
                    ?? {
                        let number = Int32(caseIDs.count)
                        caseNumbers[caseID] = number
                        caseIDs.append(caseID)
                        return number
                    }()
                caseOfString[Int(string)] = number
            }
            caseOf[index] = number
            if !targets.isEmpty {
                let id = table.id(index)
                if targets.contains(id) { located[id] = index }
            }
        }
        var corrected: [Int: Reading] = [:]
        var withdrawn = Set<String>()
        var goals: [String: [String: GoalHistory]] = [:]
        var goalOrder: [String: [String]] = [:]
        var decisions: [String: [Decision]] = [:]
        for record in others {
            switch record.body {
            case .administration, .erasure:
                break
            case .correction(let target, let replacement):
                if let place = located[target], table.pool[entries[place].caseID] == record.caseID {
                    var reading = Reading(AdministrationSummary(record, replacement, id: target))
                    reading.recorded = Date(timeIntervalSince1970: entries[place].time)
                    corrected[place] = reading
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
        // Each case's summaries in order of meeting day, time recorded and id (as CaseHistory
        // orders them, ties kept in arrival order), found by counting rather than by appending
        // to a dictionary of arrays.
        var starts = [Int](repeating: 0, count: caseIDs.count + 1)
        for number in caseOf { starts[Int(number) + 1] += 1 }
        for number in caseIDs.indices { starts[number + 1] += starts[number] }
        var order = [Int32](repeating: 0, count: entries.count)
        var next = starts
        for (index, number) in caseOf.enumerated() {
            order[next[Int(number)]] = Int32(index)
            next[Int(number)] += 1
        }
        caseOf = []
        // Fixed from here on, and read from every core below.
        let (source, corrections, withdrawals) = (table, corrected, withdrawn)
        let (caseGoals, caseGoalOrder, caseDecisions) = (goals, goalOrder, decisions)
        let (members, caseStarts) = (order, starts)
        order = []
        func correction(_ index: Int) -> Reading? { corrections.isEmpty ? nil : corrections[index] }
        let days = entries.indices.map { index in
            correction(index)?.day.number
                ?? (entries[index].has(.day)
                    ? Int(entries[index].day) : Day(Date(timeIntervalSince1970: entries[index].time)).number)
        }
        func before(_ a: Int32, _ b: Int32) -> Bool {
            let (left, right) = (Int(a), Int(b))
            if days[left] != days[right] { return days[left] < days[right] }
            let times = (
                Date(timeIntervalSince1970: entries[left].time),
                Date(timeIntervalSince1970: entries[right].time)
            )
            if times.0 != times.1 { return times.0 < times.1 }
            let ids = (source.id(left), source.id(right))
            if ids.0 != ids.1 { return ids.0 < ids.1 }
            return left < right
        }
        func history(_ id: String, readings: [Reading]) -> CaseHistory {
            // Goals in the order they were set; goals set together (one session) by their number.
            let goals = (caseGoalOrder[id] ?? []).compactMap { caseGoals[id]?[$0] }.sorted { a, b in
                let left = (a.wordings.first?.recorded ?? .distantPast, Int(a.id.dropFirst()) ?? 0, a.id)
                let right = (b.wordings.first?.recorded ?? .distantPast, Int(b.id.dropFirst()) ?? 0, b.id)
                return left < right
            }
            return CaseHistory(
                caseID: id, ordered: readings, decisions: caseDecisions[id] ?? [], goals: goals)
        }
        let reader = TableReader(source)
        // Each case's readings are ordered and made apart from every other case's: on every
        // core, in runs of cases, then taken in order.
        let runs = min(caseIDs.count, 64)
        let made = parallelMap(runs) { run in
            var histories: [CaseHistory] = []
            for number in stride(from: run, to: caseIDs.count, by: runs) {
                var indices = Array(members[caseStarts[number]..<caseStarts[number + 1]])
                if indices.indices.dropFirst().contains(where: { before(indices[$0], indices[$0 - 1]) }) {
                    indices.sort(by: before)
                }
                var list: [Reading] = []
                list.reserveCapacity(indices.count)
                for index in indices.lazy.map(Int.init) {
                    if !withdrawals.isEmpty, withdrawals.contains(source.id(index)) { continue }
                    list.append(correction(index) ?? reader.reading(index))
                }
                histories.append(history(caseIDs[number], readings: list))
            }
            return histories
        }
        table = SummaryTable()
        var cases: [String: CaseHistory] = [:]
        cases.reserveCapacity(caseIDs.count)
        for (number, id) in caseIDs.enumerated() {
            cases[id] = made[number % runs][number / runs]
        }
        for id in Set(goals.keys).union(decisions.keys) where cases[id] == nil {
            cases[id] = history(id, readings: [])
        }
        self.cases = cases
    }
}

/// The arrays of a summary table, taken out once, so that making a million readings does not
/// go through the table for every field of every one.
private struct TableReader {
    let entries: [SummaryEntry]
    let strings: [String]
    let partNames: [UInt32]
    let partValues: [Double]

    init(_ table: SummaryTable) {
        entries = table.entries
        strings = table.pool.strings
        partNames = table.partNames
        partValues = table.partValues
    }

    /// The reading of the administration at `index`, made as `Reading(table[index])` would make
    /// it without the summary in between.
    func reading(_ index: Int) -> Reading {
        let entry = entries[index]
        var parts: [String: Double] = [:]
        if entry.partCount > 0 {
            parts.reserveCapacity(Int(entry.partCount))
            for part in Int(entry.partStart)..<Int(entry.partStart + entry.partCount) {
                parts[strings[Int(partNames[part])]] = partValues[part]
            }
        }
        let recorded = Date(timeIntervalSince1970: entry.time)
        return Reading(
            identifier: entry.has(.textID)
                ? ReadingID(strings[Int(entry.idHigh)]) : ReadingID(high: entry.idHigh, low: entry.idLow),
            caseID: strings[Int(entry.caseID)], instrument: strings[Int(entry.instrument)],
            day: entry.has(.day) ? Day(number: Int(entry.day)) : Day(recorded), recorded: recorded,
            total: entry.has(.total) ? entry.total : nil, parts: parts,
            age: entry.has(.age) ? Int(entry.age) : nil,
            worker: entry.has(.worker) ? strings[Int(entry.worker)] : nil,
            respondent: strings[Int(entry.respondent)],
            comment: entry.has(.comment) ? strings[Int(entry.comment)] : nil)
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
