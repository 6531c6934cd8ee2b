import Foundation
import InstrumentModel
import Storage
import Support

/// Turns FHIR R4 QuestionnaireResponses (one, or a Bundle of them) back into administrations.
package enum ResponseImport {
    /// Returns the administrations of `resource`, a `QuestionnaireResponse` or a `Bundle` holding
    /// them (with, optionally, the Observations of their totals).
    ///
    /// The instrument is the last part of each response's `questionnaire` canonical; answers are
    /// read by `linkId`; scores are recomputed with `Scorer`. A total Observation that disagrees
    /// with the recomputed total is reported as a warning and the recomputed score imported.
    /// A response's `id` becomes the record id, so importing the same file twice adds nothing new.
    /// - Throws: every problem found, by resource; nothing is returned while there are any.
    package static func records(from resource: JSONValue, setting: RecordImport.Setting)
        throws(RecordImportError)
        -> RecordImport
    {
        let language = setting.language
        func t(_ da: String, _ en: String) -> String { language == .da ? da : en }
        var responses: [(fullUrl: String?, resource: JSONValue)] = []
        var totals: [String: (value: Double, location: String)] = [:]
        var problems: [ImportProblem] = []
        switch string(resource["resourceType"]) {
        case "QuestionnaireResponse":
            responses.append((nil, resource))
        case "Bundle":
            guard case .array(let entries)? = resource["entry"] else {
                throw RecordImportError(problems: [
                    ImportProblem(
                        location: "Bundle", message: t("det har ingen entries", "it has no entries"))
                ])
            }
            for (index, entry) in entries.enumerated() {
                let location = t("Bundle, entry \(index + 1)", "Bundle entry \(index + 1)")
                guard let inner = entry["resource"] else {
                    problems.append(
                        ImportProblem(
                            location: location, message: t("den har ingen resource", "it has no resource")))
                    continue
                }
                switch string(inner["resourceType"]) {
                case "QuestionnaireResponse":
                    responses.append((string(entry["fullUrl"]), inner))
                case "Observation":
                    guard case .array(let sources)? = inner["derivedFrom"],
                        let reference = sources.compactMap({ string($0["reference"]) }).first,
                        let value = observedValue(inner)
                    else { continue }
                    totals[reference] = (
                        value, "Observation \(string(inner["id"]) ?? "in entry \(index + 1)")"
                    )
                default:
                    problems.append(
                        ImportProblem(
                            location: location,
                            message: t(
                                "\(string(inner["resourceType"]) ?? "en resource uden resourceType") kan ikke importeres som en besvarelse; det kan kun QuestionnaireResponse og dens total-Observation",
                                "a \(string(inner["resourceType"]) ?? "resource without resourceType") cannot be imported as an administration; only QuestionnaireResponse and its total Observation can"
                            )
                        ))
                }
            }
        default:
            throw RecordImportError(problems: [
                ImportProblem(
                    location: "resourceType",
                    message: t(
                        "\(QuestionnaireImport.describe(resource["resourceType"])) er hverken et Questionnaire, et QuestionnaireResponse eller et Bundle",
                        "\(QuestionnaireImport.describe(resource["resourceType"])) is not a Questionnaire, QuestionnaireResponse or Bundle"
                    )
                )
            ])
        }

        var records: [Record] = []
        var warnings: [String] = []
        var heldGoals = setting.heldGoals
        var seenIDs = Set<String>()
        for (fullUrl, response) in responses {
            let id = string(response["id"]) ?? setting.makeID()
            let location = "QuestionnaireResponse \(string(response["id"]) ?? t("uden id", "without id"))"
            var found: [ImportProblem] = []
            func problem(_ message: String) {
                found.append(ImportProblem(location: location, message: message))
            }
            if !RecordImport.isValidID(id) {
                problem(
                    t(
                        "id'et '\(TerminalText.excerpt(id))' er ikke et FHIR-id (1–64 bogstaver, tal, '-', '.')",
                        "the id '\(TerminalText.excerpt(id))' is not a FHIR id (1–64 letters, digits, '-', '.')"
                    ))
            }
            if !seenIDs.insert(id).inserted {
                problem(
                    t(
                        "id'et \(id) bruges af et andet svar i filen",
                        "the id \(id) is used by another response in the file"))
            }
            let status = string(response["status"]) ?? t("mangler", "missing")
            if !["completed", "amended"].contains(status) {
                problem(
                    t(
                        "status er \(status); kun udfyldte svar (completed) er besvarelser",
                        "the status is \(status); only completed responses are administrations"))
            }
            var caseID = ""
            switch subjectCase(response["subject"], setting: setting) {
            case .success(let found):
                do {
                    caseID = try CaseID.validate(found.id)
                } catch {
                    problem("\(found.from): " + error.message(danish: language == .da))
                }
            case .failure(let message):
                problem(message[language])
            }
            // The date column holds the day as written; a full dateTime keeps its time as the
            // record's time when the response carries no lastUpdated.
            let authored = string(response["authored"]) ?? ""
            let date = String(authored.prefix(10))
            if Day(iso: authored) == nil {
                problem(
                    t(
                        "authored '\(TerminalText.excerpt(authored))' er ikke en dato",
                        "authored '\(TerminalText.excerpt(authored))' is not a date"))
            }
            let time =
                string(response["meta"]?["lastUpdated"]).flatMap(FHIR.parseInstant)
                ?? FHIR.parseInstant(authored) ?? setting.now
            guard let canonical = string(response["questionnaire"]) else {
                problem(
                    t(
                        "det har intet questionnaire, så instrumentet er ukendt",
                        "it has no questionnaire, so the instrument is unknown"))
                problems += found
                continue
            }
            let named = FHIR.instrument(ofCanonical: canonical)
            guard
                let instrument = (try? setting.catalogue.instrument(named.id))
                    ?? (try? setting.catalogue.instrument(QuestionnaireImport.identifier(named.id)))
            else {
                problem(
                    t(
                        "questionnaire \(canonical) nævner intet kendt instrument ('\(TerminalText.excerpt(named.id))'); importér dets Questionnaire først, eller giv --instruments MAPPE",
                        "the questionnaire \(canonical) names no known instrument ('\(TerminalText.excerpt(named.id))'); import its Questionnaire first, or give --instruments DIR"
                    )
                )
                problems += found
                continue
            }
            let extensions = extensionValues(response)
            let respondent = string(extensions[FHIR.respondentExtension]) ?? "citizen"
            if Respondent(rawValue: respondent) == nil {
                problem(
                    t(
                        "respondenten '\(TerminalText.excerpt(respondent))' er hverken citizen, worker eller relative",
                        "the respondent '\(TerminalText.excerpt(respondent))' is not citizen, worker or relative"
                    ))
            }
            var age: Int?
            // As a CSV's age column: a whole number of years up to 120, else none (1e300 must not trap).
            if case .number(let value)? = extensions[FHIR.ageExtension], value == value.rounded(),
                (0...120).contains(value)
            {
                age = Int(value)
            }

            var answers: [String: ItemAnswer] = [:]
            var stated: [(linkId: String, value: Double)] = []
            var goalTexts: [(id: String, text: String)] = []
            let items: [JSONValue]
            if case .array(let list)? = response["item"] { items = list } else { items = [] }
            if let goals = instrument.goals {
                for (index, group) in items.enumerated() where string(group["linkId"]) == "goal" {
                    let goal = string(group["id"]) ?? "g\(index + 1)"
                    let children: [JSONValue]
                    if case .array(let list)? = group["item"] { children = list } else { children = [] }
                    let text = children.first { string($0["linkId"]) == "goal-text" }.flatMap {
                        firstAnswer($0).flatMap { string($0["valueString"]) }
                    }
                    let rating = children.first { string($0["linkId"]) == "goal-rating" }.flatMap {
                        firstAnswer($0).flatMap(number)
                    }
                    guard let rating, rating >= goals.rating.min, rating <= goals.rating.max else {
                        problem(
                            t(
                                "målet \(goal) har ingen vurdering fra \(JSONValue.numberText(goals.rating.min)) til \(JSONValue.numberText(goals.rating.max))",
                                "goal \(goal) has no rating from \(JSONValue.numberText(goals.rating.min)) to \(JSONValue.numberText(goals.rating.max))"
                            )
                        )
                        continue
                    }
                    answers[goal] = .number(rating)
                    if let text { goalTexts.append((goal, text)) }
                }
            } else {
                var flat: [JSONValue] = []
                flatten(items, into: &flat)
                for element in flat {
                    let linkId = string(element["linkId"]) ?? "(no linkId)"
                    if instrument.scoring.statedTotals.contains(linkId) {
                        // A calculated item: compared with the recomputed total, never trusted.
                        if let value = firstAnswer(element).flatMap(number) { stated.append((linkId, value)) }
                        continue
                    }
                    // An item without an answer (display text, one left empty) has nothing to import.
                    guard let value = firstAnswer(element) else { continue }
                    guard
                        let item = instrument.item(linkId)
                            ?? instrument.item(QuestionnaireImport.identifier(linkId))
                    else {
                        problem(
                            t(
                                "\(instrument.abbreviation) har intet spørgsmål med linkId '\(TerminalText.excerpt(linkId))'",
                                "\(instrument.abbreviation) has no item with linkId '\(TerminalText.excerpt(linkId))'"
                            ))
                        continue
                    }
                    switch answer(value, item.kind, language: setting.language) {
                    case .success(let answer): answers[item.id] = answer
                    case .failure(let message):
                        problem(t("spørgsmål \(linkId): ", "item \(linkId): ") + message[language])
                    }
                }
                for item in instrument.items where answers[item.id] == nil && item.optional {
                    answers[item.id] = .skipped
                }
            }
            var scores: [String: Double] = [:]
            if found.isEmpty {
                do {
                    scores = try RecordImport.scores(instrument, answers)
                } catch {
                    problem(error.message(setting.language))
                }
            }
            guard found.isEmpty else {
                problems += found
                continue
            }
            if let fullUrl, let observed = totals[fullUrl], let total = scores["total"],
                abs(observed.value - total) > 1e-6
            {
                warnings.append(
                    t(
                        "\(location): \(observed.location) giver totalen \(JSONValue.numberText(observed.value)), men svarene giver \(JSONValue.numberText(total)); den genberegnede total importeres",
                        "\(location): \(observed.location) gives the total \(JSONValue.numberText(observed.value)), but the answers give \(JSONValue.numberText(total)); the recomputed total is imported"
                    )
                )
            }
            for (linkId, value) in stated where scores["total"].map({ abs($0 - value) > 1e-6 }) ?? true {
                let given = scores["total"].map { JSONValue.numberText($0) } ?? t("ingen total", "no total")
                warnings.append(
                    t(
                        "\(location): spørgsmål \(linkId) angiver totalen \(JSONValue.numberText(value)), men svarene giver \(given); den genberegnede score importeres",
                        "\(location): item \(linkId) states the total \(JSONValue.numberText(value)), but the answers give \(given); the recomputed score is imported"
                    ))
            }
            for goal in goalTexts where heldGoals.insert("\(caseID)/\(instrument.id)/\(goal.id)").inserted {
                // The goal's words travel with the rating; the store learns them once.
                records.append(
                    Record(
                        id: "\(id)-\(goal.id)", writer: setting.writer, time: time, caseID: caseID,
                        body: .goal(
                            GoalRecord(
                                instrument: instrument.id, goal: goal.id, action: .set, text: goal.text))))
            }
            let content = AdministrationRecord(
                instrument: instrument.id, instrumentVersion: named.version ?? instrument.version,
                worker: string(response["author"]?["identifier"]?["value"]), respondent: respondent,
                date: date,
                answers: answers.mapValues(RecordImport.stored), scores: scores,
                comment: string(extensions[FHIR.commentExtension]), age: age)
            records.append(
                Record(
                    id: id, writer: setting.writer, time: time, caseID: caseID, body: .administration(content)
                ))
        }
        guard problems.isEmpty else { throw RecordImportError(problems: problems) }
        if records.isEmpty {
            throw RecordImportError(problems: [
                ImportProblem(
                    location: "Bundle",
                    message: t("det rummer intet QuestionnaireResponse", "it holds no QuestionnaireResponse"))
            ])
        }
        return RecordImport(records: records, warnings: warnings)
    }

    /// Groups other than goals only arrange the questions: their items are read as if at the top.
    static func flatten(_ items: [JSONValue], into flat: inout [JSONValue]) {
        for item in items {
            if firstAnswer(item) == nil, case .array(let children)? = item["item"] {
                flatten(children, into: &flat)
            } else {
                flat.append(item)
            }
        }
    }

    static func firstAnswer(_ item: JSONValue) -> JSONValue? {
        guard case .array(let answers)? = item["answer"] else { return nil }
        return answers.first
    }

    static func answer(_ value: JSONValue, _ kind: ItemKind, language: Language) -> Result<
        ItemAnswer, Failure
    > {
        if let coding = value["valueCoding"] {
            guard case .choice(let options) = kind else {
                return .failure(
                    Failure(da: "en coding kan kun besvare et valg", en: "a coding answers only a choice"))
            }
            let code = string(coding["code"])
            let system = string(coding["system"])
            if let option = options.first(where: {
                $0.code != nil && $0.code == code
                    && (system == nil || ($0.system ?? FHIR.answerSystem) == system)
            }) {
                return .success(.number(option.value))
            }
            if let ordinal = QuestionnaireImport.ordinalValue(coding),
                let option = options.first(where: { $0.value == ordinal })
            {
                return .success(.number(option.value))
            }
            // Pejling's own codes are the option's value.
            if system == FHIR.answerSystem, let code, let value = Double(code),
                let option = options.first(where: { $0.value == value })
            {
                return .success(.number(option.value))
            }
            if code == nil, let display = string(coding["display"]),
                let option = options.first(where: { $0.label.values.values.contains(display) })
            {
                return .success(.number(option.value))
            }
            return .failure(
                Failure(
                    da: "coding \(system ?? "")|\(code ?? "") er ingen af spørgsmålets muligheder",
                    en: "the coding \(system ?? "")|\(code ?? "") is none of the item's options"))
        }
        if case .bool(let flag)? = value["valueBoolean"] {
            guard case .choice(let options) = kind,
                let option = options.first(where: { $0.code == (flag ? "true" : "false") })
            else {
                return .failure(
                    Failure(
                        da: "et ja eller nej besvarer kun et ja/nej-spørgsmål",
                        en: "a yes or no answers only a yes/no item"))
            }
            return .success(.number(option.value))
        }
        for key in ["valueString", "valueDate", "valueTime"] {
            guard let words = string(value[key]) else { continue }
            if case .choice(let options) = kind {
                // An option given as a string, date or time is matched on its own words.
                guard
                    let option = options.first(where: {
                        $0.code == words || $0.label.values.values.contains(words)
                    })
                else {
                    return .failure(
                        Failure(
                            da: "'\(TerminalText.excerpt(words))' er ingen af spørgsmålets muligheder",
                            en: "'\(TerminalText.excerpt(words))' is none of the item's options"))
                }
                return .success(.number(option.value))
            }
            guard case .text = kind, key == "valueString" else {
                let type = key.dropFirst(5).lowercased()
                return .failure(
                    Failure(
                        da: "en \(type) besvarer ikke et \(kind.name)-spørgsmål",
                        en: "a \(type) does not answer a \(kind.name) item"))
            }
            return check(words, kind, language: language)
        }
        if let number = number(value) {
            if case .choice(let options) = kind {
                return options.contains { $0.value == number }
                    ? .success(.number(number))
                    : .failure(
                        Failure(
                            da: "\(JSONValue.numberText(number)) er ingen af mulighederne",
                            en: "\(JSONValue.numberText(number)) is none of the options"))
            }
            if case .text = kind {
                return .failure(
                    Failure(
                        da: "et tal besvarer ikke et tekstspørgsmål",
                        en: "a number does not answer a text item"))
            }
            return check(JSONValue.numberText(number), kind, language: .en)
        }
        let shown = value.rendered(pretty: false)
        return .failure(
            Failure(
                da: "svaret er af en type, Pejling ikke kan læse (\(shown))",
                en: "the answer is of a type Pejling cannot read (\(shown))"))
    }

    private static func check(_ text: String, _ kind: ItemKind, language: Language) -> Result<
        ItemAnswer, Failure
    > {
        kind.parse(text, language: language).mapError { rejection in
            Failure(
                da:
                    "'\(TerminalText.excerpt(text))' er ikke gyldigt: \(AdministrationTable.describe(rejection, kind, danish: true))",
                en:
                    "'\(TerminalText.excerpt(text))' is not valid: \(AdministrationTable.describe(rejection, kind))"
            )
        }
    }

    /// A reason an answer or a subject is not accepted, in Danish and English.
    struct Failure: Error, CustomStringConvertible {
        var text: LocalizedText
        init(da: String, en: String) { text = LocalizedText(da: da, en: en) }
        subscript(language: Language) -> String { text[language] }
        var description: String { text[.en] }
    }

    static func number(_ value: JSONValue) -> Double? {
        if case .number(let number)? = value["valueDecimal"] ?? value["valueInteger"]
            ?? value["valueQuantity"]?["value"]
        {
            return number
        }
        return nil
    }

    /// Returns the case id of a response's `subject` and where it came from: `--case`, then the
    /// case map (by reference, identifier value, or `system|value`), then the identifier's value.
    static func subjectCase(_ subject: JSONValue?, setting: RecordImport.Setting) -> Result<
        (id: String, from: String), Failure
    > {
        if let forced = setting.caseID { return .success((forced, "--case")) }
        let reference = string(subject?["reference"])
        let value = string(subject?["identifier"]?["value"])
        let system = string(subject?["identifier"]?["system"])
        let keys = [reference, value, system.flatMap { system in value.map { "\(system)|\($0)" } }].compactMap
        {
            $0
        }
        for key in keys {
            if let mapped = setting.caseMap[key] {
                return .success((mapped, "--case-map for '\(TerminalText.excerpt(key))'"))
            }
        }
        if let value { return .success((value, "subject.identifier.value")) }
        if let reference {
            return .failure(
                Failure(
                    da:
                        "subject er \(reference), ikke et sags-id: giv --case ID, eller --case-map FIL med en linje '\(reference),SAGS-ID'",
                    en:
                        "the subject is \(reference), not a case id: give --case ID, or --case-map FILE with a line '\(reference),CASE-ID'"
                ))
        }
        return .failure(
            Failure(
                da: "det har intet subject: giv sagen med --case ID",
                en: "it has no subject: give the case with --case ID"))
    }

    static func observedValue(_ observation: JSONValue) -> Double? {
        if case .number(let value)? = observation["valueInteger"] ?? observation["valueQuantity"]?["value"] {
            return value
        }
        return nil
    }

    static func extensionValues(_ resource: JSONValue) -> [String: JSONValue] {
        guard case .array(let extensions)? = resource["extension"] else { return [:] }
        var values: [String: JSONValue] = [:]
        for element in extensions {
            guard let url = string(element["url"]), case .object(let members) = element else { continue }
            values[url] = members.first { $0.key.hasPrefix("value") }?.value
        }
        return values
    }

    static func string(_ value: JSONValue?) -> String? { QuestionnaireImport.string(value) }
}
