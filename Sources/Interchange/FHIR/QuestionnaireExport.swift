import InstrumentModel
import Support

/// An instrument as a FHIR R4 Questionnaire resource.
package enum QuestionnaireExport {
    /// Returns the Questionnaire for `instrument`, texts in `language` with the other languages as
    /// translation extensions; items carry their ids as `linkId`.
    package static func questionnaire(_ instrument: Instrument, language: Language = .da, base: String? = nil)
        -> JSONValue
    {
        var members: [(key: String, value: JSONValue)] = [
            ("resourceType", "Questionnaire"), ("id", .string(instrument.id)),
            ("url", .string(FHIR.canonical(instrument.id, base: base))),
            ("version", .string(instrument.version)),
            ("name", .string(name(instrument.abbreviation))), ("title", .string(instrument.title[language])),
            ("_title", FHIR.translations(instrument.title, primary: language)), ("status", "active"),
            ("language", .string(language.rawValue)),
            ("subjectType", ["Patient"]),
            ("publisher", .string(instrument.source.rightsHolder)),
            ("description", .string(instrument.description[language])),
            ("_description", FHIR.translations(instrument.description, primary: language)),
            ("copyright", .string(instrument.source.licence[language])),
            ("_copyright", FHIR.translations(instrument.source.licence, primary: language)),
        ]
        if let goals = instrument.goals {
            // The goals are the citizen's own: one repeating group of goal text and rating.
            members.append(
                (
                    "item",
                    [
                        [
                            "linkId": "goal", "type": "group", "repeats": true,
                            "text": .string(goals.goalPrompt[language]),
                            "item": [
                                [
                                    "linkId": "goal-text", "type": "string", "required": true,
                                    "text": .string(goals.goalPrompt[language]),
                                ],
                                .object(
                                    [
                                        ("linkId", "goal-rating"), ("type", "integer"), ("required", true),
                                        ("text", .string(goals.ratingPrompt[language])),
                                    ] + rangeExtensions(goals.rating.min, goals.rating.max, integer: true)),
                            ],
                        ]
                    ]
                ))
        } else {
            members.append(("item", .array(instrument.items.map { item($0, language: language) })))
        }
        return .object(members)
    }

    static func name(_ abbreviation: String) -> String {
        // FHIR's name is machine-friendly: letters, digits and underscores, starting with a capital.
        let cleaned = abbreviation.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return String(cleaned).prefix(1).uppercased() + String(cleaned).dropFirst()
    }

    static func item(_ item: Item, language: Language) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("linkId", .string(item.id)), ("prefix", .string(item.label[language])),
            ("text", .string(item.text[language])),
            ("_text", FHIR.translations(item.text, primary: language)),
        ]
        switch item.kind {
        case .scale(let scale):
            members.append(("type", "decimal"))
            members += [("required", .bool(!item.optional))]
            var extensions = rangeArray(scale.min, scale.max, integer: false)
            extensions.append([
                "url": .string(FHIR.maxDecimalPlaces), "valueInteger": .number(Double(decimals(scale.step))),
            ])
            extensions.append(
                [
                    "url": .string(FHIR.entryFormat),
                    "valueString": .string(
                        "\(JSONValue.numberText(scale.min)) = \(scale.lowAnchor[language]), \(JSONValue.numberText(scale.max)) = \(scale.highAnchor[language])"
                    ),
                ])
            members.append(("extension", .array(extensions)))
        case .choice(let options):
            members += [("type", "choice"), ("required", .bool(!item.optional))]
            members.append(
                (
                    "answerOption",
                    .array(
                        options.map { option in
                            var coding: [(key: String, value: JSONValue)] = [
                                ("system", .string(option.system ?? FHIR.answerSystem)),
                                ("code", .string(option.code ?? JSONValue.numberText(option.value))),
                                ("display", .string(option.label[language])),
                                ("_display", FHIR.translations(option.label, primary: language)),
                            ]
                            // An item asked but not scored has no ordinal values, so it imports unscored.
                            if item.scored {
                                coding.append(
                                    (
                                        "extension",
                                        [
                                            [
                                                "url": .string(FHIR.ordinalValue),
                                                "valueDecimal": .number(option.value),
                                            ]
                                        ]
                                    ))
                            }
                            return ["valueCoding": .object(coding)]
                        })
                ))
        case .number(let range):
            members += [("type", range.integer ? "integer" : "decimal"), ("required", .bool(!item.optional))]
            members.append(("extension", .array(rangeArray(range.min, range.max, integer: range.integer))))
        case .text(let maxLength):
            members += [
                ("type", maxLength <= 255 ? "string" : "text"), ("required", .bool(!item.optional)),
                ("maxLength", .number(Double(maxLength))),
            ]
        }
        return .object(members)
    }

    static func rangeArray(_ low: Double, _ high: Double, integer: Bool) -> [JSONValue] {
        let key = integer ? "valueInteger" : "valueDecimal"
        return [
            .object([("url", .string(FHIR.minValue)), (key, .number(low))]),
            .object([("url", .string(FHIR.maxValue)), (key, .number(high))]),
        ]
    }

    static func rangeExtensions(_ low: Double, _ high: Double, integer: Bool) -> [(
        key: String, value: JSONValue
    )] {
        [("extension", .array(rangeArray(low, high, integer: integer)))]
    }

    static func decimals(_ step: Double) -> Int {
        var places = 0
        var value = step
        while value != value.rounded() && places < 6 {
            value *= 10
            places += 1
        }
        return places
    }
}
