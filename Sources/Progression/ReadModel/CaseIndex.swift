import Foundation
import Storage
import Support

/// The store's cases as every command reads them: the one read model, and the one place that
/// applies the record rules to what a store read gives.
///
/// The rules it owns (with `Erasures` and the read itself, which leave out what an erasure hides
/// and every copy of an id but the first, before the index is built):
/// - **Corrections and withdrawals**, as `Amendments` settles them: a correction replaces its
///   target's content within the target's case, keeping the target's id and time (the latest
///   correction wins); a withdrawal removes its target.
/// - **Reading order**: a case's administrations by meeting day, then by when they were recorded,
///   then by id (`ReadingOrder`); a meeting date that cannot be read counts as the day written.
/// - **Goal histories**: a goal set, reworded and retired, in the order goals were set (goals set
///   in one session by their number); a rewording or retirement of a goal not set is ignored.
/// - **Decisions**, each case's in the order they were recorded (by `CaseHistory`).
/// - **Which cases there are**: every case with an administration, goal or decision, in order of
///   id; a case's number is its place in `caseIDs`.
///
/// It is built once per command, from the summary cache (`Store.readSummaries`, the fast path,
/// without answers) or from full records (`init(records:)`, the path of commands that hold
/// records already); the two give the same index (an equivalence test ties them). Each case's
/// history is made only when asked for, so a report that goes through every case once (with
/// `map`, on every core) never holds a million readings at once.
package struct CaseIndex: Sendable {
    /// Every case the store holds something about, in order of id.
    package let caseIDs: [String]
    private let rows: SummaryRows
    /// Each case's administrations as rows, case after case (`caseStarts` says where each
    /// begins), in reading order.
    private let members: [Int32]
    private let caseStarts: [Int]
    private let corrections: [Int: Reading]
    /// The rows of withdrawn administrations.
    private let withdrawn: Set<Int>
    /// Each case's goal histories, by its number.
    private let goals: [[GoalHistory]]
    /// The decisions, each case's in the store's order (`decisionRanges` says where each case's
    /// are): numbers, made into `Decision`s only with the case's history.
    private let decisionRows: [DecisionRow]
    private let decisionRanges: [Range<Int>]
    /// The strings that decisions' rows refer to.
    private let decisionStrings: [String]

    /// Builds the index of full records (merged and ordered by time, as `Store.read()` gives
    /// them).
    package init(records: [Record]) {
        self.init(SummarySnapshot(records: records))
    }

    /// Builds the index of full records, its rows counted and put in place in stretches of
    /// `rowsPerPiece` (any size gives the same index; for tests of the joins).
    init(records: [Record], rowsPerPiece: Int) {
        var snapshot = SummarySnapshot(records: records)
        let others = snapshot.otherRecords
        snapshot.otherRecords = OtherRecords()
        self.init(snapshot, others: Others(others), rowsPerPiece: rowsPerPiece)
    }

    /// Builds the index of a store read for reports, taking it over (its table is freed with the
    /// index).
    package init(_ snapshot: consuming SummarySnapshot) {
        let others = snapshot.otherRecords
        snapshot.otherRecords = OtherRecords()
        self.init(snapshot, others: Others(others))
    }

    /// Builds the index of a store read for reports, taking it over, with what `others` kept of
    /// its other records (the snapshot's own are not read; see `Others`).
    package init(_ snapshot: consuming SummarySnapshot, others prepared: Others) {
        self.init(snapshot, others: prepared, rowsPerPiece: nil)
    }

    /// Builds the index as `init(_:others:)` does, its rows counted and put in place in stretches
    /// of `rowsPerPiece` (nil: a few per core).
    private init(_ snapshot: consuming SummarySnapshot, others prepared: Others, rowsPerPiece: Int?) {
        var table = snapshot.table
        snapshot.table = SummaryTable()
        let others = prepared.amending
        // An administration the summary scanner left to the full parser is among the others.
        for (_, record) in others.fullRecords {
            if case .administration(let content) = record.body {
                table.append(AdministrationSummary(record, content))
            }
        }
        let rows = SummaryRows(table)
        let amendments = Amendments(
            others, administrations: rows.count, id: { rows.idText($0) },
            caseID: { rows.strings[rows.caseNumber($0)] })
        var corrected: [Int: Reading] = [:]
        for (place, correction) in amendments.corrections {
            corrected[place] = Self.reading(
                correcting: others[correction], recorded: Date(timeIntervalSince1970: rows.time(place)))
        }
        // Each administration's case by the number of its id among the strings: administrations
        // are counted per string rather than by hashing every administration's case id.
        let pieces = rowsPerPiece.map { stretches(of: rows.count, size: $0) } ?? Self.pieces(rows.count)
        let countsOfPieces = Self.counts(rows, pieces: pieces)
        var countOfString = [Int](repeating: 0, count: rows.strings.count)
        for counts in countsOfPieces {
            for string in counts.indices where counts[string] > 0 {
                countOfString[string] += Int(counts[string])
            }
        }
        // Cases in order of id: those with administrations, and those with only goals or decisions.
        let named = countOfString.indices.lazy.filter { countOfString[$0] > 0 }.map { rows.strings[$0] }
        let caseIDs = Set(named).union(prepared.goals.keys).union(
            prepared.decidedCases.map { prepared.strings[$0] }
        ).sorted()
        var numbers: [String: Int32] = [:]
        numbers.reserveCapacity(caseIDs.count)
        for (number, id) in caseIDs.enumerated() { numbers[id] = Int32(number) }
        var caseOfString = [Int32](repeating: -1, count: rows.strings.count)
        var starts = [Int](repeating: 0, count: caseIDs.count + 1)
        for string in countOfString.indices where countOfString[string] > 0 {
            let number = numbers[rows.strings[string]]!
            caseOfString[string] = number
            starts[Int(number) + 1] = countOfString[string]
        }
        for number in caseIDs.indices { starts[number + 1] += starts[number] }
        // Each case's decisions: the rows of the string that is its id.
        var ranges = [Range<Int>](repeating: 0..<0, count: caseIDs.count)
        for string in prepared.decidedCases {
            ranges[Int(numbers[prepared.strings[string]]!)] =
                prepared.decisionStarts[string]..<prepared.decisionStarts[string + 1]
        }
        self.caseIDs = caseIDs
        self.rows = rows
        members = Self.placed(
            rows, caseOf: caseOfString, starts: starts, pieces: pieces, counts: countsOfPieces,
            corrected: corrected)
        caseStarts = starts
        corrections = corrected
        withdrawn = amendments.withdrawnPlaces
        var goalsOfCase = [[GoalHistory]](repeating: [], count: caseIDs.count)
        for (id, histories) in prepared.goals { goalsOfCase[Int(numbers[id]!)] = histories }
        goals = goalsOfCase
        decisionRows = prepared.decisionRows
        decisionRanges = ranges
        decisionStrings = prepared.strings
    }

    /// What the index keeps of a store's other records, made from them alone: the records that
    /// may amend administrations (held in full, few), each case's goal histories, and the
    /// decisions as rows, each case's in the store's order.
    ///
    /// Made while the store is read, before its administrations are taken in
    /// (`Store.readSummaries(preparingOthers:)`), so the other records (millions of decisions in
    /// a national store) are let go before the table is made, rather than held beside it.
    package struct Others: Sendable {
        fileprivate let amending: OtherRecords
        fileprivate let goals: [String: [GoalHistory]]
        /// The decisions whose outcome is one there is, string after string of their case ids
        /// (`decisionStarts` says where each string's begin), each case's in the store's order.
        fileprivate let decisionRows: [DecisionRow]
        fileprivate let decisionStarts: [Int]
        /// The numbers of the strings that are case ids of decisions.
        fileprivate let decidedCases: [Int]
        /// The strings that decisions' rows refer to.
        fileprivate let strings: [String]

        /// What the index keeps of `others` (in the store's order).
        package init(_ others: OtherRecords) {
            // The goal histories and the records held in full on one core, the decisions on the
            // other: none needs the others.
            let found = parallelMap(2) { task in
                task == 0
                    ? (goals: CaseIndex.goals(others), amending: others.heldInFull, decisions: nil)
                    : (goals: [:], amending: OtherRecords(), decisions: CaseIndex.decisionRows(others))
            }
            amending = found[0].amending
            goals = found[0].goals
            (decisionRows, decisionStarts, decidedCases) = found[1].decisions!
            strings = others.strings
        }
    }

    /// The rows cut into stretches that are counted and put in place on every core: a few per
    /// core, none so small that joining them costs more than it saves.
    private static func pieces(_ count: Int) -> [Range<Int>] {
        stretches(of: count, size: max(1 << 16, (count + 7) / 8))
    }

    /// How many administrations of each stretch of rows in `pieces` each string of the table is
    /// the case id of, a stretch on each core (a million rows are read in a few stretches at once).
    private static func counts(_ rows: SummaryRows, pieces: [Range<Int>]) -> [[Int32]] {
        parallelMap(pieces.count) { piece in
            var counts = [Int32](repeating: 0, count: rows.strings.count)
            for row in pieces[piece] { counts[rows.caseNumber(row)] += 1 }
            return counts
        }
    }

    /// The rows of every case's administrations, case after case (`starts` says where each
    /// begins; `caseOf` gives a case's number by the number of its id among the strings), each
    /// case's in `ReadingOrder`; `corrected` holds the readings corrections made.
    ///
    /// Each stretch of rows in `pieces` (whose counts per string are `counts`) is put in place on
    /// its own core, then the stretches' rows are joined case by case. The order is the one a
    /// sort of each case's rows by `ReadingOrder` gives (ids are unique, so no two rows tie), however
    /// the rows are cut: a case whose rows a join leaves out of order is sorted, as one found out
    /// of order within a stretch is.
    private static func placed(
        _ rows: SummaryRows, caseOf caseOfString: [Int32], starts: [Int], pieces: [Range<Int>],
        counts: [[Int32]], corrected: [Int: Reading]
    ) -> [Int32] {
        let replaced = corrected
        @Sendable func day(_ row: Int) -> Int { Self.day(of: row, rows.day(row), corrected: replaced) }
        @Sendable func before(_ left: Int, _ right: Int) -> Bool {
            ReadingOrder.before(
                (day(left), rows.time(left)), (day(right), rows.time(right)),
                ids: (rows.idText(left), rows.idText(right)))
        }
        let cases = starts.count - 1
        let placedPieces = parallelMap(pieces.count) { piece in
            // Where each case's rows of this stretch begin among the stretch's.
            var local = [Int](repeating: 0, count: cases + 1)
            for string in counts[piece].indices where counts[piece][string] > 0 {
                local[Int(caseOfString[string]) + 1] = Int(counts[piece][string])
            }
            for number in 0..<cases { local[number + 1] += local[number] }
            let placed = place(
                pieces[piece], of: rows, caseOf: caseOfString, starts: local, corrected: replaced,
                before: before)
            return (order: placed.order, starts: local, unordered: placed.unordered)
        }
        // The stretches joined case by case; a case whose rows in one stretch begin before those
        // of the stretch before end is out of order.
        var order: [Int32] = []
        order.reserveCapacity(rows.count)
        var unordered = Set(placedPieces.lazy.flatMap(\.unordered))
        for number in 0..<cases {
            var last: Int32?
            for piece in placedPieces.indices {
                let stretch = placedPieces[piece].starts[number]..<placedPieces[piece].starts[number + 1]
                guard !stretch.isEmpty else { continue }
                if let last, before(Int(placedPieces[piece].order[stretch.lowerBound]), Int(last)) {
                    unordered.insert(number)
                }
                order.append(contentsOf: placedPieces[piece].order[stretch])
                last = placedPieces[piece].order[stretch.upperBound - 1]
            }
        }
        let noticed = Array(unordered)
        // The copies go at the end of the block, so `order` is changed in place below. Ids are
        // unique in a read, so no two administrations tie and the sort needs no tie-break.
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
        return order
    }

    /// The day the reading of `row` falls on: a correction's, when one moved it, else `day`, the
    /// row's own.
    @inline(__always)
    private static func day(of row: Int, _ day: Int, corrected: [Int: Reading]) -> Int {
        corrected.isEmpty ? day : corrected[row]?.day.number ?? day
    }

    /// The rows `stretch` of `rows` put in place case after case (`starts` says where each case's
    /// begin among them), each case's in `ReadingOrder` unless it is among the cases returned as
    /// `unordered`, whose rows came too far out of order to be moved into place one by one.
    private static func place(
        _ stretch: Range<Int>, of rows: SummaryRows, caseOf caseOfString: [Int32], starts: [Int],
        corrected: [Int: Reading], before: (Int, Int) -> Bool
    ) -> (order: [Int32], unordered: [Int]) {
        // Each case's administrations put in place by counting rather than by appending to a
        // dictionary of arrays. Most arrive in order, and one that arrives a little late (written
        // after a record of the same meeting) is moved back into place; the cases further out of
        // order (seen by several writers) are left to be sorted.
        var order = [Int32](repeating: 0, count: stretch.count)
        var next = starts
        var unordered: [Int] = []
        // The day and time of the last administration in place for each case: one later than it
        // goes at the end without looking further.
        var latest = [(day: Int, time: Double)](repeating: (.min, -.infinity), count: starts.count - 1)
        for row in stretch {
            // The row's case, day and time read in one visit (a correction may move its day).
            let facts = rows.placing(row)
            let number = Int(caseOfString[facts.caseNumber])
            var place = next[number]
            next[number] = place + 1
            let day = Self.day(of: row, facts.day, corrected: corrected)
            let key = (day: day, time: facts.time)
            if key.day > latest[number].day
                || (key.day == latest[number].day && key.time > latest[number].time)
            {
                latest[number] = key
                order[place] = Int32(row)
                continue
            }
            if place == starts[number] || !before(row, Int(order[place - 1])) { latest[number] = key }
            let nearest = max(starts[number], place - 8)
            while place > starts[number], before(row, Int(order[place - 1])) {
                guard place > nearest else {
                    if unordered.last != number { unordered.append(number) }
                    break
                }
                order[place] = order[place - 1]
                place -= 1
            }
            order[place] = Int32(row)
        }
        return (order, unordered)
    }

    /// The decisions among `others` whose outcome is one there is (the others are left out), put
    /// in place by counting, string after string of their case ids (the starts, one more than the
    /// strings, say where each string's begin), each case's in the store's order; and the strings
    /// that are cases with decisions.
    ///
    /// One walk reads each decision's fields once and makes its row, in the store's order; the
    /// rows are then moved to their places in the array they are in (no second array of rows).
    private static func decisionRows(_ others: OtherRecords) -> (
        rows: [DecisionRow], starts: [Int], cases: [Int]
    ) {
        let strings = others.strings
        var outcomes = [FollowUpOutcome?](repeating: nil, count: strings.count)
        var known = [Bool](repeating: false, count: strings.count)
        var count = [Int](repeating: 0, count: strings.count)
        // Room for every record, most of which are decisions (grown one by one, the arrays would
        // for a while be held twice).
        var rows: [DecisionRow] = []
        rows.reserveCapacity(others.count)
        // Each row's case by the number of its id among the strings, then its place: numbers of 32
        // bits, one for each of millions of decisions.
        var places: [Int32] = []
        places.reserveCapacity(others.count)
        for place in 0..<others.count where others.kind(place) == .decision {
            let fields = others.decisionFields(place)
            if !known[fields.outcome] {
                known[fields.outcome] = true
                outcomes[fields.outcome] = FollowUpOutcome(rawValue: strings[fields.outcome])
            }
            guard let outcome = outcomes[fields.outcome] else { continue }
            let string = others.caseNumber(place)
            rows.append(
                DecisionRow(
                    flag: fields.flagNumber ?? UInt64(fields.flagText!), numbered: fields.flagNumber != nil,
                    recorded: fields.time, note: fields.note, worker: fields.worker, outcome: outcome))
            places.append(Int32(string))
            count[string] += 1
        }
        let cases = count.indices.filter { count[$0] > 0 }
        var starts = [Int](repeating: 0, count: strings.count + 1)
        for string in cases { starts[string + 1] = count[string] }
        for string in strings.indices { starts[string + 1] += starts[string] }
        var next = starts
        for row in places.indices {
            let string = Int(places[row])
            places[row] = Int32(next[string])
            next[string] += 1
        }
        placeInTurn(&rows, at: places)
        return (rows, starts, cases)
    }

    /// Moves each of `rows` to its place in `places` (a permutation of their places), following
    /// each cycle of the permutation: every swap puts one row in its place for good.
    static func placeInTurn<Row>(_ rows: inout [Row], at places: consuming [Int32]) {
        precondition(rows.count == places.count)
        var row = 0
        while row < rows.count {
            let place = Int(places[row])
            if place == row {
                row += 1
                continue
            }
            rows.swapAt(row, place)
            places.swapAt(row, place)
        }
    }

    /// Each case's goal histories among `others` (in the store's order).
    private static func goals(_ others: OtherRecords) -> [String: [GoalHistory]] {
        var goals: [String: [GoalHistory]] = [:]
        for place in 0..<others.count where others.kind(place) == .goal {
            // Any goal record makes its case known, even a rewording whose goal is not here.
            apply(others.goal(place), at: others.time(place), to: &goals[others.caseID(place), default: []])
        }
        for id in goals.keys where goals[id]!.count > 1 { order(&goals[id]!) }
        return goals
    }

    /// Applies one goal record written at `time` to a case's goals (a case has few: its goal is
    /// found by looking): a goal set (again) under its id starts its history anew in its place, a
    /// rewording adds a wording, a retirement retires it; either is ignored for a goal not set.
    fileprivate static func apply(_ goal: GoalRecord, at time: Date, to goals: inout [GoalHistory]) {
        let place = goals.firstIndex { $0.id == goal.goal }
        switch goal.action {
        case .set:
            let set = GoalHistory(
                id: goal.goal, instrument: goal.instrument, wordings: [(goal.text ?? "", time)], retired: nil)
            if let place { goals[place] = set } else { goals.append(set) }
        case .reword:
            if let place { goals[place].wordings.append((goal.text ?? "", time)) }
        case .retire:
            if let place { goals[place].retired = time }
        }
    }

    /// Puts a case's goals in the order they were set; goals set together (one session) by their
    /// number.
    fileprivate static func order(_ goals: inout [GoalHistory]) {
        goals.sort { a, b in
            let left = (a.wordings.first?.recorded ?? .distantPast, Int(a.id.dropFirst()) ?? 0, a.id)
            let right = (b.wordings.first?.recorded ?? .distantPast, Int(b.id.dropFirst()) ?? 0, b.id)
            return left < right
        }
    }

    /// The runs in which `map` visits the cases (for a report that gathers its own results).
    package var runs: CaseRuns { CaseRuns(caseIDs.count) }

    /// Returns `transform(0) … transform(caseIDs.count − 1)`, in order of case, found on every
    /// core: the one way to visit the cases in parallel.
    package func map<T: Sendable>(_ transform: @Sendable (_ number: Int) -> T) -> [T] {
        runs.map(transform)
    }

    /// The number of the case `caseID`, or nil when the store holds nothing about it.
    package func number(of caseID: String) -> Int? {
        let place = caseIDs.partitioningIndex { $0 >= caseID }
        return place < caseIDs.count && caseIDs[place] == caseID ? place : nil
    }

    /// The rows of a case's administrations still standing (not withdrawn), in order.
    private func places(_ number: Int) -> [Int] {
        members[caseStarts[number]..<caseStarts[number + 1]].lazy.map(Int.init).filter {
            withdrawn.isEmpty || !withdrawn.contains($0)
        }
    }

    /// The history of the case `caseIDs[number]`.
    package func history(_ number: Int) -> CaseHistory {
        history(number, table: tableForTask())
    }

    /// A reference to the index's table of its own, for the readings of the histories one task
    /// makes (`history(_:table:)`): the cases are visited on every core, and one reference shared
    /// by all would be counted by all at once.
    package func tableForTask() -> ReadingRows {
        ReadingRows(rows, decisionRows: decisionRows, decisionStrings: decisionStrings)
    }

    /// The history of the case `caseIDs[number]`, whose readings read their fields in `table`
    /// (this index's, from `tableForTask()`); without its decisions when `withDecisions` is false
    /// (a report that reads only scores need not make them).
    package func history(
        _ number: Int, table readingRows: ReadingRows, withDecisions: Bool = true
    ) -> CaseHistory {
        let id = caseIDs[number]
        // The case's rows into an array of the right size (by place: a slice of the members would
        // count a reference to them, from every core at once). Entries hold no reference: the
        // readings are made of them only where asked for.
        let stretch = caseStarts[number]..<caseStarts[number + 1]
        var readings = CaseReadings(caseID: id, table: readingRows, capacity: stretch.count)
        // A loop that does little but read the rows, which lie far apart in the table: their
        // reads overlap rather than wait one after another.
        for place in stretch {
            let row = Int(members[place])
            if !withdrawn.isEmpty, withdrawn.contains(row) { continue }
            if !corrections.isEmpty, let corrected = corrections[row] {
                readings.append(corrected)
            } else {
                readings.append(row: row, rows.readingFacts(row))
            }
        }
        // Each instrument's readings found by the number of its id in the table, rather than by
        // comparing texts.
        var groups = InstrumentGroups(capacity: readings.entries.count)
        for position in readings.entries.indices {
            let entry = readings.entries[position]
            if entry.source < 0 {
                groups.add(position, instrument: readings.own[-1 - Int(entry.source)].instrument)
            } else {
                let instrument = Int(entry.instrument)
                groups.add(
                    position, number: max(instrument, 0),
                    instrument: instrument < 0 ? "" : rows.strings[instrument])
            }
        }
        return CaseHistory(
            readings, groups: groups.groups,
            decisions: CaseDecisions(rows: withDecisions ? decisionRanges[number] : 0..<0, of: readingRows),
            goals: goals[number])
    }

    /// The goal histories of the case `caseID`, in the order the goals were set.
    package func goals(of caseID: String) -> [GoalHistory] { number(of: caseID).map { goals[$0] } ?? [] }

    /// The history of the case `caseID`, or nil when the store holds nothing about it.
    package func history(of caseID: String) -> CaseHistory? {
        number(of: caseID).map(history)
    }

    /// Every case's history, in order of case (for the few commands that need them all at once).
    package var histories: [CaseHistory] { map(history) }

    /// The totals of one instrument's administrations of the case `caseIDs[number]`, in order:
    /// what `history(number).series(instrument).map(\.total)` gives, without making readings.
    package func totals(_ number: Int, instrument: String) -> [Double?] {
        places(number).compactMap { row in
            if let corrected = corrections.isEmpty ? nil : corrections[row] {
                return corrected.instrument == instrument ? corrected.total : Optional<Double?>.none
            }
            guard rows.strings[rows.instrumentNumber(row)] == instrument else {
                return Optional<Double?>.none
            }
            return rows.total(row)
        }
    }
}

extension Reading {
    /// The reading of an administration summary.
    package init(_ summary: AdministrationSummary) {
        self.init(
            identifier: ReadingID(summary.id), caseID: summary.caseID,
            day: summary.day.map(Day.init(number:)) ?? Day(summary.time), recorded: summary.time,
            total: summary.total, parts: summary.parts, fields: summary.fields)
    }
}

extension CaseIndex {
    /// The reading a correction makes of its target: the replacement's content under the target's
    /// id and the time the target was `recorded` (so flags and decisions stay attached).
    static func reading(correcting record: Record, recorded: Date) -> Reading? {
        guard case .correction(let target, let replacement) = record.body else { return nil }
        var reading = Reading(AdministrationSummary(record, replacement, id: target))
        reading.recorded = recorded
        return reading
    }
}

extension CaseHistory {
    /// The history with new records of the same case added (administrations, corrections,
    /// withdrawals, goals, decisions), by the index's rules: what indexing the case's earlier
    /// records together with these gives.
    package func adding(_ records: [Record]) -> CaseHistory {
        let added = CaseIndex(records: records).history(of: caseID)
        // Made once: the history holds entries, of which each reading is made when asked for.
        let readings = self.readings
        // Corrections and withdrawals of readings already here, settled as the index settles them.
        let amendments = Amendments(
            records, administrations: readings.count, id: { readings[$0].id }, caseID: { readings[$0].caseID }
        )
        var earlier = readings
        for (place, correction) in amendments.corrections {
            if let reading = CaseIndex.reading(
                correcting: records[correction], recorded: readings[place].recorded)
            {
                earlier[place] = reading
            }
        }
        var goals = self.goals
        for record in records where record.caseID == caseID {
            if case .goal(let goal) = record.body { CaseIndex.apply(goal, at: record.time, to: &goals) }
        }
        if goals.count > 1 { CaseIndex.order(&goals) }
        return CaseHistory(
            caseID: caseID,
            readings: (earlier + (added?.readings ?? [])).filter { !amendments.withdrawn.contains($0.id) },
            decisions: decisions + (added?.decisions ?? []), goals: goals)
    }
}

/// One decision as the index keeps it: numbers, strings by their number, in 24 bytes (a store
/// can hold millions).
struct DecisionRow: Sendable {
    /// The flag's id as a `FlagNumber` when `numbered`, else the number of its text.
    let flag: UInt64
    /// When it was recorded, as `Date.timeIntervalSinceReferenceDate` (the same `Date` again).
    private let time: Double
    /// The number of the note plus one, 0 for none.
    private let noteNumber: UInt32
    /// The number of the worker plus one (0 for none) above the outcome's place in
    /// `FollowUpOutcome.allCases` (two bits) and whether the flag is numbered (one bit).
    private let packed: UInt32

    private static let outcomes = FollowUpOutcome.allCases

    init() {
        (flag, time, noteNumber, packed) = (0, 0, 0, 0)
    }

    init(flag: UInt64, numbered: Bool, recorded: Date, note: Int?, worker: Int?, outcome: FollowUpOutcome) {
        let outcomePlace = Self.outcomes.firstIndex(of: outcome)!
        precondition(Self.outcomes.count <= 4 && (worker ?? 0) < 1 << 28 && (note ?? 0) < Int(UInt32.max))
        self.flag = flag
        time = recorded.timeIntervalSinceReferenceDate
        noteNumber = note.map { UInt32($0 + 1) } ?? 0
        packed = (worker.map { UInt32($0 + 1) } ?? 0) << 3 | UInt32(outcomePlace) << 1 | (numbered ? 1 : 0)
    }

    var numbered: Bool { packed & 1 != 0 }
    var outcome: FollowUpOutcome { Self.outcomes[Int(packed >> 1 & 3)] }
    var recorded: Date { Date(timeIntervalSinceReferenceDate: time) }
    /// The number of the note, nil for none.
    var note: Int? { noteNumber == 0 ? nil : Int(noteNumber) - 1 }
    /// The number of the worker, nil for none.
    var worker: Int? { packed >> 3 == 0 ? nil : Int(packed >> 3) - 1 }
}
