import InstrumentModel

extension Item {
    /// A citizen's goal as the question a session asks: how far they have come with it.
    public init(goal: Goal, settings: GoalSettings) {
        self.init(
            id: goal.id, label: LocalizedText(verbatim: goal.text), text: settings.ratingPrompt,
            kind: .scale(settings.rating))
    }
}

/// A citizen's goal in their own words, as it stands now.
public struct Goal: Sendable, Hashable {
    /// A stable id, such as "g1"; kept when the goal is reworded.
    public var id: String
    public var text: String

    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// A change to a citizen's goals made during a session.
public struct GoalChange: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case set
        case reword
        case retire
    }

    public var goal: String
    public var action: Action
    /// The goal in the citizen's words; nil when retired.
    public var text: String?

    public init(goal: String, action: Action, text: String?) {
        self.goal = goal
        self.action = action
        self.text = text
    }
}
