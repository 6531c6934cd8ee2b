import Foundation
import Support

/// One line of a journal: something that happened to a case, never changed once written.
package struct Record: Equatable, Hashable, Sendable {
    /// The schema version of records this module writes.
    package static let currentSchemaVersion = 1

    /// A unique id, random across writers without coordination.
    package var id: String
    /// JSON key `v`.
    package var schemaVersion: Int
    /// Who wrote it: a person on a machine, such as `anna@laptop`.
    package var writer: String
    /// When it was written (UTC, whole or fractional seconds).
    package var time: Date
    /// The pseudonymous case id (JSON key `case`).
    package var caseID: String
    package var body: RecordBody

    package init(
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
///
/// An administration's content is held in a box of its own (`indirect`): its field slots would
/// otherwise make every record as large as an administration, and a store holds many decisions.
package enum RecordBody: Equatable, Hashable, Sendable {
    indirect case administration(AdministrationRecord)
    /// Replaces the earlier administration with id `target`.
    indirect case correction(target: String, replacement: AdministrationRecord)
    /// Withdraws the earlier administration with id `target` (entered by mistake).
    case withdrawal(target: String, reason: String?)
    case goal(GoalRecord)
    case decision(DecisionRecord)
    /// Marks that a case was erased: the case id, writer and time only.
    case erasure

    /// The kind's name as written in the journal.
    package var kind: String {
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
package struct AdministrationRecord: Equatable, Hashable, Sendable {
    /// The fields of `AdministrationField`'s list, the meeting date as entered.
    package var fields: FieldValues
    /// Answers by item id (by goal id for goal-based instruments).
    package var answers: [String: Answer]
    /// `total` and any subscale or goal scores.
    package var scores: [String: Double]

    package init(fields: FieldValues, answers: [String: Answer], scores: [String: Double]) {
        self.fields = fields
        self.answers = answers
        self.scores = scores
    }

    package init(
        instrument: String, instrumentVersion: String, worker: String?, respondent: String, date: String,
        answers: [String: Answer], scores: [String: Double], comment: String? = nil, age: Int? = nil
    ) {
        var fields = FieldValues()
        fields.set(.instrument, text: instrument)
        fields.set(.instrumentVersion, text: instrumentVersion)
        fields.set(.worker, text: worker)
        fields.set(.respondent, text: respondent)
        fields.set(.date, text: date)
        fields.set(.comment, text: comment)
        fields.set(.age, integer: age)
        self.init(fields: fields, answers: answers, scores: scores)
    }

    /// The text of a field (the meeting date as entered), or nil when absent.
    package func text(_ field: AdministrationField) -> String? { fields.text(field) }

    /// The whole number of a field, or nil when absent.
    package func integer(_ field: AdministrationField) -> Int? { fields.integer(field) }

    package var instrument: String {
        get { fields.text(.instrument) ?? "" }
        set { fields.set(.instrument, text: newValue) }
    }
    package var instrumentVersion: String {
        get { fields.text(.instrumentVersion) ?? "" }
        set { fields.set(.instrumentVersion, text: newValue) }
    }
    package var worker: String? {
        get { fields.text(.worker) }
        set { fields.set(.worker, text: newValue) }
    }
    /// citizen, worker or relative.
    package var respondent: String {
        get { fields.text(.respondent) ?? "" }
        set { fields.set(.respondent, text: newValue) }
    }
    /// The meeting's date as entered: `2026-03-14` or a full ISO 8601 date-time.
    package var date: String {
        get { fields.text(.date) ?? "" }
        set { fields.set(.date, text: newValue) }
    }
    package var comment: String? {
        get { fields.text(.comment) }
        set { fields.set(.comment, text: newValue) }
    }
    /// The citizen's age at the meeting, for age-banded cut-offs.
    package var age: Int? {
        get { fields.integer(.age) }
        set { fields.set(.age, integer: newValue) }
    }
}

/// One stored answer: a number, the respondent's own words, or skipped (JSON null).
package enum Answer: Codable, Equatable, Hashable, Sendable {
    case number(Double)
    case text(String)
    case skipped

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .skipped
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let words): try container.encode(words)
        case .skipped: try container.encodeNil()
        }
    }
}

/// A goal set, reworded or retired, in the citizen's own words.
package struct GoalRecord: Codable, Equatable, Hashable, Sendable {
    package var instrument: String
    /// A stable goal id, such as `g1`.
    package var goal: String
    package var action: GoalAction
    /// The citizen's words; nil when retired.
    package var text: String?

    package init(instrument: String, goal: String, action: GoalAction, text: String?) {
        self.instrument = instrument
        self.goal = goal
        self.action = action
        self.text = text
    }
}

/// A worker's decision on a flag.
package struct DecisionRecord: Codable, Equatable, Hashable, Sendable {
    package var flag: String
    /// continue, adjust, end or reassess (KL Fælles Sprog III E1–E4).
    package var outcome: String
    package var note: String?
    package var worker: String?

    package init(flag: String, outcome: String, note: String?, worker: String?) {
        self.flag = flag
        self.outcome = outcome
        self.note = note
        self.worker = worker
    }
}
