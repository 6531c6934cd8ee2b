import InstrumentModel
import Support

/// Turns a FHIR R4 Questionnaire into an instrument.
public enum QuestionnaireImport {
    /// What the import could not carry over, by `linkId`.
    public struct Loss: Sendable, Hashable, CustomStringConvertible {
        public var linkId: String
        public var what: String
        public var description: String { "\(linkId): \(what)" }
    }

    /// The result: the instrument, and what was left out (empty unless the import was lossy).
    public struct Result: Sendable {
        public var instrument: Instrument
        public var losses: [Loss]
    }

    public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not a Questionnaire, or missing what every Questionnaire needs.
        case invalid(String)
        /// Parts that cannot be represented; the import stops unless it may be lossy.
        case lossy([Loss])

        public var description: String {
            switch self {
            case .invalid(let message): return message
            case .lossy(let losses):
                return "The Questionnaire has parts Pejling cannot represent:\n"
                    + losses.map { "  \($0)" }.joined(separator: "\n")
                    + "\nImport with --lossy to leave them out, or change the Questionnaire."
            }
        }
    }

    /// Returns the instrument described by `resource`.
    /// - Parameter lossy: whether to leave out what cannot be represented instead of stopping.
    public static func instrument(from resource: JSONValue, file: String, lossy: Bool) throws(ImportError)
        -> Result
    {
        guard resource["resourceType"] == "Questionnaire" else {
            throw .invalid(
                "\(file) is not a FHIR Questionnaire (resourceType is \(describe(resource["resourceType"])))."
            )
        }
        guard case .array(let items)? = resource["item"], !items.isEmpty else {
            throw .invalid("\(file): the Questionnaire has no items.")
        }
        var losses: [Loss] = []
        var converted: [Item] = []
        flatten(items, into: &converted, losses: &losses)
        guard !converted.isEmpty else {
            throw .invalid("\(file): none of the Questionnaire's items can be asked by Pejling.")
        }
        if !losses.isEmpty && !lossy { throw .lossy(losses) }

        let rawID = string(resource["id"]) ?? string(resource["name"]) ?? "imported"
        let id = identifier(rawID)
        let title = localized(resource, "title") ?? LocalizedText(verbatim: string(resource["name"]) ?? id)
        let description = localized(resource, "description") ?? title
        let publisher = string(resource["publisher"]) ?? "unknown (not stated in the Questionnaire)"
        let licence =
            localized(resource, "copyright")
            ?? LocalizedText(
                da: "Ingen licens angivet i spørgeskemaet; undersøg rettighederne før brug.",
                en: "No licence stated in the Questionnaire; check the rights before use.")
        let scored = converted.filter { $0.kind.isScored }
        let (low, high) = scored.reduce((0.0, 0.0)) { total, item in
            let range = valueRange(item.kind)
            return (total.0 + range.lowerBound, total.1 + range.upperBound)
        }
        let instrument = Instrument(
            id: id, version: string(resource["version"]) ?? "1",
            abbreviation: string(resource["name"]) ?? id.uppercased(),
            title: title, description: description, introduction: description,
            respondents: Respondent.allCases,
            ages: nil, timing: .any, role: .other,
            source: Source(
                citation: "FHIR Questionnaire \(string(resource["url"]) ?? rawID)"
                    + (string(resource["version"]).map { " version \($0)" } ?? ""),
                rightsHolder: publisher, licence: licence,
                wording: LocalizedText(
                    da: "Ordlyden er importeret fra FHIR-spørgeskemaet.",
                    en: "The wording is imported from the FHIR Questionnaire.")),
            items: converted, goals: nil,
            scoring: Scoring(
                method: .sum, range: low...max(high, low + 1), direction: .higherIsBetter, decimals: 2),
            interpretation: Interpretation(), flags: [])
        return Result(instrument: instrument, losses: losses)
    }

    private static func flatten(_ items: [JSONValue], into converted: inout [Item], losses: inout [Loss]) {
        for element in items {
            let linkId = string(element["linkId"]) ?? "(no linkId)"
            let type = string(element["type"]) ?? ""
            if element["enableWhen"] != nil {
                losses.append(Loss(linkId: linkId, what: "enableWhen (conditional display)"))
            }
            if element["answerValueSet"] != nil {
                losses.append(Loss(linkId: linkId, what: "answerValueSet (answers from a value set)"))
            }
            if case .array(let extensions)? = element["extension"] {
                for ext in extensions {
                    let url = string(ext["url"]) ?? ""
                    if url.contains("calculatedExpression") || url.contains("initialExpression")
                        || url.contains("enableWhenExpression")
                    {
                        losses.append(Loss(linkId: linkId, what: "calculated expression (\(url))"))
                    }
                }
            }
            if element["repeats"] == .bool(true) && type != "group" {
                losses.append(Loss(linkId: linkId, what: "repeating answers"))
            }
            switch type {
            case "group":
                if case .array(let children)? = element["item"] {
                    flatten(children, into: &converted, losses: &losses)
                }
                continue
            case "display":
                continue  // instructions only: nothing to answer
            default:
                break
            }
            if case .array? = element["item"] {
                losses.append(Loss(linkId: linkId, what: "items nested under a question"))
            }
            if let item = convert(element, linkId: linkId, type: type, losses: &losses) {
                converted.append(item)
            }
        }
    }

    private static func convert(_ element: JSONValue, linkId: String, type: String, losses: inout [Loss])
        -> Item?
    {
        let text = localized(element, "text") ?? LocalizedText(verbatim: linkId)
        let label = string(element["prefix"]).map { LocalizedText(verbatim: $0) } ?? shortLabel(text)
        let optional = element["required"] != .bool(true)
        let id = identifier(linkId)
        let kind: ItemKind
        switch type {
        case "choice", "open-choice":
            guard case .array(let options)? = element["answerOption"], !options.isEmpty else {
                losses.append(Loss(linkId: linkId, what: "a choice without answerOption"))
                return nil
            }
            var converted: [ChoiceOption] = []
            for (index, option) in options.enumerated() {
                if let coding = option["valueCoding"] {
                    let ordinal = ordinalValue(coding) ?? ordinalValue(option)
                    let display =
                        localized(coding, "display")
                        ?? LocalizedText(verbatim: string(coding["code"]) ?? "\(index)")
                    converted.append(
                        ChoiceOption(
                            value: ordinal ?? Double(index), code: string(coding["code"]),
                            system: string(coding["system"]),
                            label: display))
                    if ordinal == nil {
                        losses.append(
                            Loss(
                                linkId: linkId,
                                what: "option \(index + 1) has no ordinal value; scored by position"))
                    }
                } else if case .number(let value)? = option["valueInteger"] {
                    converted.append(
                        ChoiceOption(
                            value: value, label: LocalizedText(verbatim: JSONValue.numberText(value))))
                } else if let words = string(option["valueString"]) {
                    converted.append(
                        ChoiceOption(
                            value: ordinalValue(option) ?? Double(index),
                            label: LocalizedText(verbatim: words)))
                } else {
                    losses.append(
                        Loss(linkId: linkId, what: "option \(index + 1) is of a type Pejling cannot read"))
                }
            }
            if type == "open-choice" {
                losses.append(Loss(linkId: linkId, what: "open-choice free text answers"))
            }
            guard converted.count >= 2, Set(converted.map(\.value)).count == converted.count else {
                losses.append(Loss(linkId: linkId, what: "options without distinct values"))
                return nil
            }
            kind = .choice(converted)
        case "integer", "decimal":
            let low = extensionNumber(element, FHIR.minValue) ?? 0
            let high = extensionNumber(element, FHIR.maxValue) ?? max(low + 1, 1_000_000)
            kind = .number(NumberRange(min: low, max: high, integer: type == "integer"))
        case "string", "text":
            if case .number(let length)? = element["maxLength"] {
                kind = .text(maxLength: Int(saturating: length))
            } else {
                kind = .text(maxLength: type == "string" ? 255 : 2000)
            }
        default:
            losses.append(Loss(linkId: linkId, what: "item type '\(type)'"))
            return nil
        }
        return Item(id: id, label: label, text: text, kind: kind, optional: optional)
    }

    // MARK: Reading FHIR

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value, !text.isEmpty { return text }
        return nil
    }

    static func describe(_ value: JSONValue?) -> String {
        value.map { $0.rendered(pretty: false) } ?? "missing"
    }

    /// A text and its translations: `field` in the resource's language, `_field` translations.
    static func localized(_ element: JSONValue, _ field: String) -> LocalizedText? {
        guard let base = string(element[field]) else { return nil }
        var values: [String: String] = [:]
        if case .array(let extensions)? = element["_\(field)"]?["extension"] {
            for ext in extensions where string(ext["url"]) == FHIR.translation {
                guard case .array(let parts)? = ext["extension"] else { continue }
                let lang = parts.first { string($0["url"]) == "lang" }.flatMap { string($0["valueCode"]) }
                let content = parts.first { string($0["url"]) == "content" }.flatMap {
                    string($0["valueString"])
                }
                if let lang, let content { values[String(lang.prefix(2))] = content }
            }
        }
        for language in Language.allCases where values[language.rawValue] == nil {
            values[language.rawValue] = base
        }
        // The resource's own language, if stated, is the base text.
        return LocalizedText(values: values)
    }

    static func ordinalValue(_ element: JSONValue) -> Double? {
        guard case .array(let extensions)? = element["extension"] else { return nil }
        for ext in extensions where [FHIR.ordinalValue, FHIR.itemWeight].contains(string(ext["url"]) ?? "") {
            if case .number(let value)? = ext["valueDecimal"] ?? ext["valueInteger"] { return value }
        }
        return nil
    }

    static func extensionNumber(_ element: JSONValue, _ url: String) -> Double? {
        guard case .array(let extensions)? = element["extension"] else { return nil }
        for ext in extensions where string(ext["url"]) == url {
            if case .number(let value)? = ext["valueInteger"] ?? ext["valueDecimal"] { return value }
        }
        return nil
    }

    static func identifier(_ raw: String) -> String {
        let lowered = raw.lowercased().map { ($0.isLetter && $0.isASCII) || $0.isNumber ? $0 : "-" }
        let collapsed = String(lowered).split(separator: "-").joined(separator: "-")
        return collapsed.isEmpty ? "item" : String(collapsed.prefix(64))
    }

    static func shortLabel(_ text: LocalizedText) -> LocalizedText {
        LocalizedText(values: text.values.mapValues { $0.count <= 40 ? $0 : String($0.prefix(39)) + "…" })
    }

    static func valueRange(_ kind: ItemKind) -> ClosedRange<Double> {
        switch kind {
        case .scale(let scale): return scale.min...scale.max
        case .number(let range): return range.min...range.max
        case .choice(let options): return options.map(\.value).min()!...options.map(\.value).max()!
        case .text: return 0...0
        }
    }
}
