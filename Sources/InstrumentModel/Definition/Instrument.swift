import Foundation

/// A questionnaire as described by an instrument file: what to ask, how to score it, how to
/// read the score, and which flags to raise.
package struct Instrument: Sendable, Hashable {
    /// The schema version of instrument files this module reads.
    package static let schemaVersion = 1

    /// A stable identifier, such as `ors`; an organisation's file with the same id replaces it.
    package var id: String
    /// The definition's own version, stored with every administration.
    package var version: String
    /// A short name such as "ORS".
    package var abbreviation: String
    package var title: LocalizedText
    package var description: LocalizedText
    /// A few plain words said before the first item.
    package var introduction: LocalizedText
    /// Who may answer it.
    package var respondents: [Respondent]
    /// The ages the instrument is meant for, if limited.
    package var ages: AgeBand?
    /// When in a meeting it is asked.
    package var timing: Timing
    /// What it measures, which decides the flags and the team figures it takes part in.
    package var role: Role
    package var source: Source
    /// The items asked; empty for a goal-based instrument, whose items are the citizen's goals.
    package var items: [Item]
    /// Set for a goal-based instrument (GBO): the goals are the items.
    package var goals: GoalSettings?
    package var scoring: Scoring
    package var interpretation: Interpretation
    package var flags: [FlagRule]

    package init(
        id: String, version: String, abbreviation: String, title: LocalizedText,
        description: LocalizedText, introduction: LocalizedText, respondents: [Respondent],
        ages: AgeBand?, timing: Timing, role: Role, source: Source, items: [Item],
        goals: GoalSettings?, scoring: Scoring, interpretation: Interpretation, flags: [FlagRule]
    ) {
        self.id = id
        self.version = version
        self.abbreviation = abbreviation
        self.title = title
        self.description = description
        self.introduction = introduction
        self.respondents = respondents
        self.ages = ages
        self.timing = timing
        self.role = role
        self.source = source
        self.items = items
        self.goals = goals
        self.scoring = scoring
        self.interpretation = interpretation
        self.flags = flags
    }

    /// Returns the item with the given id, or nil.
    package func item(_ id: String) -> Item? {
        items.first { $0.id == id }
    }
}

/// Who answers an instrument.
package enum Respondent: String, CaseIterable, Codable, Sendable, Hashable {
    case citizen
    case worker
    case relative
}

/// When in a meeting an instrument is asked.
package enum Timing: String, CaseIterable, Codable, Sendable, Hashable {
    case start
    case end
    case any
}

/// What an instrument measures.
package enum Role: String, CaseIterable, Codable, Sendable, Hashable {
    /// How life is going (ORS): the measure for reliable change and "not on track".
    case outcome
    /// How the collaboration went (SRS).
    case alliance
    /// Personal recovery (Brief INSPIRE-O).
    case recovery
    /// Goals in the citizen's own words (GBO).
    case goals
    /// Anything else an organisation measures.
    case other
}

/// An inclusive range of ages in years; either end may be open.
package struct AgeBand: Sendable, Hashable, Codable {
    package var min: Int?
    package var max: Int?

    package init(min: Int?, max: Int?) {
        self.min = min
        self.max = max
    }

    /// Returns whether `age` lies in the band.
    package func contains(_ age: Int) -> Bool {
        (min.map { age >= $0 } ?? true) && (max.map { age <= $0 } ?? true)
    }

    /// The band as people write it: "18+", "13–17", "up to 12".
    package var description: String {
        switch (min, max) {
        case (let low?, let high?): return "\(low)–\(high)"
        case (let low?, nil): return "\(low)+"
        case (nil, let high?): return "0–\(high)"
        case (nil, nil): return "all ages"
        }
    }
}

/// Where an instrument comes from and who holds the rights to it.
package struct Source: Sendable, Hashable {
    /// The publication the instrument and its numbers come from.
    package var citation: String
    package var rightsHolder: String
    /// The licence situation in plain words.
    package var licence: LocalizedText
    /// Whose wording the items are in (Pejling ships its own paraphrase).
    package var wording: LocalizedText

    package init(citation: String, rightsHolder: String, licence: LocalizedText, wording: LocalizedText) {
        self.citation = citation
        self.rightsHolder = rightsHolder
        self.licence = licence
        self.wording = wording
    }
}

/// A number or setting taken from the literature, with whether a primary source confirms it.
package struct Provenance: Sendable, Hashable {
    /// False when no primary source confirmed the number; it is then shown as unverified.
    package var verified: Bool
    /// Where it comes from, or why it is unverified, in each language.
    package var note: LocalizedText?

    package init(verified: Bool = true, note: LocalizedText? = nil) {
        self.verified = verified
        self.note = note
    }

    package static let confirmed = Provenance()
}
