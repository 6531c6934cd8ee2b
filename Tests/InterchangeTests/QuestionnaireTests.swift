import Foundation
import InstrumentModel
import Support
import Testing

@testable import Interchange

let catalogue = try! InstrumentCatalogue.load(organisationDirectory: nil)

func fixture(_ name: String) throws -> JSONValue {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return try JSONParser.parse(String(contentsOf: url, encoding: .utf8)).root
}

@Test func aPHQ9WithLOINCCodingsImportsAndScores() throws {
    let result = try QuestionnaireImport.instrument(
        from: try fixture("phq-9-without-total.json"), file: "phq-9.json", lossy: false)
    let phq = result.instrument
    #expect(phq.id == "phq-9")
    #expect(phq.items.count == 9)
    #expect(result.losses.isEmpty)
    guard case .choice(let options) = phq.items[0].kind else {
        Issue.record("expected a choice")
        return
    }
    #expect(options.map(\.value) == [0, 1, 2, 3])
    #expect(options.map(\.code) == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"])
    #expect(phq.scoring.range == 0...27)
    // It scores as PHQ-9 does: the sum of the ordinal values.
    let answers = Dictionary(
        uniqueKeysWithValues: phq.items.enumerated().map { ($1.id, ItemAnswer.number(Double($0 % 4))) })
    #expect(try Scorer.score(phq, answers: answers).total == 0 + 1 + 2 + 3 + 0 + 1 + 2 + 3 + 0)
    // And it survives being written as an instrument file and read back.
    let text = InstrumentWriter.json(phq).rendered()
    #expect(try InstrumentReader.read(text, file: "phq-9.json") == phq)
}

@Test func aCalculatedTotalIsNeitherAskedNorScoredAndNeedsNoLossy() throws {
    // This test asserted the old behaviour: the calculated total stopped a strict import, and a
    // lossy one asked it as a tenth item and added it into the score.
    let result = try QuestionnaireImport.instrument(
        from: try fixture("phq-9-questionnaire.json"), file: "phq-9.json", lossy: false)
    #expect(result.losses.isEmpty)
    #expect(result.instrument.items.count == 9)
    #expect(result.notAsked.map(\.linkId) == ["/intro", "/44261-6"])
    #expect(result.instrument.scoring.statedTotals == ["/44261-6"])
}

@Test func notAQuestionnaireIsRefused() throws {
    #expect(throws: QuestionnaireImport.ImportError.self) {
        try QuestionnaireImport.instrument(from: ["resourceType": "Patient"], file: "x.json", lossy: true)
    }
}

@Test(arguments: ShippedInstruments.ids.filter { $0 != "gbo" })
func exportedQuestionnairesImportBackWithTheSameItems(id: String) throws {
    let instrument = try catalogue.instrument(id)
    let questionnaire = QuestionnaireExport.questionnaire(instrument, language: .da)
    #expect(questionnaire["resourceType"] == "Questionnaire")
    #expect(questionnaire["url"] == .string("urn:pejling:questionnaire:\(id)"))
    let back = try QuestionnaireImport.instrument(from: questionnaire, file: id, lossy: false).instrument
    #expect(back.items.map(\.id) == instrument.items.map(\.id))
    #expect(back.items.map(\.text) == instrument.items.map(\.text))  // both languages carried by translations
    #expect(back.title == instrument.title)
}

@Test func aScaleItemBecomesADecimalWithRangeExtensions() throws {
    let questionnaire = QuestionnaireExport.questionnaire(try catalogue.instrument("ors"), language: .en)
    guard case .array(let items)? = questionnaire["item"] else {
        Issue.record("no items")
        return
    }
    let first = items[0]
    #expect(first["linkId"] == "individually")
    #expect(first["type"] == "decimal")
    #expect(first["required"] == true)
    guard case .array(let extensions)? = first["extension"] else {
        Issue.record("no extensions")
        return
    }
    #expect(extensions.contains { $0["url"] == .string(FHIR.minValue) && $0["valueDecimal"] == 0 })
    #expect(extensions.contains { $0["url"] == .string(FHIR.maxValue) && $0["valueDecimal"] == 10 })
    let danish = first["_text"]?["extension"]
    #expect(danish?.rendered(pretty: false).contains("Hvordan har du haft det med dig selv?") == true)
}

@Test func choiceOptionsCarryCodesAndOrdinalValues() throws {
    let questionnaire = QuestionnaireExport.questionnaire(
        try catalogue.instrument("brief-inspire-o"), language: .en)
    guard case .array(let items)? = questionnaire["item"],
        case .array(let options)? = items[0]["answerOption"]
    else {
        Issue.record("no options")
        return
    }
    #expect(options.count == 5)
    let last = options[4]["valueCoding"]
    #expect(last?["code"] == "4")
    #expect(last?["display"] == "Strongly agree")
    #expect(last?["extension"]?.rendered(pretty: false).contains(#""valueDecimal":4"#) == true)
}
