import Foundation
import Storage
import Support

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
        self.init(CaseSource(snapshot))
    }

    /// Builds the view of every case of `source`.
    public init(_ source: CaseSource) {
        // Each case's readings are ordered and made apart from every other case's: on every
        // core, in runs of cases, then taken in order.
        let made = CaseRuns(source.caseIDs.count).map { source.history($0) }
        self.cases = Dictionary(uniqueKeysWithValues: zip(source.caseIDs, made))
    }
}

/// A store's cases read for reports, each history made only when asked for: a report that
/// goes through every case once need not hold a million readings at once.
///
/// It applies what `StoreView` applies: corrections, withdrawals, goals and decisions.
public struct CaseSource: Sendable {
    /// Every case the store holds something about, in order of id.
    public let caseIDs: [String]
    private let table: SummaryTable
    private let reader: TableReader
    /// Each case's administrations as places in the table, case after case (`caseStarts`
    /// says where each begins), in order of meeting day, time recorded and id.
    private let members: [Int32]
    private let caseStarts: [Int]
    private let corrections: [Int: Reading]
    private let withdrawals: Set<String>
    private let goals: [String: [GoalHistory]]
    private let decisions: [String: [Decision]]

    /// Takes over a store read for reports.
    public init(_ snapshot: consuming SummarySnapshot) {
        // Taken over, so the table is freed with the source.
        var table = snapshot.table
        snapshot.table = SummaryTable()
        let others = snapshot.others
        var targets = Set<String>()
        for record in others {
            switch record.body {
            case .administration(let content): table.append(AdministrationSummary(record, content))
            case .correction(let target, _), .withdrawal(let target, _): targets.insert(target)
            default: break
            }
        }
        let entries = table.entries
        // Each administration's case by the number of its id in the pool: administrations are
        // counted per string of the pool rather than by hashing every administration's case id.
        var countOfString = [Int](repeating: 0, count: table.pool.count)
        var located: [String: Int] = [:]
        for index in entries.indices {
            countOfString[Int(entries[index].caseID)] += 1
            if !targets.isEmpty {
                let id = table.id(index)
                if targets.contains(id) { located[id] = index }
            }
        }
        var corrected: [Int: Reading] = [:]
        var withdrawn = Set<String>()
        // Each case's goals in the order they were first set (a case has few: found by looking).
        var goals: [String: [GoalHistory]] = [:]
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
                // Any goal record makes its case known, even a rewording whose goal is not here.
                if goals[record.caseID] == nil { goals[record.caseID] = [] }
                let place = goals[record.caseID]!.firstIndex { $0.id == goal.goal }
                switch goal.action {
                case .set:
                    let set = GoalHistory(
                        id: goal.goal, instrument: goal.instrument,
                        wordings: [(goal.text ?? "", record.time)], retired: nil)
                    if let place {
                        goals[record.caseID]![place] = set
                    } else {
                        goals[record.caseID]!.append(set)
                    }
                case .reword:
                    if let place {
                        goals[record.caseID]![place].wordings.append((goal.text ?? "", record.time))
                    }
                case .retire:
                    if let place { goals[record.caseID]![place].retired = record.time }
                }
            case .decision(let decision):
                guard let outcome = FollowUpOutcome(rawValue: decision.outcome) else { continue }
                decisions[record.caseID, default: []].append(
                    Decision(
                        flag: decision.flag, outcome: outcome, note: decision.note, worker: decision.worker,
                        recorded: record.time))
            }
        }
        // Cases in order of id: those with administrations, and those with only goals or decisions.
        let named = countOfString.indices.lazy.filter { countOfString[$0] > 0 }.map { table.pool[UInt32($0)] }
        let caseIDs = Set(named).union(goals.keys).union(decisions.keys).sorted()
        var numbers: [String: Int32] = [:]
        numbers.reserveCapacity(caseIDs.count)
        for (number, id) in caseIDs.enumerated() { numbers[id] = Int32(number) }
        var caseOfString = [Int32](repeating: -1, count: table.pool.count)
        var starts = [Int](repeating: 0, count: caseIDs.count + 1)
        for string in countOfString.indices where countOfString[string] > 0 {
            let number = numbers[table.pool[UInt32(string)]]!
            caseOfString[string] = number
            starts[Int(number) + 1] = countOfString[string]
        }
        for number in caseIDs.indices { starts[number + 1] += starts[number] }
        let replaced = corrected
        let ids = table
        @Sendable func day(_ index: Int) -> Int {
            if !replaced.isEmpty, let reading = replaced[index] { return reading.day.number }
            let entry = entries[index]
            return entry.has(.day) ? Int(entry.day) : Day(Date(timeIntervalSince1970: entry.time)).number
        }
        // As CaseHistory orders readings: by meeting day, time recorded and id, ties kept in
        // arrival order.
        @Sendable func before(_ left: Int, _ right: Int) -> Bool {
            let days = (day(left), day(right))
            if days.0 != days.1 { return days.0 < days.1 }
            let times = (entries[left].time, entries[right].time)
            if times.0 != times.1 { return times.0 < times.1 }
            let (leftID, rightID) = (ids.id(left), ids.id(right))
            if leftID != rightID { return leftID < rightID }
            return left < right
        }
        // Each case's administrations put in place by counting rather than by appending to a
        // dictionary of arrays. Most arrive in order, and one that arrives a little late (written
        // after a record of the same meeting) is moved back into place; the cases further out of
        // order (seen by several writers) are sorted afterwards, on every core.
        var order = [Int32](repeating: 0, count: entries.count)
        var next = starts
        var unordered: [Int] = []
        // The day and time of the last administration in place for each case: one later than it
        // goes at the end without looking further.
        var latest = [(day: Int, time: Double)](repeating: (.min, -.infinity), count: caseIDs.count)
        for index in entries.indices {
            let number = Int(caseOfString[Int(entries[index].caseID)])
            var place = next[number]
            next[number] = place + 1
            let key = (day: day(index), time: entries[index].time)
            if key.day > latest[number].day
                || (key.day == latest[number].day && key.time > latest[number].time)
            {
                latest[number] = key
                order[place] = Int32(index)
                continue
            }
            if place == starts[number] || !before(index, Int(order[place - 1])) { latest[number] = key }
            let nearest = max(starts[number], place - 8)
            while place > starts[number], before(index, Int(order[place - 1])) {
                guard place > nearest else {
                    if unordered.last != number { unordered.append(number) }
                    break
                }
                order[place] = order[place - 1]
                place -= 1
            }
            order[place] = Int32(index)
        }
        let noticed = Array(Set(unordered))
        // The copies go at the end of the block, so `order` is changed in place below.
        let sorted: [[Int32]]
        do {
            let (placed, caseStarts) = (order, starts)
            sorted = parallelMap(noticed.count) { run in
                placed[caseStarts[noticed[run]]..<caseStarts[noticed[run] + 1]].sorted {
                    before(Int($0), Int($1))
                }
            }
        }
        for (number, places) in zip(noticed, sorted) {
            order.replaceSubrange(starts[number]..<starts[number + 1], with: places)
        }
        self.caseIDs = caseIDs
        self.table = table
        reader = TableReader(table)
        members = order
        caseStarts = starts
        corrections = corrected
        withdrawals = withdrawn
        // Goals in the order they were set; goals set together (one session) by their number.
        for id in goals.keys where goals[id]!.count > 1 {
            goals[id]!.sort { a, b in
                let left = (a.wordings.first?.recorded ?? .distantPast, Int(a.id.dropFirst()) ?? 0, a.id)
                let right = (b.wordings.first?.recorded ?? .distantPast, Int(b.id.dropFirst()) ?? 0, b.id)
                return left < right
            }
        }
        self.goals = goals
        self.decisions = decisions
    }

    /// The table places of a case's administrations still standing (not withdrawn), in order.
    private func places(_ number: Int) -> [Int] {
        members[caseStarts[number]..<caseStarts[number + 1]].lazy.map(Int.init).filter {
            withdrawals.isEmpty || !withdrawals.contains(table.id($0))
        }
    }

    /// The history of the case `caseIDs[number]`.
    public func history(_ number: Int) -> CaseHistory {
        let id = caseIDs[number]
        let readings = places(number).map {
            corrections.isEmpty ? reader.reading($0) : corrections[$0] ?? reader.reading($0)
        }
        return CaseHistory(
            caseID: id, ordered: readings, decisions: decisions[id] ?? [], goals: goals[id] ?? [])
    }

    /// The totals of one instrument's administrations of the case `caseIDs[number]`, in order:
    /// what `history(number).series(instrument).map(\.total)` gives, without making readings.
    public func totals(_ number: Int, instrument: String) -> [Double?] {
        places(number).compactMap { index in
            if let corrected = corrections.isEmpty ? nil : corrections[index] {
                return corrected.instrument == instrument ? corrected.total : Optional<Double?>.none
            }
            let entry = reader.entries[index]
            guard reader.strings[Int(entry.instrument)] == instrument else { return Optional<Double?>.none }
            return entry.has(.total) ? entry.total : nil
        }
    }
}

/// The arrays of a summary table, taken out once, so that making a million readings does not
/// go through the table for every field of every one.
private struct TableReader: Sendable {
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
