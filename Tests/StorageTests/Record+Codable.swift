import Foundation
import Support

@testable import Storage

// Codable as a Foundation user would write it: the same flat object as a journal line, key for
// key, so a test can check that `encodedLine()` and `RecordScanner` agree with Foundation's coders.
// Pejling itself needs none: the journal is written by `encodedLine()` and read by `RecordScanner`.
extension Record: Codable {
    private enum CodingKeys: String, CodingKey {
        case id
        case v
        case kind
        case writer
        case time
        case `case`
        case target
        case reason
        case instrument
        case instrumentVersion
        case worker
        case respondent
        case date
        case answers
        case scores
        case comment
        case age
        case goal
        case action
        case text
        case flag
        case outcome
        case note
    }

    /// Reads the flat object of a journal line; unknown keys are ignored, a newer schema version
    /// is refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .v)
        guard version <= Record.currentSchemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .v, in: container,
                debugDescription:
                    "schema version \(version) was written by a newer Pejling; upgrade Pejling to read it")
        }
        let rawTime = try container.decode(String.self, forKey: .time)
        guard let time = TimeFormat.date(rawTime) else {
            throw DecodingError.dataCorruptedError(
                forKey: .time, in: container,
                debugDescription: "\"\(rawTime)\" is not an ISO 8601 UTC time such as 2026-03-14T10:22:05Z")
        }
        func administration() throws -> AdministrationRecord {
            AdministrationRecord(
                instrument: try container.decode(String.self, forKey: .instrument),
                instrumentVersion: try container.decode(String.self, forKey: .instrumentVersion),
                worker: try container.decodeIfPresent(String.self, forKey: .worker),
                respondent: try container.decode(String.self, forKey: .respondent),
                date: try container.decode(String.self, forKey: .date),
                answers: try container.decode([String: Answer].self, forKey: .answers),
                scores: try container.decode([String: Double].self, forKey: .scores),
                comment: try container.decodeIfPresent(String.self, forKey: .comment),
                age: try container.decodeIfPresent(Int.self, forKey: .age))
        }
        let kind = try container.decode(String.self, forKey: .kind)
        let body: RecordBody
        switch kind {
        case "administration":
            body = .administration(try administration())
        case "correction":
            body = .correction(
                target: try container.decode(String.self, forKey: .target), replacement: try administration())
        case "withdrawal":
            body = .withdrawal(
                target: try container.decode(String.self, forKey: .target),
                reason: try container.decodeIfPresent(String.self, forKey: .reason))
        case "goal":
            body = .goal(
                GoalRecord(
                    instrument: try container.decode(String.self, forKey: .instrument),
                    goal: try container.decode(String.self, forKey: .goal),
                    action: try container.decode(GoalAction.self, forKey: .action),
                    text: try container.decodeIfPresent(String.self, forKey: .text)))
        case "decision":
            body = .decision(
                DecisionRecord(
                    flag: try container.decode(String.self, forKey: .flag),
                    outcome: try container.decode(String.self, forKey: .outcome),
                    note: try container.decodeIfPresent(String.self, forKey: .note),
                    worker: try container.decodeIfPresent(String.self, forKey: .worker)))
        case "erasure":
            body = .erasure
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container,
                debugDescription:
                    "unknown kind \"\(kind)\"; expected administration, correction, withdrawal, goal, decision or erasure"
            )
        }
        self.init(
            id: try container.decode(String.self, forKey: .id), schemaVersion: version,
            writer: try container.decode(String.self, forKey: .writer), time: time,
            caseID: try container.decode(String.self, forKey: .case), body: body)
    }

    /// Writes the flat object of a journal line (nil optionals left out).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(schemaVersion, forKey: .v)
        try container.encode(body.kind, forKey: .kind)
        try container.encode(writer, forKey: .writer)
        try container.encode(TimeFormat.string(time), forKey: .time)
        try container.encode(caseID, forKey: .case)
        func encode(_ content: AdministrationRecord) throws {
            try container.encode(content.instrument, forKey: .instrument)
            try container.encode(content.instrumentVersion, forKey: .instrumentVersion)
            try container.encodeIfPresent(content.worker, forKey: .worker)
            try container.encode(content.respondent, forKey: .respondent)
            try container.encode(content.date, forKey: .date)
            try container.encode(content.answers, forKey: .answers)
            try container.encode(content.scores, forKey: .scores)
            try container.encodeIfPresent(content.comment, forKey: .comment)
            try container.encodeIfPresent(content.age, forKey: .age)
        }
        switch body {
        case .administration(let content):
            try encode(content)
        case .correction(let target, let replacement):
            try container.encode(target, forKey: .target)
            try encode(replacement)
        case .withdrawal(let target, let reason):
            try container.encode(target, forKey: .target)
            try container.encodeIfPresent(reason, forKey: .reason)
        case .goal(let goal):
            try container.encode(goal.instrument, forKey: .instrument)
            try container.encode(goal.goal, forKey: .goal)
            try container.encode(goal.action, forKey: .action)
            try container.encodeIfPresent(goal.text, forKey: .text)
        case .decision(let decision):
            try container.encode(decision.flag, forKey: .flag)
            try container.encode(decision.outcome, forKey: .outcome)
            try container.encodeIfPresent(decision.note, forKey: .note)
            try container.encodeIfPresent(decision.worker, forKey: .worker)
        case .erasure:
            break
        }
    }
}
