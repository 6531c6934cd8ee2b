import InstrumentModel

/// Plain-language sentences about what a score means against its instrument's cut-off.
package enum ScoreMeaning {
    /// Returns one sentence: the total, its range and its meaning against the cut-off.
    package static func sentence(_ total: Double?, instrument: Instrument, age: Int?, language: Language)
        -> String
    {
        let text = SessionText(language: language, citizen: false)
        guard let total else {
            return text(
                "Ingen samlet score: for mange spørgsmål er sprunget over.",
                "No total score: too many questions were skipped.")
        }
        let range = instrument.scoring.range
        var sentence =
            text("Samlet: ", "Total: ") + "\(text.number(total)) " + text("af", "of")
            + " \(text.number(range.upperBound))"
        // Without a stated direction, which side of a cut-off is clinical is unknown.
        guard instrument.scoring.directionStated, let cutoff = instrument.interpretation.cutoff(forAge: age)
        else {
            return sentence + "."
        }
        let value = cutoff.value(direction: instrument.scoring.direction)
        let higher = instrument.scoring.direction == .higherIsBetter
        let standing = Standing(total, cutoff: value, direction: instrument.scoring.direction)
        let cut = text.number(value)
        switch (instrument.role, standing) {
        case (.alliance, .clinical):
            sentence += text(
                ", under \(cut): spørg hvad der kunne gøre samarbejdet bedre.",
                ", below \(cut): ask what would make the collaboration better.")
        case (.alliance, _):
            sentence += text(
                ", \(cut) eller mere: samarbejdet passer borgeren.",
                ", \(cut) or more: the collaboration suits the citizen.")
        case (_, .clinical):
            sentence += text(
                higher ? ", under den kliniske grænse på \(cut)." : ", over den kliniske grænse på \(cut).",
                higher ? ", below the clinical cut-off of \(cut)." : ", above the clinical cut-off of \(cut)."
            )
        case (_, .onCutoff):
            sentence += text(
                ", lige på den kliniske grænse på \(cut).", ", exactly on the clinical cut-off of \(cut).")
        case (_, .functional):
            sentence += text(
                higher ? ", over den kliniske grænse på \(cut)." : ", under den kliniske grænse på \(cut).",
                higher ? ", above the clinical cut-off of \(cut)." : ", below the clinical cut-off of \(cut)."
            )
        }
        if !cutoff.provenance.verified {
            sentence += text(" (grænsen er ikke bekræftet)", " (the cut-off is unverified)")
        }
        return sentence
    }
}
