import InstrumentModel

/// The FHIR R4 addresses Pejling writes and reads.
public enum FHIR {
    public static let translation = "http://hl7.org/fhir/StructureDefinition/translation"
    public static let minValue = "http://hl7.org/fhir/StructureDefinition/minValue"
    public static let maxValue = "http://hl7.org/fhir/StructureDefinition/maxValue"
    /// R4's ordinal value of an answer option (R5 calls it itemWeight).
    public static let ordinalValue = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
    public static let itemWeight = "http://hl7.org/fhir/StructureDefinition/itemWeight"
    public static let entryFormat = "http://hl7.org/fhir/StructureDefinition/entryFormat"
    public static let maxDecimalPlaces = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
    /// The code system for Pejling's own answer codes (an option's value when it has no code).
    public static let answerSystem = "urn:pejling:answer"

    /// The canonical URL of an instrument's Questionnaire.
    ///
    /// A URN rather than an http address: Pejling owns no web address to publish under. An
    /// organisation that publishes its Questionnaires can set `PEJLING_FHIR_BASE`.
    public static func canonical(_ instrumentID: String, base: String?) -> String {
        if let base, !base.isEmpty {
            return base.hasSuffix("/")
                ? "\(base)Questionnaire/\(instrumentID)" : "\(base)/Questionnaire/\(instrumentID)"
        }
        return "urn:pejling:questionnaire:\(instrumentID)"
    }

    /// A `_field` element holding the translations of a text (FHIR translation extension).
    static func translations(_ text: LocalizedText, primary: Language) -> JSONValue {
        let others = text.values.keys.sorted().filter { $0 != primary.rawValue }
        return [
            "extension": .array(
                others.map { code in
                    [
                        "url": .string(translation),
                        "extension": [
                            ["url": "lang", "valueCode": .string(code)],
                            ["url": "content", "valueString": .string(text.values[code]!)],
                        ],
                    ]
                })
        ]
    }
}
