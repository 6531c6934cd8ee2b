import InstrumentModel
import Support

/// The plain-language reason, the conversation question and the principle of each flag rule.
enum FlagTexts {
    static func texts(_ rule: FlagRule, instrument: Instrument, variant: String) -> (
        reason: LocalizedText, question: LocalizedText, principle: Principle
    ) {
        let name = instrument.abbreviation
        switch rule.kind {
        case .notOnTrack(let sessions):
            if variant == "band" {
                return (
                    LocalizedText(
                        da:
                            "\(name) ligger under det, lignende forløb i jeres egne data typisk viser på dette tidspunkt.",
                        en:
                            "\(name) is below what similar courses in your own data usually show at this point."
                    ),
                    LocalizedText(
                        da: "Hvad skal der til, for at støtten gør en større forskel for dig?",
                        en: "What would it take for the support to make more of a difference to you?"),
                    .followUp
                )
            }
            return (
                LocalizedText(
                    da:
                        "Ingen pålidelig bedring på \(name) efter \(sessions) målinger. Støtten virker måske ikke, som den skal.",
                    en:
                        "No reliable improvement on \(name) after \(sessions) measurements. The support may not be working as it should."
                ),
                LocalizedText(
                    da: "Hvad synes du, vi skal gøre anderledes, så det begynder at gå den rigtige vej?",
                    en: "What do you think we should do differently so things start moving the right way?"),
                .followUp
            )
        case .reliableDeterioration(let from):
            return (
                LocalizedText(
                    da: from == .intake
                        ? "\(name) er blevet pålideligt dårligere siden første måling."
                        : "\(name) er blevet pålideligt dårligere siden sidste måling.",
                    en: from == .intake
                        ? "\(name) has reliably worsened since intake."
                        : "\(name) has reliably worsened since the previous measurement."),
                LocalizedText(
                    da:
                        "Det ser ud til at være blevet sværere. Hvad er der sket, og hvad har du brug for nu?",
                    en: "It looks as if things have got harder. What has happened, and what do you need now?"),
                .followUp
            )
        case .worseThan(let value):
            switch instrument.role {
            case .alliance:
                return (
                    LocalizedText(
                        da: "\(name) under \(format(value)) kan betyde, at samarbejdet ikke passer borgeren.",
                        en:
                            "\(name) below \(format(value)) can mean the collaboration does not suit the citizen."
                    ),
                    LocalizedText(
                        da: "Hvad kunne jeg gøre anderledes, så vores møder bliver mere rigtige for dig?",
                        en: "What could I do differently so our meetings feel more right for you?"),
                    .respect
                )
            case .recovery:
                return (
                    LocalizedText(
                        da: "\(name) under \(format(value)): den personlige recovery er lav.",
                        en: "\(name) below \(format(value)): personal recovery is low."),
                    LocalizedText(
                        da: "Hvad giver dig håb lige nu, og hvad drømmer du om?",
                        en: "What gives you hope right now, and what do you dream of?"),
                    .hopes
                )
            default:
                return (
                    LocalizedText(
                        da: "\(name) er dårligere end \(format(value)).",
                        en: "\(name) is worse than \(format(value))."),
                    LocalizedText(da: "Hvordan ser du selv på det?", en: "How do you see it yourself?"),
                    .followUp
                )
            }
        case .drop(_, let points):
            let alliance = instrument.role == .alliance
            return (
                LocalizedText(
                    da: "\(name) er faldet \(format(points)) point eller mere.",
                    en: "\(name) has dropped \(format(points)) \(points == 1 ? "point" : "points") or more."),
                alliance
                    ? LocalizedText(
                        da: "Din vurdering af mødet er lavere end sidst. Hvad var anderledes i dag?",
                        en: "You rated the meeting lower than last time. What was different today?")
                    : LocalizedText(
                        da: "Tallet er faldet siden sidst. Hvad er der sket?",
                        en: "The score has dropped since last time. What has happened?"),
                alliance ? .respect : instrument.role == .recovery ? .hopes : .followUp
            )
        case .goalStalled(let ratings):
            return (
                LocalizedText(
                    da: "Et mål har stået stille i \(ratings) vurderinger.",
                    en: "A goal has not moved for \(ratings) ratings."),
                LocalizedText(
                    da:
                        "Er målet stadig vigtigt for dig? Skal vi dele det op eller formulere det på en ny måde?",
                    en: "Does the goal still matter to you? Should we break it down or put it another way?"),
                .hopes
            )
        case .goalReached:
            return (
                LocalizedText(
                    da: "Et mål er nået: tid til at sætte et nyt.",
                    en: "A goal has been reached: time to set a new one."),
                LocalizedText(
                    da: "Tillykke! Hvad vil du gerne arbejde hen imod nu?",
                    en: "Well done! What would you like to work towards next?"),
                .hopes
            )
        case .overdue:
            return (
                LocalizedText(
                    da:
                        "\(name) er ikke målt i længere tid. Uden opfølgning ved ingen, om støtten er den rette.",
                    en:
                        "\(name) has not been measured for a while. Without follow-up, nobody knows if the support is right."
                ),
                LocalizedText(
                    da: "Skal vi tage \(name) sammen ved næste møde?",
                    en: "Shall we do \(name) together at the next meeting?"),
                .followUp
            )
        case .companionMissing(let companion):
            return (
                LocalizedText(
                    da:
                        "Et møde med \(name) fik ingen \(companion.uppercased()): borgerens feedback på samarbejdet mangler.",
                    en:
                        "A meeting with \(name) got no \(companion.uppercased()): the citizen's feedback on the collaboration is missing."
                ),
                LocalizedText(
                    da: "Husk \(companion.uppercased()) til sidst i mødet: hvordan var mødet i dag for dig?",
                    en:
                        "Remember \(companion.uppercased()) at the end of the meeting: how was today's meeting for you?"
                ),
                .respect
            )
        }
    }

    static func format(_ value: Double) -> String {
        JSONValue.numberText(roundTo(value, decimals: 2))
    }
}
