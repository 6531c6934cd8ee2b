import Foundation
import Support

/// One administration as progression sees it, with corrections applied.
public struct Reading: Sendable, Hashable {
    /// The id of the administration record (kept when the record is later corrected).
    public var id: String {
        get { identifier.text }
        set { identifier = ReadingID(newValue) }
    }
    /// The id as stored: no string for the store's own ids.
    var identifier: ReadingID
    public var caseID: String
    public var instrument: String
    /// The day of the meeting.
    public var day: Day
    /// When it was written to the store.
    public var recorded: Date
    /// The total score, nil when too many items were skipped.
    public var total: Double?
    /// Subscale scores and, for goal-based instruments, each goal's rating by goal id.
    public var parts: [String: Double]
    public var age: Int?
    public var worker: String?
    public var respondent: String
    public var comment: String?

    public init(
        id: String, caseID: String, instrument: String, day: Day, recorded: Date, total: Double?,
        parts: [String: Double] = [:], age: Int? = nil, worker: String? = nil, respondent: String = "citizen",
        comment: String? = nil
    ) {
        self.init(
            identifier: ReadingID(id), caseID: caseID, instrument: instrument, day: day, recorded: recorded,
            total: total, parts: parts, age: age, worker: worker, respondent: respondent, comment: comment)
    }

    init(
        identifier: ReadingID, caseID: String, instrument: String, day: Day, recorded: Date, total: Double?,
        parts: [String: Double], age: Int?, worker: String?, respondent: String, comment: String?
    ) {
        self.identifier = identifier
        self.caseID = caseID
        self.instrument = instrument
        self.day = day
        self.recorded = recorded
        self.total = total
        self.parts = parts
        self.age = age
        self.worker = worker
        self.respondent = respondent
        self.comment = comment
    }
}

/// The four follow-up results of the Danish common municipal vocabulary (KL, Fælles Sprog III,
/// "resultat af opfølgning").
public enum FollowUpOutcome: String, Sendable, Hashable, CaseIterable, Codable {
    /// E1: the support continues (fortsættes).
    case `continue`
    /// E2: the support changes within the current frame (ændres inden for rammen).
    case adjust
    /// E3: the support ends (afsluttes).
    case end
    /// E4: the case is re-assessed (revisitation).
    case reassess

    /// The code in Fælles Sprog III.
    public var code: String {
        switch self {
        case .continue: return "E1"
        case .adjust: return "E2"
        case .end: return "E3"
        case .reassess: return "E4"
        }
    }

    /// The result in Danish and English.
    public var label: (da: String, en: String) {
        switch self {
        case .continue: return ("Fortsættes", "Continue")
        case .adjust: return ("Ændres inden for rammen", "Change within the current frame")
        case .end: return ("Afsluttes", "End")
        case .reassess: return ("Revisitation", "Re-assess")
        }
    }
}

/// A worker's decision on a flag.
public struct Decision: Sendable, Hashable {
    public var flag: String
    public var outcome: FollowUpOutcome
    public var note: String?
    public var worker: String?
    public var recorded: Date

    public init(flag: String, outcome: FollowUpOutcome, note: String?, worker: String?, recorded: Date) {
        self.flag = flag
        self.outcome = outcome
        self.note = note
        self.worker = worker
        self.recorded = recorded
    }
}

/// A goal in the citizen's own words with its history.
public struct GoalHistory: Sendable, Hashable {
    public var id: String
    public var instrument: String
    /// Every wording, oldest first, with when it was written.
    public var wordings: [(text: String, recorded: Date)]
    /// When it was retired, if it was.
    public var retired: Date?

    public init(id: String, instrument: String, wordings: [(text: String, recorded: Date)], retired: Date?) {
        self.id = id
        self.instrument = instrument
        self.wordings = wordings
        self.retired = retired
    }

    /// The goal as the citizen last put it.
    public var text: String { wordings.last?.text ?? "" }

    public static func == (lhs: GoalHistory, rhs: GoalHistory) -> Bool {
        lhs.id == rhs.id && lhs.instrument == rhs.instrument && lhs.retired == rhs.retired
            && lhs.wordings.map(\.text) == rhs.wordings.map(\.text)
            && lhs.wordings.map(\.recorded) == rhs.wordings.map(\.recorded)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(wordings.map(\.text))
    }
}

/// Everything progression knows about one case.
public struct CaseHistory: Sendable, Hashable {
    public var caseID: String
    /// Measurements ordered by meeting day, then by when they were recorded.
    public private(set) var readings: [Reading]
    /// Each instrument's readings as positions in `readings`, in order of first use: one copy of
    /// every reading, so reports need not filter again.
    private var groups: [InstrumentPositions]
    public var decisions: [Decision]
    public var goals: [GoalHistory]

    public init(caseID: String, readings: [Reading], decisions: [Decision] = [], goals: [GoalHistory] = []) {
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
        self.caseID = caseID
        self.readings = readings
        var groups: [InstrumentPositions] = []
        var last = -1
        for (position, reading) in readings.enumerated() {
            if last < 0 || groups[last].instrument != reading.instrument {
                last = groups.firstIndex { $0.instrument == reading.instrument } ?? -1
                if last < 0 {
                    last = groups.count
                    groups.append(InstrumentPositions(instrument: reading.instrument, positions: []))
                }
            }
            groups[last].positions.append(Int32(position))
        }
        self.groups = groups
        self.decisions = decisions.count > 1 ? decisions.sorted { $0.recorded < $1.recorded } : decisions
        self.goals = goals
    }

    /// The readings of one instrument, in order; a measurement's session number is its
    /// position from 1.
    public func series(_ instrument: String) -> ReadingSeries {
        guard let group = groups.first(where: { $0.instrument == instrument }) else {
            return ReadingSeries(readings: [], positions: [])
        }
        return ReadingSeries(readings: readings, positions: group.positions)
    }

    /// The ids of the instruments the case has readings of, in order of first use.
    public var instruments: [String] { groups.map(\.instrument) }

    /// The goals not retired, oldest first.
    public var currentGoals: [GoalHistory] { goals.filter { $0.retired == nil } }

    /// The last measurement's day.
    public var lastDay: Day? { readings.last?.day }
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
private struct InstrumentPositions: Sendable, Hashable {
    var instrument: String
    var positions: [Int32]
}
