import Foundation
import Support

/// One line of a journal: something that happened to a case, never changed once written.
public struct Record: Equatable, Hashable, Sendable {
    /// The schema version of records this module writes.
    public static let currentSchemaVersion = 1

    /// A unique id, random across writers without coordination.
    public var id: String
    /// JSON key `v`.
    public var schemaVersion: Int
    /// Who wrote it: a person on a machine, such as `anna@laptop`.
    public var writer: String
    /// When it was written (UTC, whole or fractional seconds).
    public var time: Date
    /// The pseudonymous case id (JSON key `case`).
    public var caseID: String
    public var body: RecordBody

    public init(
        id: String, schemaVersion: Int = Record.currentSchemaVersion, writer: String, time: Date,
        caseID: String, body: RecordBody
    ) {
        self.id = id
        self.schemaVersion = schemaVersion
        self.writer = writer
        self.time = time
        self.caseID = caseID
        self.body = body
    }

}

/// What a record says.
public enum RecordBody: Equatable, Hashable, Sendable {
    case administration(AdministrationRecord)
    /// Replaces the earlier administration with id `target`.
    case correction(target: String, replacement: AdministrationRecord)
    /// Withdraws the earlier administration with id `target` (entered by mistake).
    case withdrawal(target: String, reason: String?)
    case goal(GoalRecord)
    case decision(DecisionRecord)
    /// Marks that a case was erased: the case id, writer and time only.
    case erasure

    /// The kind's name as written in the journal.
    public var kind: String {
        switch self {
        case .administration: return "administration"
        case .correction: return "correction"
        case .withdrawal: return "withdrawal"
        case .goal: return "goal"
        case .decision: return "decision"
        case .erasure: return "erasure"
        }
    }
}

/// One administration of an instrument: the answers as given and the scores computed from them.
public struct AdministrationRecord: Codable, Equatable, Hashable, Sendable {
    public var instrument: String
    public var instrumentVersion: String
    public var worker: String?
    /// citizen, worker or relative.
    public var respondent: String
    /// The meeting's date as entered: `2026-03-14` or a full ISO 8601 date-time.
    public var date: String
    /// Answers by item id (by goal id for goal-based instruments).
    public var answers: [String: Answer]
    /// `total` and any subscale or goal scores.
    public var scores: [String: Double]
    public var comment: String?
    /// The citizen's age at the meeting, for age-banded cut-offs.
    public var age: Int?

    public init(
        instrument: String, instrumentVersion: String, worker: String?, respondent: String, date: String,
        answers: [String: Answer], scores: [String: Double], comment: String? = nil, age: Int? = nil
    ) {
        self.instrument = instrument
        self.instrumentVersion = instrumentVersion
        self.worker = worker
        self.respondent = respondent
        self.date = date
        self.answers = answers
        self.scores = scores
        self.comment = comment
        self.age = age
    }
}

/// One stored answer: a number, the respondent's own words, or skipped (JSON null).
public enum Answer: Codable, Equatable, Hashable, Sendable {
    case number(Double)
    case text(String)
    case skipped

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .skipped
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let words): try container.encode(words)
        case .skipped: try container.encodeNil()
        }
    }
}

/// A goal set, reworded or retired, in the citizen's own words.
public struct GoalRecord: Codable, Equatable, Hashable, Sendable {
    public var instrument: String
    /// A stable goal id, such as `g1`.
    public var goal: String
    public var action: GoalAction
    /// The citizen's words; nil when retired.
    public var text: String?

    public init(instrument: String, goal: String, action: GoalAction, text: String?) {
        self.instrument = instrument
        self.goal = goal
        self.action = action
        self.text = text
    }
}

/// A worker's decision on a flag.
public struct DecisionRecord: Codable, Equatable, Hashable, Sendable {
    public var flag: String
    /// continue, adjust, end or reassess (KL Fælles Sprog III E1–E4).
    public var outcome: String
    public var note: String?
    public var worker: String?

    public init(flag: String, outcome: String, note: String?, worker: String?) {
        self.flag = flag
        self.outcome = outcome
        self.note = note
        self.worker = worker
    }
}
