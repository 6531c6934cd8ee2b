/// What happened to a citizen's goal: the one vocabulary a session, a stored goal record and
/// a case's goal history speak.
package enum GoalAction: String, Codable, Sendable, Hashable {
    /// The goal was set, in the citizen's own words.
    case set
    /// The goal was put in new words; it keeps its id.
    case reword
    /// The goal was retired; it is no longer rated.
    case retire
}
