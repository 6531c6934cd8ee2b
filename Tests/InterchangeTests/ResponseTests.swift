import Foundation
import InstrumentModel
import Storage
import Support
import Testing

@testable import Interchange

/// An organisation's instrument with every kind of item: a scale, a choice with LOINC codes, a
/// whole number and free text.
let mixed = Instrument(
    id: "mixed", version: "2", abbreviation: "MIX", title: LocalizedText(da: "Blandet", en: "Mixed"),
    description: LocalizedText(verbatim: "Test"), introduction: LocalizedText(verbatim: "Test"),
    respondents: Respondent.allCases, ages: nil, timing: .any, role: .other,
    source: Source(
        citation: "test", rightsHolder: "test", licence: LocalizedText(verbatim: "free"),
        wording: LocalizedText(verbatim: "own")),
    items: [
        Item(
            id: "mood", label: LocalizedText(verbatim: "Mood"), text: LocalizedText(verbatim: "Mood?"),
            kind: .scale(
                Scale(
                    min: 0, max: 10, step: 0.1, lowAnchor: LocalizedText(verbatim: "low"),
                    highAnchor: LocalizedText(verbatim: "high")))),
        Item(
            id: "sleep", label: LocalizedText(verbatim: "Sleep"), text: LocalizedText(verbatim: "Sleep?"),
            kind: .choice([
                ChoiceOption(
                    value: 0, code: "LA6568-5", system: "http://loinc.org",
                    label: LocalizedText(da: "Slet ikke", en: "Not at all")),
                ChoiceOption(
                    value: 1, code: "LA6569-3", system: "http://loinc.org",
                    label: LocalizedText(da: "Flere dage", en: "Several days")),
            ])),
        Item(
            id: "visits", label: LocalizedText(verbatim: "Visits"), text: LocalizedText(verbatim: "Visits?"),
            kind: .number(NumberRange(min: 0, max: 30, integer: true))),
        Item(
            id: "words", label: LocalizedText(verbatim: "Words"), text: LocalizedText(verbatim: "Words?"),
            kind: .text(maxLength: 200), optional: true),
    ], goals: nil,
    scoring: Scoring(method: .sum, range: 0...41, decimals: 1), interpretation: Interpretation(), flags: [])

let testCatalogue: InstrumentCatalogue = {
    var catalogue = catalogue
    catalogue = InstrumentCatalogue(
        instruments: catalogue.instruments + [mixed],
        origins: catalogue.origins.merging(["mixed": .shipped]) { $1 })
    return catalogue
}()

let recordID = "0123456789abcdef0123456789abcdef"
let written = Date(timeIntervalSince1970: 1_773_482_400)

func mixedAdministration(total: Double = 8.5) -> StoredAdministration {
    StoredAdministration(
        id: recordID, caseID: "K-7", time: written,
        content: AdministrationRecord(
            instrument: "mixed", instrumentVersion: "2", worker: "anna", respondent: "relative",
            date: "2026-03-02",
            answers: [
                "mood": .number(6.5), "sleep": .number(1), "visits": .number(1),
                "words": .text("Godt, \"tak\""),
            ],
            scores: ["total": total], comment: "Kort møde", age: 41))
}

func members(_ value: JSONValue?) -> [String] {
    guard case .object(let members)? = value else { return [] }
    return members.map(\.key)
}

func array(_ value: JSONValue?) -> [JSONValue] {
    guard case .array(let elements)? = value else { return [] }
    return elements
}

func setting(_ now: Date = written.addingTimeInterval(86_400 * 30)) -> RecordImport.Setting {
    RecordImport.Setting(catalogue: testCatalogue, writer: "importer@test", now: now, makeID: { "fresh-id" })
}

@Test func aBundleHoldsAResponseAndATotalObservationPerAdministration() throws {
    let bundle = ResponseExport.bundle([mixedAdministration()], catalogue: testCatalogue)
    #expect(bundle["resourceType"] == "Bundle")
    #expect(bundle["type"] == "collection")
    let entries = array(bundle["entry"])
    #expect(entries.count == 2)
    for entry in entries {
        #expect(members(entry) == ["fullUrl", "resource"])
        let url = QuestionnaireImport.string(entry["fullUrl"]) ?? ""
        #expect(
            url.range(
                of: #"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#,
                options: .regularExpression) != nil, "\(url)")
    }
    #expect(entries[0]["fullUrl"] != entries[1]["fullUrl"])
    let response = try #require(entries[0]["resource"])
    #expect(response["resourceType"] == "QuestionnaireResponse")
    #expect(response["id"] == .string(recordID))
    #expect(response["status"] == "completed")
    #expect(response["questionnaire"] == "urn:pejling:questionnaire:mixed|2")
    #expect(response["authored"] == "2026-03-02")
    #expect(response["meta"]?["lastUpdated"] == "2026-03-14T10:00:00.000Z")
    #expect(response["subject"] == ["identifier": ["system": "urn:pejling:case", "value": "K-7"]])
    #expect(response["subject"]?["reference"] == nil)
    #expect(response["author"] == ["identifier": ["system": "urn:pejling:worker", "value": "anna"]])
    let items = array(response["item"])
    #expect(items.map { $0["linkId"] } == ["mood", "sleep", "visits", "words"])
    #expect(array(items[0]["answer"]) == [["valueDecimal": 6.5]])
    let coding = array(items[1]["answer"]).first?["valueCoding"]
    #expect(coding?["system"] == "http://loinc.org")
    #expect(coding?["code"] == "LA6569-3")
    #expect(coding?["display"] == "Several days")
    #expect(array(coding?["extension"]) == [["url": .string(FHIR.ordinalValue), "valueDecimal": 1]])
    #expect(array(items[2]["answer"]) == [["valueInteger": 1]])
    #expect(array(items[3]["answer"]) == [["valueString": "Godt, \"tak\""]])

    let observation = try #require(entries[1]["resource"])
    #expect(observation["resourceType"] == "Observation")
    #expect(observation["status"] == "final")
    #expect(observation["code"] == ["text": "Mixed total"])
    #expect(observation["subject"] == response["subject"])
    #expect(observation["effectiveDateTime"] == "2026-03-02")
    #expect(
        observation["valueQuantity"]
            == ["value": 8.5, "unit": "score", "system": "http://unitsofmeasure.org", "code": "{score}"])
    #expect(array(observation["derivedFrom"]) == [["reference": entries[0]["fullUrl"]!]])
}

@Test func aWholeNumberTotalOfAnInstrumentWithoutDecimalsIsAnInteger() throws {
    let inspire = try testCatalogue.instrument("brief-inspire-o")
    #expect(inspire.scoring.decimals == 0)
    let administration = StoredAdministration(
        id: recordID, caseID: "K-1", time: written,
        content: AdministrationRecord(
            instrument: "brief-inspire-o", instrumentVersion: inspire.version, worker: nil,
            respondent: "citizen",
            date: "2026-03-01",
            answers: Dictionary(uniqueKeysWithValues: inspire.items.map { ($0.id, .number(2)) }),
            scores: ["total": 50]))
    let entries = array(ResponseExport.bundle([administration], catalogue: testCatalogue)["entry"])
    #expect(entries[1]["resource"]?["valueInteger"] == 50)
    #expect(entries[1]["resource"]?["valueQuantity"] == nil)
    #expect(entries[0]["resource"]?["author"] == nil)
    let first = array(entries[0]["resource"]?["item"]).first
    #expect(array(first?["answer"]).first?["valueCoding"]?["code"] == "2")
    #expect(array(first?["answer"]).first?["valueCoding"]?["system"] == .string(FHIR.answerSystem))
}

@Test func aGoalBasedResponseHasARepeatingGroupPerGoal() throws {
    var administration = StoredAdministration(
        id: recordID, caseID: "K-1", time: written,
        content: AdministrationRecord(
            instrument: "gbo", instrumentVersion: "1.0.0", worker: nil, respondent: "citizen",
            date: "2026-03-01",
            answers: ["g1": .number(3), "g2": .number(7)], scores: ["g1": 3, "g2": 7, "total": 5]))
    administration.goalTexts = ["g1": "Sove hele natten", "g2": "Se min bror"]
    let response = ResponseExport.response(administration, instrument: try testCatalogue.instrument("gbo"))
    let groups = array(response["item"])
    #expect(groups.map { $0["linkId"] } == ["goal", "goal"])
    #expect(groups.map { $0["id"] } == ["g1", "g2"])
    let parts = array(groups[1]["item"])
    #expect(parts.map { $0["linkId"] } == ["goal-text", "goal-rating"])
    #expect(array(parts[0]["answer"]) == [["valueString": "Se min bror"]])
    #expect(array(parts[1]["answer"]) == [["valueInteger": 7]])
}

@Test func exportedResponsesImportBackAsTheSameAdministrations() throws {
    let bundle = ResponseExport.bundle([mixedAdministration()], catalogue: testCatalogue)
    let text = bundle.rendered()
    let imported = try ResponseImport.records(from: try JSONParser.parse(text).root, setting: setting())
    #expect(imported.warnings.isEmpty)
    #expect(imported.records.count == 1)
    let record = try #require(imported.records.first)
    #expect(record.id == recordID)
    #expect(record.time == written)
    #expect(record.caseID == "K-7")
    #expect(record.body == .administration(mixedAdministration().content))
}

@Test func aTotalObservationThatDisagreesIsReportedAndTheRecomputedTotalImported() throws {
    let bundle = ResponseExport.bundle([mixedAdministration(total: 12)], catalogue: testCatalogue)
    let imported = try ResponseImport.records(from: bundle, setting: setting())
    #expect(imported.warnings.count == 1)
    #expect(imported.warnings.first?.contains("QuestionnaireResponse \(recordID)") == true)
    #expect(imported.warnings.first?.contains("12") == true)
    guard case .administration(let content) = imported.records.first?.body else {
        Issue.record("no administration")
        return
    }
    #expect(content.scores["total"] == 8.5)
}

@Test func aGoalBasedResponseBringsItsGoalsWordsOnceOnly() throws {
    var administration = StoredAdministration(
        id: recordID, caseID: "K-1", time: written,
        content: AdministrationRecord(
            instrument: "gbo", instrumentVersion: "1.0.0", worker: nil, respondent: "citizen",
            date: "2026-03-01",
            answers: ["g1": .number(3)], scores: ["g1": 3, "total": 3]))
    administration.goalTexts = ["g1": "Sove hele natten"]
    let bundle = ResponseExport.bundle([administration], catalogue: testCatalogue)
    let fresh = try ResponseImport.records(from: bundle, setting: setting())
    #expect(fresh.records.count == 2)
    #expect(
        fresh.records.first?.body
            == .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Sove hele natten")))
    var held = setting()
    held.heldGoals = ["K-1/gbo/g1"]
    #expect(try ResponseImport.records(from: bundle, setting: held).records.count == 1)
}

@Test func responsesWithProblemsAreAllReportedAndNothingReturned() throws {
    let good = ResponseExport.response(mixedAdministration(), instrument: mixed)
    guard case .object(var broken) = good else { return }
    broken = broken.map { member in
        switch member.key {
        case "subject":
            return (member.key, ["identifier": ["system": "urn:pejling:case", "value": "0101901234"]])
        case "authored": return (member.key, "yesterday")
        case "item": return (member.key, [["linkId": "nonsense", "answer": [["valueDecimal": 1]]]])
        default: return member
        }
    }
    let bundle: JSONValue = [
        "resourceType": "Bundle", "type": "collection", "entry": [["resource": .object(broken)]],
    ]
    #expect {
        try ResponseImport.records(from: bundle, setting: setting())
    } throws: { error in
        let messages = (error as? RecordImportError)?.problems.map(\.description) ?? []
        return messages.count == 3
            && messages.allSatisfy { $0.hasPrefix("QuestionnaireResponse \(recordID)") }
            && messages[0].contains("CPR") && messages[1].contains("yesterday")
            && messages[2].contains("nonsense")
    }
}

@Test func aResponseToAnUnknownQuestionnaireIsRefused() throws {
    let response: JSONValue = [
        "resourceType": "QuestionnaireResponse", "id": "r1", "status": "completed",
        "questionnaire": "http://example.org/Questionnaire/unknown-thing", "authored": "2026-03-01",
        "subject": ["identifier": ["value": "K-1"]],
    ]
    #expect {
        try ResponseImport.records(from: response, setting: setting())
    } throws: { error in
        (error as? RecordImportError)?.problems.first?.message.contains("'unknown-thing'") == true
    }
}

@Test func canonicalURLsNameTheirInstrumentAndVersion() {
    #expect(FHIR.instrument(ofCanonical: "urn:pejling:questionnaire:ors|1.0.0") == ("ors", "1.0.0"))
    #expect(FHIR.instrument(ofCanonical: "https://kommune.dk/fhir/Questionnaire/phq-9") == ("phq-9", nil))
}

@Test func fullUrlsAreDerivedFromRecordIdsAlone() {
    #expect(FHIR.uuid(recordID) == "urn:uuid:01234567-89ab-8def-8123-456789abcdef")
    #expect(FHIR.uuid(recordID.uppercased()) == FHIR.uuid(recordID))
    #expect(FHIR.uuid("K-7/total") == FHIR.uuid("K-7/total"))
    #expect(FHIR.uuid("K-7/total") != FHIR.uuid("K-8/total"))
}

@Test func correctionsAreAppliedAndWithdrawalsLeftOut() {
    func administration(_ total: Double) -> AdministrationRecord {
        AdministrationRecord(
            instrument: "ors", instrumentVersion: "1", worker: nil, respondent: "citizen", date: "2026-03-01",
            answers: [:], scores: ["total": total])
    }
    let records = [
        Record(id: "a", writer: "w", time: written, caseID: "K-1", body: .administration(administration(10))),
        Record(
            id: "b", writer: "w", time: written + 1, caseID: "K-1", body: .administration(administration(20))),
        Record(
            id: "c", writer: "w", time: written + 2, caseID: "K-1",
            body: .correction(target: "a", replacement: administration(11))),
        Record(
            id: "d", writer: "w", time: written + 3, caseID: "K-1",
            body: .correction(target: "a", replacement: administration(12))),
        Record(
            id: "e", writer: "w", time: written + 4, caseID: "K-1",
            body: .withdrawal(target: "b", reason: nil)),
    ]
    let current = Array(StoredAdministration.current(records) { _, _, _ in nil })
    #expect(current.map(\.id) == ["a"])
    #expect(current.first?.content.scores["total"] == 12)
    #expect(current.first?.time == written)
}
