import InstrumentModel
import Support

/// The words of a session in the session's language, and the wording of rejected answers.
struct SessionText {
    let language: Language
    /// A citizen scoring themselves is spoken to directly and kindly; a worker entering answers
    /// gets the same prompts, phrased for someone reading them out.
    let citizen: Bool

    func callAsFunction(_ da: String, _ en: String) -> String {
        language == .da ? da : en
    }

    /// A number as the session's language writes it: 7,5 in Danish, 7.5 in English.
    func number(_ value: Double) -> String {
        let text = JSONValue.numberText(roundTo(value, decimals: 4))
        return language.decimal(text)
    }

    func rejection(_ rejection: AnswerRejection, input: String) -> String {
        // What was typed may be anything, even binary from a pipe: shown short and visibly.
        let shown = TerminalText.excerpt(input)
        let quoted = "'\(shown)'"
        switch rejection {
        case .notANumber:
            return self("\(quoted) er ikke et tal.", "\(quoted) is not a number.")
        case .outOfRange(let low, let high):
            return self(
                "\(quoted) er uden for \(number(low))–\(number(high)). Skriv et tal fra \(number(low)) til \(number(high)).",
                "\(quoted) is outside \(number(low))–\(number(high)). Type a number from \(number(low)) to \(number(high))."
            )
        case .offStep(let step):
            return self(
                "\(quoted) har for mange decimaler: brug trin på \(number(step)), fx \(number(7.5)).",
                "\(quoted) has too many decimals: use steps of \(number(step)), e.g. \(number(7.5)).")
        case .notWhole:
            return self("\(quoted) skal være et helt tal.", "\(quoted) must be a whole number.")
        case .noSuchOption:
            return self(
                "\(quoted) passer ikke med nogen af svarene. Skriv nummeret ud for dit svar.",
                "\(quoted) matches none of the answers. Type the number beside your answer.")
        case .ambiguousOption(let matches):
            return self(
                "\(quoted) passer med flere svar (\(matches.joined(separator: ", "))). Skriv lidt mere, eller nummeret.",
                "\(quoted) matches more than one answer (\(matches.joined(separator: ", "))). Type a little more, or the number."
            )
        case .tooLong(let max):
            return self(
                "Svaret er for langt: højst \(max) tegn.",
                "The answer is too long: at most \(max) characters.")
        case .empty:
            return self("Der skal et svar til her.", "This one needs an answer.")
        }
    }
}
