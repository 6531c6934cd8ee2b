import InstrumentModel
import Support

extension Item {
    /// A citizen's goal as the question a session asks: how far they have come with it.
    package init(goal: Goal, settings: GoalSettings) {
        self.init(
            id: goal.id, label: LocalizedText(verbatim: goal.text), text: settings.ratingPrompt,
            kind: .scale(settings.rating))
    }
}

/// A citizen's goal in their own words, as it stands now.
package struct Goal: Sendable, Hashable {
    /// A stable id, such as "g1"; kept when the goal is reworded.
    package var id: String
    package var text: String

    package init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// A change to a citizen's goals made during a session.
package struct GoalChange: Sendable, Hashable {
    package var goal: String
    package var action: GoalAction
    /// The goal in the citizen's words; nil when retired.
    package var text: String?

    package init(goal: String, action: GoalAction, text: String?) {
        self.goal = goal
        self.action = action
        self.text = text
    }
}

/// The ids a case's new goals get: "g" and a number one past the highest any goal of the case has
/// had, retired ones included, so an id never comes back for another goal.
package struct GoalNumbering: Sendable, Hashable {
    private var next: Int

    /// - Parameter used: every goal id the case has had.
    package init(used: some Sequence<String>) {
        next = (used.compactMap { Int($0.dropFirst()) }.max() ?? 0) + 1
    }

    /// Returns the next fresh goal id and counts it as used.
    package mutating func take() -> String {
        defer { next += 1 }
        return "g\(next)"
    }
}
