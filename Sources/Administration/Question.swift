import InstrumentModel

/// One question as a session asks it: an instrument's item, or a citizen's goal to rate.
public struct Question: Sendable, Hashable {
    /// The item id, or the goal id.
    public var id: String
    public var label: LocalizedText
    public var text: LocalizedText
    public var help: LocalizedText?
    public var kind: ItemKind
    public var optional: Bool
    public var safety: SafetyRule?

    public init(item: Item) {
        id = item.id
        label = item.label
        text = item.text
        help = item.help
        kind = item.kind
        optional = item.optional
        safety = item.safety
    }

    public init(goal: Goal, settings: GoalSettings) {
        id = goal.id
        label = LocalizedText(verbatim: goal.text)
        text = settings.ratingPrompt
        help = nil
        kind = .scale(settings.rating)
        optional = false
        safety = nil
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
