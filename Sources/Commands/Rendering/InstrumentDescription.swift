import InstrumentModel
import Support

/// How `pejling instruments show` describes an instrument.
enum InstrumentDescription {
    static func json(_ instrument: Instrument) -> JSONValue {
        InstrumentWriter.json(instrument)
    }

    static func text(_ instrument: Instrument, context: Context) -> String {
        let lang = context.language
        let t = context.text
        let unverified = t(" [ikke bekræftet]", " [unverified]")
        var out =
            "\(instrument.title[lang]) — \(instrument.id) \(t("version", "version")) \(instrument.version)\n"
        out += instrument.description[lang] + "\n\n"
        let respondents = instrument.respondents.map { respondentText($0, context) }.joined(separator: ", ")
        out += t("Besvares af: ", "Answered by: ") + respondents + "\n"
        if let ages = instrument.ages { out += t("Alder: ", "Ages: ") + ages.description + "\n" }
        out += t("Hvornår: ", "When: ") + InstrumentsCommand.timingText(instrument.timing, context) + "\n"
        out += t("Introduktion: ", "Introduction: ") + instrument.introduction[lang] + "\n\n"

        if let goals = instrument.goals {
            out += t("MÅL\n", "GOALS\n")
            out += t(
                "  Op til \(goals.maxGoals) mål med borgerens egne ord; hvert mål vurderes \(range(goals.rating, context)).\n",
                "  Up to \(goals.maxGoals) goals in the citizen's own words; each rated \(range(goals.rating, context)).\n"
            )
            out += "  \(goals.goalPrompt[lang])\n  \(goals.ratingPrompt[lang])\n\n"
        } else {
            out += t("SPØRGSMÅL\n", "ITEMS\n")
            for (index, item) in instrument.items.enumerated() {
                out += "  \(index + 1). \(item.label[lang]) (\(item.id)): \(item.text[lang])\n"
                out +=
                    "     " + kindText(item.kind, context)
                    + (item.optional ? t("; kan springes over", "; may be skipped") : "")
                    + (item.scored ? "" : t("; tæller ikke med i scoren", "; not scored")) + "\n"
                if let safety = item.safety {
                    let side = safety.when == .atOrBelow ? "≤" : "≥"
                    out +=
                        "     " + t("Sikkerhedstekst ved svar ", "Safety text at answers ")
                        + "\(side) \(context.number(safety.value))\n"
                }
            }
            out += "\n"
        }

        let scoring = instrument.scoring
        out += t("SCORING\n", "SCORING\n")
        var total = scoring.method == .sum ? t("sum", "sum") : t("gennemsnit", "mean")
        if scoring.multiplier != 1 { total += " × \(context.number(scoring.multiplier))" }
        if scoring.offset != 0 { total += " + \(context.number(scoring.offset))" }
        out +=
            "  " + t("Total: ", "Total: ") + total
            + ", \(context.number(scoring.range.lowerBound))–\(context.number(scoring.range.upperBound)); "
        out +=
            (!scoring.directionStated
                ? t(
                    "retning ikke angivet (ingen flag og ingen ændringskategorier før den er)",
                    "direction not set (no flags and no change categories until it is)")
                : scoring.direction == .higherIsBetter
                    ? t("højere er bedre", "higher is better") : t("lavere er bedre", "lower is better"))
        out += (scoring.provenance.verified ? "" : unverified) + "\n"
        if scoring.maxSkipped > 0 {
            out +=
                "  "
                + t(
                    "Op til \(scoring.maxSkipped) spørgsmål kan springes over (summen opskaleres).",
                    "Up to \(scoring.maxSkipped) items may be skipped (the sum is prorated).") + "\n"
        }
        for sub in scoring.subscales {
            out += "  \(sub.label[lang]) (\(sub.id)): \(sub.items.joined(separator: ", "))\n"
        }
        if let note = scoring.provenance.note { out += "  \(note[lang])\n" }
        out += "\n"

        out += t("FORTOLKNING\n", "INTERPRETATION\n")
        for cutoff in instrument.interpretation.cutoffs {
            let ages = cutoff.ages.map { t(" (alder \($0.description))", " (ages \($0.description))") } ?? ""
            var rule = ""
            if case .norms(let norms) = cutoff.rule {
                rule = t(
                    " fra normer, type \(norms.type.rawValue)", " from norms, type \(norms.type.rawValue)")
            }
            out +=
                "  " + t("Klinisk grænse", "Clinical cut-off")
                + "\(ages): \(context.number(cutoff.value(direction: scoring.direction)))\(rule)"
            out += (cutoff.provenance.verified ? "" : unverified) + "\n"
            if let note = cutoff.provenance.note { out += "    \(note[lang])\n" }
        }
        if let change = instrument.interpretation.reliableChange {
            var how = ""
            switch change.method {
            case .points: how = ""
            case .reliability(let r, let sd):
                how = " (Jacobson & Truax: r = \(context.number(r)), SD = \(context.number(sd)))"
            case .standardError(let sem): how = " (Jacobson & Truax: SEM = \(context.number(sem)))"
            }
            out +=
                "  " + t("Pålidelig ændring: ", "Reliable change: ")
                + "\(context.number(change.threshold, decimals: 2)) " + t("point", "points") + how
            out += (change.provenance.verified ? "" : unverified) + "\n"
            if let note = change.provenance.note { out += "    \(note[lang])\n" }
        }
        if instrument.interpretation.cutoffs.isEmpty && instrument.interpretation.reliableChange == nil {
            out += "  " + t("Ingen grænser angivet.", "No thresholds declared.") + "\n"
        }
        out += "\n"

        if !instrument.flags.isEmpty {
            out += t("FLAG\n", "FLAGS\n")
            for rule in instrument.flags {
                out += "  " + flagText(rule, context) + (rule.provenance.verified ? "" : unverified) + "\n"
            }
            out += "\n"
        }

        out += t("KILDE OG LICENS\n", "SOURCE AND LICENCE\n")
        out += "  \(instrument.source.citation)\n"
        out += "  " + t("Rettighedshaver: ", "Rights holder: ") + instrument.source.rightsHolder + "\n"
        out += "  " + instrument.source.licence[lang] + "\n"
        out += "  " + instrument.source.wording[lang] + "\n"
        return out
    }

    static func respondentText(_ respondent: Respondent, _ context: Context) -> String {
        switch respondent {
        case .citizen: return context.text("borger", "citizen")
        case .worker: return context.text("medarbejder", "worker")
        case .relative: return context.text("pårørende", "relative")
        }
    }

    static func range(_ scale: Scale, _ context: Context) -> String {
        "\(context.number(scale.min))–\(context.number(scale.max))"
    }

    static func kindText(_ kind: ItemKind, _ context: Context) -> String {
        let lang = context.language
        switch kind {
        case .scale(let scale):
            return context.text("Skala ", "Scale ") + "\(range(scale, context)) "
                + context.text("i trin af ", "in steps of ")
                + context.number(scale.step)
                + ": \(context.number(scale.min)) = \(scale.lowAnchor[lang]), \(context.number(scale.max)) = \(scale.highAnchor[lang])"
        case .choice(let options):
            let keys = ItemKind.choiceKeys(options)
            return context.text("Valg: ", "Choice: ")
                + zip(keys, options).map { "\($0) = \($1.label[lang])" }.joined(separator: ", ")
        case .number(let range):
            return context.text("Tal ", "Number ")
                + "\(context.number(range.min))–\(context.number(range.max))"
                + (range.integer ? context.text(", hele tal", ", whole numbers") : "")
        case .text(let maxLength):
            return context.text(
                "Fritekst, højst \(maxLength) tegn", "Free text, at most \(maxLength) characters")
        }
    }

    static func flagText(_ rule: FlagRule, _ context: Context) -> String {
        let t = context.text
        switch rule.kind {
        case .notOnTrack(let sessions):
            return t(
                "Ikke på sporet: ingen pålidelig bedring ved \(sessions). måling (i det kliniske område)",
                "Not on track: no reliable improvement by measurement \(sessions) (in the clinical range)")
        case .reliableDeterioration(let from):
            return from == .intake
                ? t("Pålidelig forværring siden første måling", "Reliable deterioration since intake")
                : t(
                    "Pålidelig forværring siden sidste måling",
                    "Reliable deterioration since the previous measurement")
        case .worseThan(let value):
            return t(
                "Score dårligere end \(context.number(value))", "Score worse than \(context.number(value))")
        case .drop(let from, let points):
            return from == .intake
                ? t(
                    "Fald på \(context.number(points)) point eller mere siden første måling",
                    "Drop of \(context.number(points)) points or more since intake")
                : t(
                    "Fald på \(context.number(points)) point eller mere siden sidste måling",
                    "Drop of \(context.number(points)) points or more since the previous measurement")
        case .goalStalled(let ratings):
            return t("Mål uændret i \(ratings) vurderinger", "Goal unchanged for \(ratings) ratings")
        case .goalReached(let value):
            return t(
                "Mål nået (vurderet \(context.number(value)) eller mere)",
                "Goal reached (rated \(context.number(value)) or more)")
        case .overdue(let days):
            return t("Ingen måling i \(days) dage", "No measurement for \(days) days")
        case .companionMissing(let other):
            return t("Møde uden \(other.uppercased())", "Meeting without \(other.uppercased())")
        }
    }
}

/// Formats a number for people: whole numbers without decimals, others with up to `decimals`.
func number(_ value: Double, decimals: Int = 2) -> String {
    NumberText.rounded(value, decimals: decimals)
}
