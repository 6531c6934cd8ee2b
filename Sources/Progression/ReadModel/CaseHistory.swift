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

    /// The table the reading reads its fields and parts in, or nil for a reading with its own.
    var table: ReadingRows? {
        if case .row(let rows, _) = source { return rows }
        return nil
    }

    /// The reading's row when it reads its fields and parts in `table`, else nil.
    func row(in table: ReadingRows) -> Int? {
        if case .row(let rows, let row) = source, rows === table { return row }
        return nil
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
/// rather than a copy of the table's arrays).
package final class ReadingRows: Sendable {
    let rows: SummaryRows

    init(_ rows: SummaryRows) {
        self.rows = rows
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
package struct CaseHistory: Sendable, Hashable {
    package var caseID: String
    /// Measurements ordered by meeting day, then by when they were recorded.
    package private(set) var readings: [Reading]
    /// Each instrument's readings as positions in `readings`, in order of first use: one copy of
    /// every reading, so reports need not filter again.
    private var groups: [InstrumentPositions]
    package var decisions: [Decision]
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
        var groups = InstrumentGroups()
        // By place: a reading copied out of the list would be counted (retained) for nothing.
        for position in readings.indices { groups.add(position, instrument: readings[position].instrument) }
        self.init(
            caseID: caseID, ordered: readings, groups: groups.groups, decisions: decisions, goals: goals)
    }

    /// Makes the history of readings already ordered, whose places by instrument are `groups`
    /// (found by `InstrumentGroups` as the readings were put in order).
    init(
        caseID: String, ordered readings: [Reading], groups: [InstrumentPositions], decisions: [Decision],
        goals: [GoalHistory]
    ) {
        self.caseID = caseID
        self.readings = readings
        self.groups = groups
        // Decisions mostly come in the order recorded (the store's); sorted only when they do not.
        let inOrder = decisions.indices.dropFirst().allSatisfy {
            decisions[$0 - 1].recorded <= decisions[$0].recorded
        }
        self.decisions = inOrder ? decisions : decisions.sorted { $0.recorded < $1.recorded }
        self.goals = goals
    }

    /// The readings of one instrument, in order; a measurement's session number is its
    /// position from 1.
    package func series(_ instrument: String) -> ReadingSeries {
        guard let group = groups.first(where: { $0.instrument == instrument }) else {
            return ReadingSeries(readings: [], positions: [])
        }
        return ReadingSeries(readings: readings, positions: group.positions)
    }

    /// The ids of the instruments the case has readings of, in order of first use.
    package var instruments: [String] { groups.map(\.instrument) }

    /// The goals not retired, oldest first.
    package var currentGoals: [GoalHistory] { goals.filter { $0.retired == nil } }

    /// The last measurement's day.
    package var lastDay: Day? { readings.last?.day }
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

    /// Adds the reading at `position`, of the instrument `instrument`; `number` is the number of
    /// that id among the strings of the table the reading was read from (nil for a reading of its
    /// own), by which readings of one table are grouped without comparing texts.
    mutating func add(_ position: Int, instrument: String, number: Int? = nil) {
        if let number, last >= 0, numbers[last] == number {
            groups[last].positions.append(Int32(position))
            return
        }
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
