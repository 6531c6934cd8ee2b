import Foundation
import InstrumentModel
import Storage
import Support

/// Administrations as FHIR R4 QuestionnaireResponses, with their totals as Observations.
package enum ResponseExport {
    /// Returns a `Bundle` of type `collection`: per administration a `QuestionnaireResponse` and,
    /// when it has a total, an `Observation` derived from it.
    ///
    /// Every entry's `fullUrl` is a `urn:uuid:` derived from the record id, so the same store
    /// exports the same bundle. The subject is the pseudonymous case id as an identifier, never a
    /// reference to a Patient: the receiver gets no more about the citizen than Pejling holds.
    package static func bundle(
        _ administrations: [StoredAdministration], catalogue: InstrumentCatalogue, language: Language = .en,
        base: String? = nil
    ) -> JSONValue {
        var entries = Entries(catalogue: catalogue, language: language, base: base)
        return [
            "resourceType": "Bundle", "type": "collection",
            "entry": .array(administrations.flatMap { entries.of($0) }),
        ]
    }

    /// Writes the `Bundle` of the administrations of a store scan to `writer`, followed by a line
    /// break: the bytes of `bundle(…).rendered()` of the same administrations and a line break,
    /// the entries written straight into text (`entriesText`) a chunk at a time on every core.
    package static func writeBundle(
        _ administrations: ScannedAdministrations, catalogue: InstrumentCatalogue,
        language: Language = .en, base: String? = nil, to writer: FileWriter
    ) throws(StreamedExportError) {
        var first = true
        do throws(FileOutputError) {
            try writer.write(
                "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": [")
        } catch {
            throw .output(error)
        }
        let keys = administrations.scannedKeys
        let goalWording = administrations.goalWording
        let chunk = 256
        #if DEBUG
            // Tests write past the room a chunk's text is given, as a chunk of long texts would.
            let room = 4096
        #else
            let room = chunk * 3584
        #endif
        try administrations.writeRows(chunk: chunk) { rows throws(StorageError) in
            try entriesText(
                of: rows, keys: keys, catalogue: catalogue, language: language, base: base,
                goalWording: goalWording, capacity: room)
        } to: { bytes throws(FileOutputError) in
            guard !bytes.isEmpty else { return }
            // The first entry follows the bracket without a comma.
            try writer.write(bytes: first ? Array(bytes.dropFirst()) : bytes)
            first = false
        }
        do throws(FileOutputError) {
            try writer.write(first ? "]\n}\n" : "\n  ]\n}\n")
        } catch {
            throw .output(error)
        }
    }

    /// The bundle entries of administrations, with each instrument looked up once.
    struct Entries {
        let catalogue: InstrumentCatalogue
        let language: Language
        let base: String?
        private var instruments: [String: Instrument?] = [:]

        init(catalogue: InstrumentCatalogue, language: Language, base: String?) {
            self.catalogue = catalogue
            self.language = language
            self.base = base
        }

        /// The entries of one administration: its response and, when it has a total, its
        /// observation.
        mutating func of(_ administration: StoredAdministration) -> [JSONValue] {
            let id = administration.content.instrument
            let instrument: Instrument?
            if let known = instruments[id] {
                instrument = known
            } else {
                instrument = try? catalogue.instrument(id)
                instruments[id] = instrument
            }
            let responseURL = FHIR.uuid(administration.id)
            var entries: [JSONValue] = [
                [
                    "fullUrl": .string(responseURL),
                    "resource": response(
                        administration, instrument: instrument, language: language, base: base),
                ]
            ]
            if let total = administration.content.scores["total"] {
                entries.append(
                    [
                        "fullUrl": .string(FHIR.uuid(administration.id + "/total")),
                        "resource": observation(
                            administration, total: total, instrument: instrument, responseURL: responseURL,
                            language: language),
                    ])
            }
            return entries
        }
    }

    /// Returns one administration as a `QuestionnaireResponse` with status `completed`.
    ///
    /// Items are matched by `linkId`, the item id (DOMAIN §7); skipped items have no answer and are
    /// left out. A goal-based administration has one `goal` group per goal, holding the goal's
    /// words and its rating, with the goal id as the group's element id.
    package static func response(
        _ administration: StoredAdministration, instrument: Instrument?, language: Language = .en,
        base: String? = nil
    ) -> JSONValue {
        let content = administration.content
        var extensions: [JSONValue] = [
            ["url": .string(FHIR.respondentExtension), "valueCode": .string(content.respondent)]
        ]
        if let comment = content.comment {
            extensions.append(["url": .string(FHIR.commentExtension), "valueString": .string(comment)])
        }
        if let age = content.age {
            extensions.append(["url": .string(FHIR.ageExtension), "valueInteger": .number(Double(age))])
        }
        var members: [(key: String, value: JSONValue)] = [
            ("resourceType", "QuestionnaireResponse"), ("id", .string(administration.id)),
            ("meta", ["lastUpdated": .string(FHIR.instant(administration.time))]),
            ("extension", .array(extensions)),
            (
                "questionnaire",
                .string(FHIR.canonical(content.instrument, base: base) + "|" + content.instrumentVersion)
            ),
            ("status", "completed"), ("subject", subject(administration.caseID)),
            ("authored", .string(content.date)),
        ]
        if let worker = content.worker {
            members.append(
                ("author", ["identifier": ["system": .string(FHIR.workerSystem), "value": .string(worker)]]))
        }
        let answered =
            instrument.map {
                Self.items(content, $0, goalTexts: administration.goalTexts, language: language)
            }
            ?? unknownItems(content)
        members.append(("item", .array(answered)))
        return .object(members)
    }

    /// Returns the total of an administration as an `Observation` with status `final`.
    package static func observation(
        _ administration: StoredAdministration, total: Double, instrument: Instrument?, responseURL: String,
        language: Language = .en
    ) -> JSONValue {
        let title = instrument?.title[language] ?? administration.content.instrument.uppercased()
        let whole = (instrument?.scoring.decimals ?? 1) == 0 && total == total.rounded()
        let value: (key: String, value: JSONValue)
        if whole {
            value = ("valueInteger", .number(total))
        } else {
            let quantity: JSONValue = [
                "value": .number(total), "unit": "score", "system": "http://unitsofmeasure.org",
                "code": "{score}",
            ]
            value = ("valueQuantity", quantity)
        }
        let category: JSONValue = [
            [
                "coding": [
                    [
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey", "display": "Survey",
                    ]
                ]
            ]
        ]
        var members: [(key: String, value: JSONValue)] = [
            ("resourceType", "Observation"), ("id", .string(administration.id + "-total")),
            ("status", "final"), ("category", category), ("code", ["text": .string(title + " total")]),
            ("subject", subject(administration.caseID)),
            ("effectiveDateTime", .string(administration.content.date)),
        ]
        members.append(value)
        members.append(("derivedFrom", [["reference": .string(responseURL)]]))
        return .object(members)
    }

    static func subject(_ caseID: String) -> JSONValue {
        ["identifier": ["system": .string(FHIR.caseSystem), "value": .string(caseID)]]
    }

    static func items(
        _ content: AdministrationRecord, _ instrument: Instrument, goalTexts: [String: String],
        language: Language
    ) -> [JSONValue] {
        if let goals = instrument.goals {
            return content.answers.keys.sorted(by: AdministrationTable.naturalOrder).compactMap { goal in
                guard case .number(let rating) = content.answers[goal]! else { return nil }
                return .object([
                    ("id", .string(goal)), ("linkId", "goal"), ("text", .string(goals.goalPrompt[language])),
                    (
                        "item",
                        [
                            [
                                "linkId": "goal-text",
                                "answer": [["valueString": .string(goalTexts[goal] ?? goal)]],
                            ],
                            ["linkId": "goal-rating", "answer": [numberAnswer(rating, integer: true)]],
                        ]
                    ),
                ])
            }
        }
        return instrument.items.compactMap { item in
            guard let answer = content.answers[item.id],
                let value = value(answer, item.kind, language: language)
            else { return nil }
            return [
                "linkId": .string(item.id), "text": .string(item.text[language]), "answer": [value],
            ]
        }
    }

    /// The answer of an instrument this catalogue does not know: numbers as decimals, words as strings.
    static func unknownItems(_ content: AdministrationRecord) -> [JSONValue] {
        content.answers.keys.sorted().compactMap { key in
            switch content.answers[key]! {
            case .number(let value):
                return ["linkId": .string(key), "answer": [["valueDecimal": .number(value)]]]
            case .text(let words):
                return ["linkId": .string(key), "answer": [["valueString": .string(words)]]]
            case .skipped: return nil
            }
        }
    }

    static func value(_ answer: Answer, _ kind: ItemKind, language: Language) -> JSONValue? {
        switch (answer, kind) {
        case (.skipped, _):
            return nil
        case (.text(let words), _):
            return ["valueString": .string(words)]
        case (.number(let value), .choice(let options)):
            guard let option = options.first(where: { $0.value == value }) else {
                return ["valueDecimal": .number(value)]
            }
            return [
                "valueCoding": [
                    "extension": [
                        ["url": .string(FHIR.ordinalValue), "valueDecimal": .number(option.value)]
                    ],
                    "system": .string(option.system ?? FHIR.answerSystem),
                    "code": .string(option.code ?? JSONValue.numberText(option.value)),
                    "display": .string(option.label[language]),
                ]
            ]
        case (.number(let value), .number(let range)):
            return numberAnswer(value, integer: range.integer)
        case (.number(let value), _):
            return ["valueDecimal": .number(value)]
        }
    }

    static func numberAnswer(_ value: Double, integer: Bool) -> JSONValue {
        integer && value == value.rounded()
            ? ["valueInteger": .number(value)] : ["valueDecimal": .number(value)]
    }
}
