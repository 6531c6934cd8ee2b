import Support

/// Writes an instrument in the instrument file format, so that what `InstrumentReader` reads
/// back is the same instrument.
package enum InstrumentWriter {
    /// Returns the instrument as the JSON of an instrument file.
    package static func json(_ instrument: Instrument) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("schemaVersion", .number(Double(Instrument.schemaVersion))), ("id", .string(instrument.id)),
            ("version", .string(instrument.version)), ("abbreviation", .string(instrument.abbreviation)),
            ("title", text(instrument.title)), ("description", text(instrument.description)),
            ("introduction", text(instrument.introduction)),
            ("respondents", .array(instrument.respondents.map { .string($0.rawValue) })),
        ]
        if let ages = instrument.ages { members.append(("ages", ageBand(ages))) }
        members += [
            ("timing", .string(instrument.timing.rawValue)), ("role", .string(instrument.role.rawValue)),
            (
                "source",
                [
                    "citation": .string(instrument.source.citation),
                    "rightsHolder": .string(instrument.source.rightsHolder),
                    "licence": text(instrument.source.licence), "wording": text(instrument.source.wording),
                ]
            ),
        ]
        if let goals = instrument.goals {
            members.append(
                (
                    "goals",
                    [
                        "maxGoals": .number(Double(goals.maxGoals)), "rating": scale(goals.rating),
                        "goalPrompt": text(goals.goalPrompt), "ratingPrompt": text(goals.ratingPrompt),
                    ]
                ))
        } else {
            members.append(("items", .array(instrument.items.map(item))))
        }
        members.append(("scoring", scoring(instrument.scoring)))
        var interpretation: [(key: String, value: JSONValue)] = []
        if !instrument.interpretation.cutoffs.isEmpty {
            interpretation.append(("cutoffs", .array(instrument.interpretation.cutoffs.map(cutoff))))
        }
        if let change = instrument.interpretation.reliableChange {
            var rc: [(key: String, value: JSONValue)]
            switch change.method {
            case .points(let points): rc = [("points", .number(points))]
            case .reliability(let r, let sd): rc = [("reliability", .number(r)), ("sd", .number(sd))]
            case .standardError(let sem): rc = [("sem", .number(sem))]
            }
            interpretation.append(("reliableChange", .object(rc + provenance(change.provenance))))
        }
        members.append(("interpretation", .object(interpretation)))
        members.append(("flags", .array(instrument.flags.map(flag))))
        return .object(members)
    }

    /// Returns a text per language as a JSON object, languages in order.
    package static func text(_ text: LocalizedText) -> JSONValue {
        .object(textMembers(text).map { (key: $0.key, value: .string($0.value)) })
    }

    /// The members of `text(text)`: each language's text by its code, in order of code.
    package static func textMembers(_ text: LocalizedText) -> [(key: String, value: String)] {
        text.values.sorted { $0.key < $1.key }
    }

    static func ageBand(_ band: AgeBand) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let min = band.min { members.append(("min", .number(Double(min)))) }
        if let max = band.max { members.append(("max", .number(Double(max)))) }
        return .object(members)
    }

    static func scale(_ scale: Scale) -> JSONValue {
        [
            "min": .number(scale.min), "max": .number(scale.max), "step": .number(scale.step),
            "anchors": ["low": text(scale.lowAnchor), "high": text(scale.highAnchor)],
        ]
    }

    static func item(_ item: Item) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(item.id)), ("kind", .string(item.kind.name)), ("label", text(item.label)),
            ("text", text(item.text)),
        ]
        if let help = item.help { members.append(("help", text(help))) }
        if item.optional { members.append(("optional", true)) }
        if !item.scored { members.append(("scored", false)) }
        switch item.kind {
        case .scale(let scale):
            if case .object(let scaleMembers) = self.scale(scale) { members += scaleMembers }
        case .choice(let options):
            members.append(
                (
                    "options",
                    .array(
                        options.map { option in
                            var entry: [(key: String, value: JSONValue)] = [("value", .number(option.value))]
                            if let code = option.code { entry.append(("code", .string(code))) }
                            if let system = option.system { entry.append(("system", .string(system))) }
                            entry.append(("label", text(option.label)))
                            return .object(entry)
                        })
                ))
        case .number(let range):
            members += [
                ("min", .number(range.min)), ("max", .number(range.max)), ("integer", .bool(range.integer)),
            ]
        case .text(let maxLength):
            members.append(("maxLength", .number(Double(maxLength))))
        }
        if let safety = item.safety {
            members.append(
                (
                    "safety",
                    [
                        "when": .string(safety.when.rawValue), "value": .number(safety.value),
                        "text": text(safety.text),
                    ]
                ))
        }
        return .object(members)
    }

    static func scoring(_ scoring: Scoring) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("method", .string(scoring.method.rawValue)),
            ("range", ["min": .number(scoring.range.lowerBound), "max": .number(scoring.range.upperBound)]),
        ]
        if scoring.multiplier != 1 { members.append(("multiplier", .number(scoring.multiplier))) }
        if scoring.offset != 0 { members.append(("offset", .number(scoring.offset))) }
        members += [
            ("direction", .string(scoring.directionStated ? scoring.direction.rawValue : "unset")),
            ("decimals", .number(Double(scoring.decimals))),
            ("maxSkipped", .number(Double(scoring.maxSkipped))),
        ]
        if !scoring.statedTotals.isEmpty {
            members.append(("statedTotals", .array(scoring.statedTotals.map(JSONValue.string))))
        }
        if !scoring.subscales.isEmpty {
            members.append(
                (
                    "subscales",
                    .array(
                        scoring.subscales.map { sub in
                            [
                                "id": .string(sub.id), "label": text(sub.label),
                                "items": .array(sub.items.map(JSONValue.string)),
                                "method": .string(sub.method.rawValue), "multiplier": .number(sub.multiplier),
                            ]
                        })
                ))
        }
        return .object(members + provenance(scoring.provenance))
    }

    static func cutoff(_ cutoff: Cutoff) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let ages = cutoff.ages { members.append(("ages", ageBand(ages))) }
        switch cutoff.rule {
        case .fixed(let value): members.append(("value", .number(value)))
        case .norms(let norms):
            var entry: [(key: String, value: JSONValue)] = [
                ("clinical", ["mean": .number(norms.clinical.mean), "sd": .number(norms.clinical.sd)])
            ]
            if let functional = norms.functional {
                entry.append(
                    ("functional", ["mean": .number(functional.mean), "sd": .number(functional.sd)]))
            }
            entry.append(("type", .string(norms.type.rawValue)))
            members.append(("norms", .object(entry)))
        }
        return .object(members + provenance(cutoff.provenance))
    }

    /// Returns a flag rule as an instrument file writes it.
    /// The text that identifies a flag rule: the rule as instrument files wrote it before notes had
    /// a text per language, its note in English. Every flag id is derived from it, so it must stay
    /// the same from version to version, or the decisions already recorded would stop matching
    /// their flags.
    package static func flagSignature(_ rule: FlagRule) -> String {
        guard case .object(var members) = flag(rule) else { preconditionFailure("a flag is an object") }
        if let index = members.firstIndex(where: { $0.key == "note" }), let note = rule.provenance.note {
            members[index].value = .string(note[.en])
        }
        return JSONValue.object(members).rendered(pretty: false)
    }

    package static func flag(_ rule: FlagRule) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("rule", .string(rule.name))]
        switch rule.kind {
        case .notOnTrack(let sessions): members.append(("sessions", .number(Double(sessions))))
        case .reliableDeterioration(let from): members.append(("from", .string(from.rawValue)))
        case .worseThan(let value), .goalReached(let value): members.append(("value", .number(value)))
        case .drop(let from, let points):
            members += [("from", .string(from.rawValue)), ("points", .number(points))]
        case .goalStalled(let ratings): members.append(("ratings", .number(Double(ratings))))
        case .overdue(let days): members.append(("days", .number(Double(days))))
        case .companionMissing(let instrument): members.append(("instrument", .string(instrument)))
        }
        return .object(members + provenance(rule.provenance))
    }

    static func provenance(_ provenance: Provenance) -> [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = []
        if !provenance.verified { members.append(("verified", false)) }
        if let note = provenance.note { members.append(("note", text(note))) }
        return members
    }
}
