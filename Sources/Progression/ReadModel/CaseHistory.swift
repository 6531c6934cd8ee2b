import Foundation
import Storage
import Support

/// One administration as progression sees it, with corrections applied.
///
/// A reading of the store's table reads its fields and parts in the table's row (`ReadingRows`)
/// when asked for: making a case's readings copies no field's text and builds no dictionary of
/// parts, which a report making a million readings would otherwise do a million times.
package struct Reading: Sendable, Hashable {
    /// The id of the administration record (kept when the record is later corrected).
    package var id: String {
        get { identifier.text }
        set { identifier = ReadingID(newValue) }
    }
    /// The id as stored: no string for the store's own ids.
    var identifier: ReadingID
    package var caseID: String
    /// The day of the meeting (the day it was written when the meeting date cannot be read).
    package var day: Day
    /// When it was written to the store.
    package var recorded: Date
    /// The total score, nil when too many items were skipped.
    package var total: Double?
    /// Where the summarized fields and the parts are read.
    private var source: Source
    /// The instrument's id, also kept apart from the fields: a case's readings are grouped and
    /// looked up by it on every visit of the case, which a stored string serves without a copy.
    package private(set) var instrument: String
    /// The citizen's age at the meeting, for age-banded cut-offs: kept apart from the fields too,
    /// as every change assessed reads it.
    package private(set) var age: Int?

    /// The fields and parts of a row of the table, or of the reading's own.
    private enum Source: Sendable {
        case row(ReadingRows, Int)
        indirect case own(SummaryFields, parts: [String: Double])
    }

    package init(
        id: String, caseID: String, instrument: String, day: Day, recorded: Date, total: Double?,
        parts: [String: Double] = [:], age: Int? = nil, worker: String? = nil, respondent: String = "citizen",
        comment: String? = nil
    ) {
        var fields = SummaryFields()
        fields.set(.instrument, text: instrument)
        fields.set(.date, integer: day.number)
        fields.set(.age, integer: age)
        fields.set(.worker, text: worker)
        fields.set(.respondent, text: respondent)
        fields.set(.comment, text: comment)
        self.init(
            identifier: ReadingID(id), caseID: caseID, day: day, recorded: recorded, total: total,
            parts: parts,
            fields: fields)
    }

    init(
        identifier: ReadingID, caseID: String, day: Day, recorded: Date, total: Double?,
        parts: [String: Double],
        fields: SummaryFields
    ) {
        self.identifier = identifier
        self.caseID = caseID
        self.day = day
        self.recorded = recorded
        self.total = total
        source = .own(fields, parts: parts)
        instrument = fields.text(.instrument) ?? ""
        age = fields.integer(.age)
    }

    /// The reading of the administration in `row` of `table`, of the case `caseID` (the row's),
    /// reading the rest in `rows` (the same table) when asked for.
    init(_ table: borrowing SummaryRows, row: Int, caseID: String, rows: ReadingRows) {
        self.init(table.readingFacts(row), strings: table.strings, row: row, caseID: caseID, rows: rows)
    }

    /// The reading of the administration in `row` of a table whose strings are `strings`, of
    /// which `facts` are the row's `readingFacts`.
    init(
        _ facts: borrowing SummaryRows.ReadingFacts, strings: borrowing [String], row: Int, caseID: String,
        rows: ReadingRows
    ) {
        identifier = facts.id.bits.map { ReadingID(high: $0.high, low: $0.low) } ?? ReadingID(facts.id.text!)
        self.caseID = caseID
        day = Day(number: facts.day)
        recorded = Date(timeIntervalSince1970: facts.time)
        total = facts.total
        source = .row(rows, row)
        instrument = facts.instrument.map { strings[$0] } ?? ""
        age = facts.age
    }

    /// The summarized fields of `AdministrationField`'s list, the meeting date as its day number
    /// (nil when it cannot be read).
    package var fields: SummaryFields {
        switch source {
        case .row(let rows, let row): return rows.rows.fields(row)
        case .own(let fields, _): return fields
        }
    }

    /// Subscale scores and, for goal-based instruments, each goal's rating by goal id.
    package var parts: [String: Double] {
        switch source {
        case .row(let rows, let row): return rows.rows.parts(row)
        case .own(_, let parts): return parts
        }
    }

    /// The score named `name` among the parts (a subscale, or a goal's rating by goal id), found
    /// without making the dictionary of parts.
    package func part(_ name: String) -> Double? {
        switch source {
        case .row(let rows, let row): return rows.rows.part(name, row)
        case .own(_, let parts): return parts[name]
        }
    }

    /// The text of a summarized text field, or nil when absent.
    package func text(_ field: AdministrationField) -> String? {
        switch source {
        case .row(let rows, let row): return rows.rows.text(field, row)
        case .own(let fields, _): return fields.text(field)
        }
    }

    /// The whole number of a summarized whole-number field (the meeting date as its day number),
    /// or nil when absent.
    package func integer(_ field: AdministrationField) -> Int? {
        switch source {
        case .row(let rows, let row): return rows.rows.integer(field, row)
        case .own(let fields, _): return fields.integer(field)
        }
    }

    package var worker: String? { text(.worker) }
    package var respondent: String { text(.respondent) ?? "" }
    package var comment: String? { text(.comment) }

    /// Two readings are equal when what they say is, wherever it is read from.
    package static func == (lhs: Reading, rhs: Reading) -> Bool {
        lhs.identifier == rhs.identifier && lhs.caseID == rhs.caseID && lhs.day == rhs.day
            && lhs.recorded == rhs.recorded && lhs.total == rhs.total && lhs.instrument == rhs.instrument
            && lhs.fields == rhs.fields && lhs.parts == rhs.parts
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(identifier)
        hasher.combine(caseID)
        hasher.combine(day)
        hasher.combine(recorded)
        hasher.combine(total)
        hasher.combine(instrument)
    }
}

extension Reading: CustomStringConvertible, CustomDebugStringConvertible {
    /// What the reading says, field by field (its parts in order of name), wherever it is read
    /// from: two readings that are equal read alike.
    package var description: String {
        let summarized = AdministrationField.allCases.filter(\.summarized).map { field in
            "\(field.key): "
                + (field.isSummaryInteger
                    ? String(describing: integer(field)) : String(describing: text(field)))
        }
        let parts = self.parts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "Reading(id: \(id), caseID: \(caseID), day: \(day), recorded: \(recorded), total: "
            + "\(String(describing: total)), parts: [\(parts.joined(separator: ", "))], "
            + "\(summarized.joined(separator: ", ")))"
    }

    package var debugDescription: String { description }
}

/// The table a store read gives, shared by every reading made of its rows (one reference each,
/// rather than a copy of the table's arrays), with the index's decisions as rows.
package final class ReadingRows: Sendable {
    let rows: SummaryRows
    /// The index's decisions, and the strings their rows refer to.
    let decisionRows: [DecisionRow]
    let decisionStrings: [String]

    init(_ rows: SummaryRows, decisionRows: [DecisionRow] = [], decisionStrings: [String] = []) {
        self.rows = rows
        self.decisionRows = decisionRows
        self.decisionStrings = decisionStrings
    }

    /// The entry of the decision in `row` of the decisions.
    func decisionEntry(_ row: Int) -> DecisionEntry {
        let decision = decisionRows[row]
        return DecisionEntry(
            flagNumber: decision.numbered
                ? decision.flag : FlagID(decisionStrings[Int(decision.flag)]).number,
            recorded: decision.recorded, outcome: decision.outcome, source: Int32(row))
    }

    /// The decision in `row` of the decisions.
    func decision(_ row: Int) -> Decision {
        let decision = decisionRows[row]
        return Decision(
            flagID: decision.numbered
                ? FlagID(number: decision.flag) : FlagID(decisionStrings[Int(decision.flag)]),
            outcome: decision.outcome, note: decision.note.map { decisionStrings[$0] },
            worker: decision.worker.map { decisionStrings[$0] }, recorded: decision.recorded)
    }
}

/// The four follow-up results of the Danish common municipal vocabulary (KL, Fælles Sprog III,
/// "resultat af opfølgning").
package enum FollowUpOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    /// E1: the support continues (fortsættes).
    case `continue`
    /// E2: the support changes within the current frame (ændres inden for rammen).
    case adjust
    /// E3: the support ends (afsluttes).
    case end
    /// E4: the case is re-assessed (revisitation).
    case reassess

    /// The code in Fælles Sprog III.
    package var code: String {
        switch self {
        case .continue: return "E1"
        case .adjust: return "E2"
        case .end: return "E3"
        case .reassess: return "E4"
        }
    }

    /// The result in Danish and English.
    package var label: (da: String, en: String) {
        switch self {
        case .continue: return ("Fortsættes", "Continue")
        case .adjust: return ("Ændres inden for rammen", "Change within the current frame")
        case .end: return ("Afsluttes", "End")
        case .reassess: return ("Revisitation", "Re-assess")
        }
    }
}

/// A worker's decision on a flag.
package struct Decision: Sendable, Hashable {
    /// The id of the flag decided on.
    package var flag: String {
        get { flagID.text }
        set { flagID = FlagID(newValue) }
    }
    /// The flag's id as a number, when it is one Pejling made (see `FlagID`): every flag's id is,
    /// so a flag finds its decision by number.
    var flagNumber: UInt64? { flagID.number }
    private var flagID: FlagID
    package var outcome: FollowUpOutcome
    package var note: String?
    package var worker: String?
    package var recorded: Date

    package init(flag: String, outcome: FollowUpOutcome, note: String?, worker: String?, recorded: Date) {
        self.init(flagID: FlagID(flag), outcome: outcome, note: note, worker: worker, recorded: recorded)
    }

    /// The decision on the flag `flagID`.
    init(flagID: FlagID, outcome: FollowUpOutcome, note: String?, worker: String?, recorded: Date) {
        self.flagID = flagID
        self.outcome = outcome
        self.note = note
        self.worker = worker
        self.recorded = recorded
    }
}

/// A goal in the citizen's own words with its history.
package struct GoalHistory: Sendable, Hashable {
    package var id: String
    package var instrument: String
    /// Every wording, oldest first, with when it was written.
    package var wordings: [(text: String, recorded: Date)]
    /// When it was retired, if it was.
    package var retired: Date?

    package init(id: String, instrument: String, wordings: [(text: String, recorded: Date)], retired: Date?) {
        self.id = id
        self.instrument = instrument
        self.wordings = wordings
        self.retired = retired
    }

    /// The goal as the citizen last put it.
    package var text: String { wordings.last?.text ?? "" }

    package static func == (lhs: GoalHistory, rhs: GoalHistory) -> Bool {
        lhs.id == rhs.id && lhs.instrument == rhs.instrument && lhs.retired == rhs.retired
            && lhs.wordings.map(\.text) == rhs.wordings.map(\.text)
            && lhs.wordings.map(\.recorded) == rhs.wordings.map(\.recorded)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(wordings.map(\.text))
    }
}

/// Everything progression knows about one case.
///
/// Its readings are held as entries (`ReadingEntry`: day, time, total, age and where the rest is
/// read), one allocation per case with no reference in it: the flag rules and the team's figures
/// read a case's entries in place, and a `Reading` is made only where one is asked for.
package struct CaseHistory: Sendable, Hashable {
    package var caseID: String {
        get { store.caseID }
        set { store.caseID = newValue }
    }
    /// The readings' entries and what the rest of each is read from.
    private var store: CaseReadings
    /// Each instrument's readings as positions in `readings`, in order of first use: one copy of
    /// every reading, so reports need not filter again.
    private var groups: [InstrumentPositions]
    /// The decisions' entries and what the rest of each is read from.
    private var decided: CaseDecisions
    package var goals: [GoalHistory]

    package init(caseID: String, readings: [Reading], decisions: [Decision] = [], goals: [GoalHistory] = []) {
        func before(_ a: Reading, _ b: Reading) -> Bool {
            ReadingOrder.before(
                (a.day.number, a.recorded), (b.day.number, b.recorded),
                ids: a.identifier == b.identifier ? ("", "") : (a.id, b.id))
        }
        // Readings mostly arrive in order; sort only when they do not.
        let inOrder = readings.indices.dropFirst().allSatisfy { !before(readings[$0], readings[$0 - 1]) }
        self.init(
            caseID: caseID, ordered: inOrder ? readings : readings.sorted(by: before), decisions: decisions,
            goals: goals)
    }

    /// Makes the history of readings already ordered by day, time recorded and id.
    init(caseID: String, ordered readings: [Reading], decisions: [Decision], goals: [GoalHistory]) {
        var store = CaseReadings(caseID: caseID, table: nil, capacity: readings.count)
        var groups = InstrumentGroups()
        // By place: a reading copied out of the list would be counted (retained) for nothing.
        for position in readings.indices {
            groups.add(position, instrument: readings[position].instrument)
            store.append(readings[position])
        }
        self.init(store, groups: groups.groups, decisions: CaseDecisions(decisions), goals: goals)
    }

    /// Makes the history of readings already ordered, whose places by instrument are `groups`
    /// (found by `InstrumentGroups` as the readings were put in order).
    init(_ store: CaseReadings, groups: [InstrumentPositions], decisions: CaseDecisions, goals: [GoalHistory])
    {
        self.store = store
        self.groups = groups
        decided = decisions
        // Decisions mostly come in the order recorded (the store's); sorted only when they do not.
        let entries = decisions.entries
        if !entries.indices.dropFirst().allSatisfy({ entries[$0 - 1].recorded <= entries[$0].recorded }) {
            decided.entries = entries.sorted { $0.recorded < $1.recorded }
        }
        self.goals = goals
    }

    /// The decisions on the case's flags, in the order recorded, made of their entries.
    package var decisions: [Decision] {
        get { decided.entries.indices.map { decided.decision($0) } }
        set { decided = CaseDecisions(newValue) }
    }

    /// The decisions' entries, in the order of `decisions`: what the flag rules read of each,
    /// without making it.
    package var decisionEntries: [DecisionEntry] { decided.entries }

    /// The decision whose entry is `decisionEntries[position]`.
    package func decision(_ position: Int) -> Decision { decided.decision(position) }

    /// Measurements ordered by meeting day, then by when they were recorded, made of the entries.
    package var readings: [Reading] { store.entries.indices.map { store.reading($0) } }

    /// The readings' entries, in the order of `readings`: what the rules read of each, without
    /// making it.
    package var entries: [ReadingEntry] { store.entries }

    /// The readings of one instrument, in order; a measurement's session number is its
    /// position from 1.
    package func series(_ instrument: String) -> ReadingSeries {
        guard let group = groups.first(where: { $0.instrument == instrument }) else {
            return ReadingSeries(store, positions: [])
        }
        return ReadingSeries(store, positions: group.positions)
    }

    /// The ids of the instruments the case has readings of, in order of first use.
    package var instruments: [String] { groups.map(\.instrument) }

    /// The goals not retired, oldest first.
    package var currentGoals: [GoalHistory] { goals.filter { $0.retired == nil } }

    /// The last measurement's day.
    package var lastDay: Day? { store.entries.last?.day }

    /// The last measurement.
    package var lastReading: Reading? { store.entries.isEmpty ? nil : store.reading(store.entries.count - 1) }

    /// The worker of the last reading that names one: `readings.last { $0.worker != nil }?.worker`.
    package var lastWorker: String? {
        for position in store.entries.indices.reversed() {
            if let worker = store.worker(position) { return worker }
        }
        return nil
    }

    /// The history with only the readings whose entries `isIncluded` keeps, in the same order
    /// (decisions and goals as they are).
    package func keeping(_ isIncluded: (ReadingEntry) -> Bool) -> CaseHistory {
        var kept = store
        kept.entries = []
        kept.entries.reserveCapacity(store.entries.count)
        // The new place of each reading kept, -1 for one left out.
        var places = [Int32](repeating: -1, count: store.entries.count)
        for position in store.entries.indices where isIncluded(store.entries[position]) {
            places[position] = Int32(kept.entries.count)
            kept.entries.append(store.entries[position])
        }
        let keptGroups = groups.compactMap { group -> InstrumentPositions? in
            let positions = group.positions.compactMap { places[Int($0)] < 0 ? nil : places[Int($0)] }
            return positions.isEmpty
                ? nil : InstrumentPositions(instrument: group.instrument, positions: positions)
        }
        return CaseHistory(kept, groups: keptGroups, decisions: decided, goals: goals)
    }

    /// Two histories are equal when their readings, decisions and goals are, wherever the readings
    /// are read from.
    package static func == (lhs: CaseHistory, rhs: CaseHistory) -> Bool {
        lhs.caseID == rhs.caseID && lhs.readings == rhs.readings && lhs.decisions == rhs.decisions
            && lhs.goals == rhs.goals
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(caseID)
        hasher.combine(readings)
        hasher.combine(decisions)
        hasher.combine(goals)
    }
}

/// What the rules read of one reading in a case's history: its day, when it was recorded, its
/// total and age, and where the rest is read. A plain value holding no reference, so a case's
/// entries are made, copied and freed without counting references.
package struct ReadingEntry: Sendable {
    /// The day of the meeting (the day it was written when the meeting date cannot be read).
    package var day: Day
    /// When it was written to the store.
    package var recorded: Date
    /// The total score, nil when too many items were skipped.
    package var total: Double?
    /// The citizen's age at the meeting.
    package var age: Int?
    /// The id's 128 bits when it is one the store makes, else nil (its text is read at `source`).
    var idBits: (high: UInt64, low: UInt64)?
    /// The row of the history's table when 0 or more, else −1 − the place of the reading among
    /// the history's own.
    var source: Int32
    /// The number of the instrument's id among the table's strings, −1 for none (and for a
    /// reading of its own).
    var instrument: Int32 = -1
}

/// What the flag rules read of a decision: its flag's number, when it was recorded and its
/// outcome, and where the rest is read. A plain value holding no reference.
package struct DecisionEntry: Sendable {
    /// The number of the flag's id (`Decision.flagNumber`).
    package var flagNumber: UInt64?
    package var recorded: Date
    package var outcome: FollowUpOutcome
    /// The decision's row in the table's decisions when 0 or more, else −1 − the place of the
    /// decision among the history's own.
    var source: Int32
}

/// A case's decisions as entries, with the decisions of their own and the table the others' rows
/// are in: the one place a `Decision` of a history is made from.
struct CaseDecisions: Sendable {
    var entries: [DecisionEntry] = []
    /// The decisions made whole (from full records, or given).
    var own: [Decision] = []
    /// The table of the entries' rows.
    let table: ReadingRows?

    /// The decisions `decisions`, of their own.
    init(_ decisions: [Decision]) {
        table = nil
        own = decisions
        entries = decisions.indices.map { place in
            DecisionEntry(
                flagNumber: decisions[place].flagNumber, recorded: decisions[place].recorded,
                outcome: decisions[place].outcome, source: -1 - Int32(place))
        }
    }

    /// The decisions of `rows` of the table's decisions, in order.
    init(rows: Range<Int>, of table: ReadingRows) {
        self.table = table
        entries.reserveCapacity(rows.count)
        for row in rows { entries.append(table.decisionEntry(row)) }
    }

    /// The decision at `position`.
    func decision(_ position: Int) -> Decision {
        let source = Int(entries[position].source)
        return source >= 0 ? table!.decision(source) : own[-1 - source]
    }
}

/// A case's readings as entries, with the readings of their own and the table the others'
/// rows are in: the one place a `Reading` of a history is made from.
struct CaseReadings: Sendable {
    var caseID: String
    var entries: [ReadingEntry] = []
    /// The readings with fields of their own (corrections, readings made directly).
    var own: [Reading] = []
    /// The table of the entries' rows.
    let table: ReadingRows?

    init(caseID: String, table: ReadingRows?, capacity: Int) {
        self.caseID = caseID
        self.table = table
        entries.reserveCapacity(capacity)
    }

    /// Adds a reading with fields of its own.
    mutating func append(_ reading: Reading) {
        entries.append(
            ReadingEntry(
                day: reading.day, recorded: reading.recorded, total: reading.total, age: reading.age,
                idBits: reading.identifier.bits, source: -1 - Int32(own.count)))
        own.append(reading)
    }

    /// Adds the reading of `row` of the table, of which `facts` are the row's `readingFacts`.
    mutating func append(row: Int, _ facts: borrowing SummaryRows.ReadingFacts) {
        entries.append(
            ReadingEntry(
                day: Day(number: facts.day), recorded: Date(timeIntervalSince1970: facts.time),
                total: facts.total,
                age: facts.age, idBits: facts.id.bits, source: Int32(row),
                instrument: facts.instrument.map { Int32($0) } ?? -1))
    }

    /// The reading at `position`, as it was made or as `Reading(_:row:caseID:rows:)` makes it.
    func reading(_ position: Int) -> Reading {
        let source = Int(entries[position].source)
        guard source >= 0 else { return own[-1 - source] }
        return Reading(table!.rows, row: source, caseID: caseID, rows: table!)
    }

    /// The id of the reading at `position`.
    func identifier(_ position: Int) -> ReadingID {
        if let bits = entries[position].idBits { return ReadingID(high: bits.high, low: bits.low) }
        let source = Int(entries[position].source)
        return source >= 0 ? ReadingID(table!.rows.idText(source)) : own[-1 - source].identifier
    }

    /// The worker of the reading at `position`.
    func worker(_ position: Int) -> String? {
        let source = Int(entries[position].source)
        return source >= 0 ? table!.rows.worker(source) : own[-1 - source].worker
    }

    /// The rating of the goal `goalID` at each reading of `positions` that rates it, with its place
    /// among them, in order (the table's arrays taken once, not once per reading).
    func ratings(of goalID: String, _ positions: [Int32]) -> [(index: Int, value: Double)] {
        // A loop rather than a map to labelled tuples, which goes through a dynamic cast.
        var rated: [(index: Int, value: Double)] = []
        rated.reserveCapacity(positions.count)
        guard let table else {
            for index in positions.indices {
                if let value = own[-1 - Int(entries[Int(positions[index])].source)].part(goalID) {
                    rated.append((index: index, value: value))
                }
            }
            return rated
        }
        let rows = table.rows
        for index in positions.indices {
            let source = Int(entries[Int(positions[index])].source)
            if let value = source >= 0 ? rows.part(goalID, source) : own[-1 - source].part(goalID) {
                rated.append((index: index, value: value))
            }
        }
        return rated
    }
}

/// The order of a case's readings, the one definition both ways of reading a store use: by
/// meeting day, then by when they were recorded, then by id.
enum ReadingOrder {
    /// Whether the reading of `a` goes before that of `b`; false when all three are the same
    /// (ties keep their order). `ids` is evaluated only when day and time are the same.
    @inline(__always)
    static func before<Time: Comparable>(
        _ a: (day: Int, time: Time), _ b: (day: Int, time: Time), ids: @autoclosure () -> (String, String)
    ) -> Bool {
        if a.day != b.day { return a.day < b.day }
        if a.time != b.time { return a.time < b.time }
        let (left, right) = ids()
        return left < right
    }
}

/// Where one instrument's readings stand in a case's readings.
struct InstrumentPositions: Sendable, Hashable {
    var instrument: String
    var positions: [Int32]
}

/// A case's readings grouped by instrument as they are put in order, the groups in order of first
/// use: the one way a history's series are found.
struct InstrumentGroups {
    private(set) var groups: [InstrumentPositions] = []
    /// The number of each group's instrument id among a table's strings, -1 when not known.
    private var numbers: [Int] = []
    private var last = -1
    /// How many readings a group may hold: room made for them at once, rather than grown into.
    private let capacity: Int

    /// Groups of at most `capacity` readings each (the case's count).
    init(capacity: Int = 0) {
        self.capacity = capacity
    }

    /// Adds the reading at `position`, of the instrument `instrument` (a reading of its own).
    mutating func add(_ position: Int, instrument: String) {
        add(position, instrument: instrument, number: nil)
    }

    /// Adds the reading at `position` of the instrument whose id is the string `number` of a
    /// table, `instrument` (the id, read only when the number is not met before).
    mutating func add(_ position: Int, number: Int, instrument: @autoclosure () -> String) {
        // A case has a few instruments, most often met by number: looked for here, in line.
        if last < 0 || numbers[last] != number {
            guard let found = numbers.firstIndex(of: number) else {
                add(position, instrument: instrument(), number: number)
                return
            }
            last = found
        }
        groups[last].positions.append(Int32(position))
    }

    /// Adds the reading at `position`, of the instrument `instrument`; `number` is the number of
    /// that id among the strings of the table the reading was read from (nil for a reading of its
    /// own), by which readings of one table are grouped without comparing texts.
    private mutating func add(_ position: Int, instrument: String, number: Int?) {
        if let number, let found = numbers.firstIndex(of: number) {
            last = found
        } else if last < 0 || groups[last].instrument != instrument {
            last = groups.firstIndex { $0.instrument == instrument } ?? -1
            if last < 0 {
                last = groups.count
                var positions: [Int32] = []
                positions.reserveCapacity(capacity)
                groups.append(InstrumentPositions(instrument: instrument, positions: positions))
                numbers.append(-1)
            }
        }
        if let number, numbers[last] < 0 { numbers[last] = number }
        groups[last].positions.append(Int32(position))
    }
}
