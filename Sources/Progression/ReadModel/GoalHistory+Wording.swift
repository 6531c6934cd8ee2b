import Foundation

extension GoalHistory {
    /// Returns the wording in force at `time`: the latest written by then, or the first when the
    /// goal was rated before any wording was written (a clock set wrong on one machine).
    package func wording(at time: Date) -> String {
        (wordings.last { $0.recorded <= time } ?? wordings.first)?.text ?? ""
    }
}

extension CaseIndex {
    /// Returns the wording of the goal `goal` of the case `caseID` when it was rated at `time`, as
    /// the case's goal histories say, or nil when the case has no such goal: what an export writes
    /// beside a rating.
    package func goalWording(caseID: String, goal: String, at time: Date) -> String? {
        goals(of: caseID).first { $0.id == goal }?.wording(at: time)
    }
}
