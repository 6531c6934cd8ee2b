import Foundation
import Storage

/// An administration as it stands after corrections and withdrawals: what an export carries.
public struct StoredAdministration: Sendable, Hashable {
    /// The id of the administration record (a correction keeps the id of the record it corrects).
    public var id: String
    public var caseID: String
    /// When the administration was first written.
    public var time: Date
    public var content: AdministrationRecord
    /// The goals' wording when rated, by goal id (goal-based instruments only).
    public var goalTexts: [String: String]

    public init(
        id: String, caseID: String, time: Date, content: AdministrationRecord,
        goalTexts: [String: String] = [:]
    ) {
        self.id = id
        self.caseID = caseID
        self.time = time
        self.content = content
        self.goalTexts = goalTexts
    }

    /// Returns the administrations of `records` (merged and ordered by time, as `Store.read()`
    /// gives them) with each correction applied to its target and withdrawn ones left out, by the
    /// rules of `Amendments` (the ones every report follows too).
    public static func current(_ records: [Record]) -> [StoredAdministration] {
        var administrations: [StoredAdministration] = []
        var others: [Record] = []
        var wordings: [String: [String: [(text: String, time: Date)]]] = [:]
        for record in records {
            switch record.body {
            case .administration(let content):
                administrations.append(
                    StoredAdministration(
                        id: record.id, caseID: record.caseID, time: record.time, content: content))
            case .goal(let goal):
                if let text = goal.text, goal.action != .retire {
                    wordings[record.caseID, default: [:]][goal.goal, default: []].append((text, record.time))
                }
            default:
                others.append(record)
            }
        }
        let amendments = Amendments(
            others, administrations: administrations.count, id: { administrations[$0].id },
            caseID: { administrations[$0].caseID })
        for (place, correction) in amendments.corrections {
            guard case .correction(_, let replacement) = others[correction].body else { continue }
            administrations[place].content = replacement
        }
        return administrations.filter { !amendments.withdrawn.contains($0.id) }.map { administration in
            var current = administration
            guard let goals = wordings[current.caseID] else { return current }
            for goal in current.content.answers.keys {
                // The wording in force when the goal was rated, else its first wording.
                guard let list = goals[goal] else { continue }
                current.goalTexts[goal] = (list.last { $0.time <= current.time } ?? list[0]).text
            }
            return current
        }
    }
}
