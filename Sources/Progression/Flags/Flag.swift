import InstrumentModel
import Support

/// A prompt that a case's support plan may need adjusting, with its evidence, until a worker
/// records a decision on it. A flag is a reason for a conversation, never a decision.
package struct Flag: Sendable, Hashable {
    /// A stable id, derived from the case, the rule and the administration that raised it.
    package var id: String {
        get { identity.text }
        set { identity = FlagID(newValue) }
    }
    /// The id as a number, when it is one Pejling made (see `FlagID`): every flag's id is.
    var idNumber: UInt64? { identity.number }
    private var identity: FlagID
    package var caseID: String
    package var instrument: String
    /// The rule's name as in the instrument file (`notOnTrack`, `worseThan`, …).
    package var rule: String
    /// The goal concerned, for goal rules.
    package var goal: String?
    /// The meeting day that raised the flag.
    package var since: Day
    /// The latest meeting day that showed the condition.
    package var latest: Day
    /// The numbers behind the flag.
    package var evidence: LocalizedText {
        get { evidenceSource.text }
        set { evidenceSource = .worded(newValue) }
    }
    /// The evidence as the engine found it, worded when read.
    var evidenceSource: FlagEvidence
    /// Why it matters, in plain words.
    package var reason: LocalizedText {
        get { wording.reason }
        set { wording = FlagWording(reason: newValue, question: question) }
    }
    /// A question to open the conversation with.
    package var question: LocalizedText {
        get { wording.question }
        set { wording = FlagWording(reason: reason, question: newValue) }
    }
    /// The reason and question, shared by every flag of a rule rather than held by each.
    private var wording: FlagWording
    /// The practice principle the flag serves.
    package var principle: Principle
    /// Whether the condition still holds at the latest measurement.
    package var stillHolds: Bool { clearedOn == nil }
    /// The day of the first measurement after the flag's latest that no longer showed the
    /// condition: its reason has passed. Nil while the condition holds at the latest measurement.
    /// A cleared flag stays open until a worker decides on it: whether the plan still needs a
    /// change is the worker's call (principle 7), never the software's.
    package var clearedOn: Day?
    /// Whether the flag is open though its condition has passed.
    package var isOpenButCleared: Bool { isOpen && clearedOn != nil }
    /// The decision that closed it, if any.
    package var decision: Decision? {
        get { decided?.decision }
        set { decided = newValue.map(DecidedFlag.init) }
    }
    /// The decision, boxed: an open flag (most that a report holds) needs no room for one.
    private var decided: DecidedFlag?
    /// Whether the rule's threshold is unverified (shown with the flag).
    package var unverified: Bool

    /// Makes a flag whose id is the `FlagNumber` `number`, with the reason and question of `wording`.
    init(
        number: UInt64, caseID: String, instrument: String, rule: String, goal: String?, since: Day,
        latest: Day, evidenceSource: FlagEvidence, wording: FlagWording, principle: Principle,
        clearedOn: Day?, decision: Decision?, unverified: Bool
    ) {
        identity = FlagID(number: number)
        self.caseID = caseID
        self.instrument = instrument
        self.rule = rule
        self.goal = goal
        self.since = since
        self.latest = latest
        self.evidenceSource = evidenceSource
        self.wording = wording
        self.principle = principle
        self.clearedOn = clearedOn
        decided = decision.map(DecidedFlag.init)
        self.unverified = unverified
    }

    package var isOpen: Bool { decision == nil }

    package static func == (lhs: Flag, rhs: Flag) -> Bool {
        lhs.id == rhs.id && lhs.caseID == rhs.caseID && lhs.instrument == rhs.instrument
            && lhs.rule == rhs.rule
            && lhs.goal == rhs.goal && lhs.since == rhs.since && lhs.latest == rhs.latest
            && lhs.reason == rhs.reason && lhs.question == rhs.question && lhs.principle == rhs.principle
            && lhs.clearedOn == rhs.clearedOn && lhs.decision == rhs.decision
            && lhs.unverified == rhs.unverified && lhs.evidence == rhs.evidence
    }

    /// Hashes every property but the evidence, which equal flags word alike.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(caseID)
        hasher.combine(instrument)
        hasher.combine(rule)
        hasher.combine(goal)
        hasher.combine(since)
        hasher.combine(latest)
        hasher.combine(reason)
        hasher.combine(question)
        hasher.combine(principle)
        hasher.combine(clearedOn)
        hasher.combine(decision)
        hasher.combine(unverified)
    }
}

/// A flag's reason and question, as its rule words them.
final class FlagWording: Sendable {
    let reason: LocalizedText
    let question: LocalizedText

    init(reason: LocalizedText, question: LocalizedText) {
        self.reason = reason
        self.question = question
    }
}

/// The decision on a flag, in a box of its own.
private final class DecidedFlag: Sendable {
    let decision: Decision

    init(_ decision: Decision) {
        self.decision = decision
    }
}

/// The eight principles of the Danish national guidance on recovery-oriented social psychiatry
/// (Socialstyrelsen 2021–2023) that flags serve.
package enum Principle: Int, Sendable, Hashable, CaseIterable {
    case hopes = 1
    case resources
    case network
    case respect
    case early
    case coordinated
    case followUp
    case knowledge

    package var text: LocalizedText {
        switch self {
        case .hopes:
            return LocalizedText(
                da: "Tag udgangspunkt i borgerens håb, ønsker og drømme",
                en: "Start from the citizen's hopes, wishes and dreams")
        case .resources:
            return LocalizedText(da: "Fokus på borgerens ressourcer", en: "Focus on the citizen's resources")
        case .network:
            return LocalizedText(
                da: "Inddrag netværk og almindelige fællesskaber",
                en: "Involve the network and ordinary communities")
        case .respect:
            return LocalizedText(
                da: "Mød borgeren med åbenhed, tillid og respekt",
                en: "Meet the citizen with openness, trust and respect")
        case .early: return LocalizedText(da: "Hjælp så tidligt som muligt", en: "Help as early as possible")
        case .coordinated:
            return LocalizedText(
                da: "Arbejd koordineret med hele borgerens livssituation",
                en: "Work in a coordinated way with the whole life situation")
        case .followUp:
            return LocalizedText(
                da: "Følg op, så indsatsen altid er den rette",
                en: "Follow up, so the support is always the right one")
        case .knowledge:
            return LocalizedText(
                da: "Brug viden og metoder, der virker", en: "Use knowledge and methods that work")
        }
    }
}
