/// One question of an instrument.
package struct Item: Sendable, Hashable {
    /// A stable identifier; answers are stored under it and FHIR `linkId` is it.
    package var id: String
    /// A short label for tables and charts ("Individually").
    package var label: LocalizedText
    /// The full question as asked.
    package var text: LocalizedText
    /// Extra explanation shown when the respondent types `?`.
    package var help: LocalizedText?
    package var kind: ItemKind
    /// Whether the respondent may skip it.
    package var optional: Bool
    /// Text to show at once when an answer crosses a value (e.g. where to get help now).
    package var safety: SafetyRule?
    /// Whether the answer counts towards the scores; false for an item that is asked and stored
    /// but not scored, such as PHQ-9's closing "how difficult" question.
    package var scored: Bool

    package init(
        id: String, label: LocalizedText, text: LocalizedText, help: LocalizedText? = nil, kind: ItemKind,
        optional: Bool = false, safety: SafetyRule? = nil, scored: Bool = true
    ) {
        self.id = id
        self.label = label
        self.text = text
        self.help = help
        self.kind = kind
        self.optional = optional
        self.safety = safety
        self.scored = scored
    }

    /// Whether the answer counts towards the scores: a scored item of a kind that gives a number.
    package var isScored: Bool { scored && kind.isScored }
}

/// The kind of answer an item takes.
package enum ItemKind: Sendable, Hashable {
    /// A continuous line, such as the 10 cm line of ORS read as 0–10 by 0.1.
    case scale(Scale)
    /// Ordered options, each with a value.
    case choice([ChoiceOption])
    /// A number within a range.
    case number(NumberRange)
    /// Free text in the respondent's own words.
    case text(maxLength: Int)

    /// The name used in instrument files.
    package var name: String {
        switch self {
        case .scale: return "scale"
        case .choice: return "choice"
        case .number: return "number"
        case .text: return "text"
        }
    }

    /// Whether the answer counts towards a score.
    package var isScored: Bool {
        if case .text = self { return false }
        return true
    }
}

/// A continuous scale with anchor texts at its ends.
package struct Scale: Sendable, Hashable {
    package var min: Double
    package var max: Double
    /// The smallest difference that can be marked, such as 0.1 (one millimetre of 10 cm).
    package var step: Double
    package var lowAnchor: LocalizedText
    package var highAnchor: LocalizedText

    package init(min: Double, max: Double, step: Double, lowAnchor: LocalizedText, highAnchor: LocalizedText)
    {
        self.min = min
        self.max = max
        self.step = step
        self.lowAnchor = lowAnchor
        self.highAnchor = highAnchor
    }
}

/// One option of a choice item.
package struct ChoiceOption: Sendable, Hashable {
    /// The value scored.
    package var value: Double
    /// A code for interchange (FHIR `Coding.code`), e.g. a LOINC answer code.
    package var code: String?
    /// The code system of `code`.
    package var system: String?
    package var label: LocalizedText

    package init(value: Double, code: String? = nil, system: String? = nil, label: LocalizedText) {
        self.value = value
        self.code = code
        self.system = system
        self.label = label
    }
}

/// The accepted range of a number item.
package struct NumberRange: Sendable, Hashable {
    package var min: Double
    package var max: Double
    /// Whether only whole numbers are accepted.
    package var integer: Bool

    package init(min: Double, max: Double, integer: Bool) {
        self.min = min
        self.max = max
        self.integer = integer
    }
}

/// Text shown at once when an answer crosses a value.
package struct SafetyRule: Sendable, Hashable {
    /// Which side of `value` triggers the text.
    package enum Comparison: String, Sendable, Hashable, CaseIterable {
        case atOrBelow
        case atOrAbove
    }

    package var when: Comparison
    package var value: Double
    package var text: LocalizedText

    package init(when: Comparison, value: Double, text: LocalizedText) {
        self.when = when
        self.value = value
        self.text = text
    }

    /// Returns whether `answer` crosses the rule's value.
    package func isTriggered(by answer: Double) -> Bool {
        switch when {
        case .atOrBelow: return answer <= value
        case .atOrAbove: return answer >= value
        }
    }
}

/// How a goal-based instrument (GBO) asks for goals and rates progress on them.
package struct GoalSettings: Sendable, Hashable {
    /// The most goals a citizen holds at once.
    package var maxGoals: Int
    /// The scale each goal is rated on.
    package var rating: Scale
    /// The question that asks for a goal in the citizen's own words.
    package var goalPrompt: LocalizedText
    /// The question asked about each goal at each rating.
    package var ratingPrompt: LocalizedText

    package init(maxGoals: Int, rating: Scale, goalPrompt: LocalizedText, ratingPrompt: LocalizedText) {
        self.maxGoals = maxGoals
        self.rating = rating
        self.goalPrompt = goalPrompt
        self.ratingPrompt = ratingPrompt
    }
}
