import Foundation
import InstrumentModel
import Storage
import Testing

@testable import Interchange

/// The shipped instruments and the SDC PHQ-9, imported with lower scores better.
func catalogueWithSDCPHQ9() throws -> InstrumentCatalogue {
    let phq = try QuestionnaireImport.instrument(
        from: try fixture("sdc-phq-9-contained-valueset.json"), file: "phq.json",
        options: QuestionnaireImport.Options(direction: .lowerIsBetter)
    ).instrument
    return InstrumentCatalogue(instruments: try ShippedInstruments.all() + [phq], origins: [:])
}

func foreignSetting(caseID: String? = nil, caseMap: [String: String] = [:]) throws -> RecordImport.Setting {
    RecordImport.Setting(
        catalogue: try catalogueWithSDCPHQ9(), writer: "tester@host", now: Date(timeIntervalSince1970: 0),
        makeID: { "0123456789abcdef0123456789abcdef" }, caseID: caseID, caseMap: caseMap)
}

@Test func theSDCPHQ9ResponseImportsWithACaseStoresTenAndReportsTheStatedThirteen() throws {
    let imported = try ResponseImport.records(
        from: try fixture("sdc-phq-9-response-stated-13.json"), setting: try foreignSetting(caseID: "K-2"))
    let record = try #require(imported.records.first)
    #expect(imported.records.count == 1)
    #expect(record.caseID == "K-2")
    guard case .administration(let content) = record.body else {
        Issue.record("expected an administration")
        return
    }
    #expect(content.instrument == "questionnaire-sdc-profile-example-phq9")
    #expect(content.scores["total"] == 10)
    #expect(content.answers["h1-t1-q7"] == .number(3))
    #expect(content.answers.count == 9)  // the stated total is compared, never stored
    // The date column holds the day; the time of the full dateTime is the record's time.
    #expect(content.date == "2019-08-21")
    #expect(record.time == FHIR.parseInstant("2019-08-21T20:36:57.544Z"))
    #expect(imported.warnings.count == 1)
    let warning = try #require(imported.warnings.first)
    #expect(warning.contains("H1/TS") && warning.contains("13") && warning.contains("give 10"))
}

@Test func aResponseWhoseSubjectIsNoCaseIdIsRefusedNamingTheFix() throws {
    #expect {
        try ResponseImport.records(
            from: try fixture("sdc-phq-9-response-stated-13.json"), setting: try foreignSetting())
    } throws: { error in
        let problems = (error as? RecordImportError)?.problems ?? []
        return problems.count == 1 && problems[0].message.contains("http://hl7.org/fhir/Patient/proband")
            && problems[0].message.contains("--case ID")
    }
}

@Test func aCaseMapGivesTheCaseOfASubjectReference() throws {
    let imported = try ResponseImport.records(
        from: try fixture("sdc-phq-9-response-stated-13.json"),
        setting: try foreignSetting(caseMap: ["http://hl7.org/fhir/Patient/proband": "K-7"]))
    #expect(imported.records.map(\.caseID) == ["K-7"])
}

@Test func aCaseIdFromTheCommandLineIsStillCheckedForCPRNumbers() throws {
    #expect(throws: RecordImportError.self) {
        try ResponseImport.records(
            from: try fixture("sdc-phq-9-response-stated-13.json"),
            setting: try foreignSetting(caseID: "010190-1234"))
    }
}
