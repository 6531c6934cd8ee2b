import Administration
import InstrumentModel
import Progression
import Support

/// What `pejling ask` shows after saving: the score and its meaning, the change since last time
/// and since intake and whether it is reliable, and any flag the answers raised.
struct ResultScreen {
    let context: Context
    let instrument: Instrument
    let history: CaseHistory
    let day: Day
    let age: Int?
    let flags: [Flag]

    func show(selfScoring: Bool) {
        let console = WrappedLines(console: context.console, width: (try? context.width(option: nil)) ?? 80)
        let t = context.text
        let series = history.series(instrument.id)
        guard let index = series.lastIndex(where: { $0.day == day }) else { return }
        let current = series[index]
        console.writeLine()
        console.writeLine(
            selfScoring
                ? t("Tak! Dine svar er gemt.", "Thank you! Your answers are saved.")
                : t(
                    "Gemt: \(instrument.abbreviation) for \(history.caseID), \(day) (måling \(index + 1)).",
                    "Saved: \(instrument.abbreviation) for \(history.caseID), \(day) (measurement \(index + 1))."
                ))
        console.writeLine(
            ScoreMeaning.sentence(current.total, instrument: instrument, age: age, language: context.language)
        )
        if let total = current.total {
            if index > 0, let previous = series[index - 1].total {
                console.writeLine(
                    change(
                        from: previous, to: total, on: series[index - 1].day,
                        since: t("Siden sidst", "Since last time")))
            }
            if index > 1, let first = series[0].total {
                console.writeLine(
                    change(
                        from: first, to: total, on: series[0].day,
                        since: t("Siden første måling", "Since the first measurement")))
            }
        }
        if instrument.goals != nil {
            for goal in history.currentGoals where goal.instrument == instrument.id {
                let ratings = series.compactMap { $0.part(goal.id) }
                guard !ratings.isEmpty else { continue }
                console.writeLine(
                    "  \(TerminalText.sanitized(goal.text)): "
                        + ratings.map { localized($0) }.joined(separator: " → "))
            }
        }
        if selfScoring && series.count > 1 {
            let trend = series.compactMap(\.total).map {
                context.language.decimal(number($0))
            }
            console.writeLine(
                t("Dine tal over tid: ", "Your scores over time: ") + trend.joined(separator: " → "))
        }
        for flag in flags where !selfScoring {
            console.writeLine()
            console.writeLine(t("Flag: ", "Flag: ") + flag.reason[context.language])
            console.writeLine("  " + flag.evidence[context.language])
            console.writeLine("  " + t("Spørg: ", "Ask: ") + flag.question[context.language])
            console.writeLine(
                "  " + t("Luk det med: ", "Close it with: ")
                    + "pejling decide --case \(history.caseID) --flag \(flag.id) --outcome continue|adjust|end|reassess"
            )
        }
    }

    private func change(from before: Double, to after: Double, on date: Day, since label: String) -> String {
        let t = context.text
        let assessment = ChangeCalculator.assess(pre: before, post: after, instrument: instrument, age: age)
        let delta = assessment.change
        let sign = delta > 0 ? "+" : delta < 0 ? "−" : "±"
        let amount = sign + localized(abs(delta))
        var words = "\(label) (\(date): \(localized(before))): \(amount)"
        switch assessment.reliableDirection {
        case 1: words += t(", en pålidelig bedring.", ", a reliable improvement.")
        case -1: words += t(", en pålidelig forværring.", ", a reliable deterioration.")
        default:
            if let threshold = assessment.threshold {
                words += t(
                    ", ikke en pålidelig ændring (kræver \(localized(threshold)) point).",
                    ", not a reliable change (\(localized(threshold)) points needed).")
            } else {
                words += "."
            }
        }
        return words
    }

    private func localized(_ value: Double) -> String {
        let text = number(value)
        return context.language.decimal(text)
    }
}

/// Writes whole lines, each broken between words at the screen's width and continued under its
/// own indentation.
struct WrappedLines {
    let console: Console
    let width: Int

    func writeLine(_ text: String = "") { console.writeLine(wrapLines(text, width: width)) }
}
