import Foundation
import InstrumentModel
import Support

/// Turns a FHIR R4 Questionnaire, Pejling's own or one written by others, into an instrument.
///
/// Answer options are read in every R4 form: `answerOption` (coding, integer, string, date,
/// time) and `answerValueSet` pointing to a ValueSet contained in the Questionnaire, with
/// ordinal values from the `ordinalValue`, `itemWeight` or older `iso21090-CO-value` extensions.
/// Display, group, hidden and calculated items are never asked or scored. The score is the sum
/// of the items that give numbers (ordinal values or numbers); an item whose options have no
/// ordinal values is asked and stored but not scored. Which way is better, cut-offs and reliable
/// change are not in FHIR: unless the caller states the direction it is left unset.
package enum QuestionnaireImport {
    /// A part of the Questionnaire that cannot be represented, by `linkId`.
    package struct Loss: Sendable, Hashable, CustomStringConvertible {
        package var linkId: String
        /// The FHIR construct, such as `enableWhen` or `type 'attachment'`.
        package var construct: String
        /// Why it cannot be represented, and what happens to the item.
        package var reason: String

        package init(linkId: String, construct: String, reason: String) {
            self.linkId = linkId
            self.construct = construct
            self.reason = reason
        }

        package var description: String { "\(linkId): \(construct): \(reason)" }
    }

    /// An item and what the import made of it: scored, asked but not scored, or not asked.
    package struct Note: Sendable, Hashable, CustomStringConvertible {
        package var linkId: String
        package var reason: String

        package var description: String { "\(linkId) (\(reason))" }
    }

    /// What the import needs besides the Questionnaire.
    package struct Options: Sendable, Hashable {
        /// Whether to leave out what cannot be represented instead of stopping.
        package var lossy: Bool
        /// Which way is better, when the caller knows; nil leaves it unset (no flags, no categories).
        package var direction: Scoring.Direction?
        /// How many scored items may be skipped and still give a (prorated) total.
        package var maxSkipped: Int
        /// The instrument id to use instead of one derived from the Questionnaire.
        package var id: String?
        /// The language of what the import says (problems, losses and notes).
        package var language: Language

        package init(
            lossy: Bool = false, direction: Scoring.Direction? = nil, maxSkipped: Int = 0, id: String? = nil,
            language: Language = .en
        ) {
            self.language = language
            self.lossy = lossy
            self.direction = direction
            self.maxSkipped = maxSkipped
            self.id = id
        }

        /// Strict: stop at the first part that cannot be represented; direction unset.
        package static let `default` = Options()
    }

    /// The result: the instrument, what was left out, and what each item became.
    package struct Result: Sendable {
        package var instrument: Instrument
        /// What could not be represented (empty unless the import was lossy).
        package var losses: [Loss]
        /// The linkIds of the items whose values make the total.
        package var scored: [String]
        /// Items asked and stored but not part of any score, and why.
        package var unscored: [Note]
        /// Items never asked (display, group, hidden, calculated), and why.
        package var notAsked: [Note]
    }

    /// Why a Questionnaire is not imported.
    package enum ImportError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
        /// Not a Questionnaire, or missing what every Questionnaire needs.
        case invalid(String)
        /// Parts that cannot be represented; the import stops unless it may be lossy.
        case lossy([Loss], language: Language = .en)

        package var description: String {
            switch self {
            case .invalid(let message): return message
            case .lossy(let losses, let language):
                let danish = language == .da
                return
                    (danish
                    ? "Questionnaire'et har dele, Pejling ikke kan gengive:\n"
                    : "The Questionnaire has parts Pejling cannot represent:\n")
                    + losses.map { "  \($0)" }.joined(separator: "\n")
                    + (danish
                        ? "\nImportér med --lossy for at udelade dem, eller ret Questionnaire'et."
                        : "\nImport with --lossy to leave them out, or change the Questionnaire.")
            }
        }

        package var errorDescription: String? { description }
    }

    /// Returns the instrument described by `resource`.
    /// - Parameter lossy: whether to leave out what cannot be represented instead of stopping.
    package static func instrument(from resource: JSONValue, file: String, lossy: Bool) throws(ImportError)
        -> Result
    {
        try instrument(from: resource, file: file, options: Options(lossy: lossy))
    }

    /// Returns the instrument described by `resource`, a FHIR R4 Questionnaire.
    /// - Parameters:
    ///   - file: the file it was read from, named in messages.
    ///   - options: lossy or strict, and what FHIR cannot say (direction, skipped items, id).
    /// - Throws: `ImportError.invalid` for what is not a usable Questionnaire (duplicate linkIds,
    ///   nothing to ask or score), `ImportError.lossy` listing every part that cannot be
    ///   represented unless `options.lossy`.
    package static func instrument(from resource: JSONValue, file: String, options: Options)
        throws(ImportError) -> Result
    {
        let language = options.language
        func t(_ da: String, _ en: String) -> String { language == .da ? da : en }
        guard resource["resourceType"] == "Questionnaire" else {
            throw .invalid(
                t(
                    "\(file) er ikke et FHIR Questionnaire (resourceType er \(describe(resource["resourceType"]))).",
                    "\(file) is not a FHIR Questionnaire (resourceType is \(describe(resource["resourceType"])))."
                ))
        }
        guard case .array(let items)? = resource["item"], !items.isEmpty else {
            throw .invalid(
                t(
                    "\(file): Questionnaire'et har ingen spørgsmål (item er \(describe(resource["item"]))).",
                    "\(file): the Questionnaire has no items (item is \(describe(resource["item"])))."))
        }
        var walk = Walk(valueSets: containedValueSets(resource), language: language)
        walk.flatten(items, path: "item")
        if !walk.duplicates.isEmpty {
            throw .invalid(
                "\(file): "
                    + walk.duplicates.map {
                        t(
                            "linkId'et '\(TerminalText.excerpt($0.linkId))' bruges igen ved \($0.path)",
                            "the linkId '\(TerminalText.excerpt($0.linkId))' is used again at \($0.path)")
                    }
                    .joined(separator: "; ")
                    + t(
                        ". Hvert spørgsmål skal have sit eget linkId: svarene kobles på det. Ret Questionnaire'et.",
                        ". Each item needs its own linkId: answers are matched on it. Correct the Questionnaire."
                    )
            )
        }
        let converted = walk.converted
        guard !converted.isEmpty else {
            throw .invalid(
                t(
                    "\(file): Pejling kan ikke stille nogen af Questionnaire'ets spørgsmål:\n",
                    "\(file): none of the Questionnaire's items can be asked by Pejling:\n")
                    + (walk.losses.map { "  \($0)" } + walk.notAsked.map { "  \($0)" }).joined(
                        separator: "\n"))
        }
        let scored = converted.filter(\.isScored)
        guard !scored.isEmpty else {
            throw .invalid(
                t(
                    "\(file): intet spørgsmål i Questionnaire'et giver et tal at score:\n",
                    "\(file): no item of the Questionnaire gives a number to score:\n")
                    + (walk.unscored.map { "  \($0)" } + walk.losses.map { "  \($0)" }).joined(
                        separator: "\n")
                    + t(
                        "\nEt instrument skal have spørgsmål med ordinalværdier (ordinalValue eller itemWeight) eller tal.",
                        "\nAn instrument needs items with ordinal values (ordinalValue or itemWeight) or numbers."
                    )
            )
        }
        if !walk.losses.isEmpty && !options.lossy { throw .lossy(walk.losses, language: language) }
        if options.maxSkipped >= scored.count {
            throw .invalid(
                t(
                    "\(file): --max-skipped \(options.maxSkipped) ville ikke efterlade noget at score; Questionnaire'et har \(scored.count) scorede spørgsmål. Giv færre.",
                    "\(file): --max-skipped \(options.maxSkipped) would leave nothing to score; the Questionnaire has \(scored.count) scored items. Give fewer."
                )
            )
        }

        let rawID = options.id ?? instrumentName(resource)
        let id = identifier(rawID)
        let title = localized(resource, "title") ?? LocalizedText(verbatim: string(resource["name"]) ?? id)
        let description = localized(resource, "description") ?? title
        let publisher = string(resource["publisher"]) ?? "unknown (not stated in the Questionnaire)"
        let licence =
            localized(resource, "copyright")
            ?? LocalizedText(
                da: "Ingen licens angivet i spørgeskemaet; undersøg rettighederne før brug.",
                en: "No licence stated in the Questionnaire; check the rights before use.")
        let (low, high) = scored.reduce((0.0, 0.0)) { total, item in
            let range = valueRange(item.kind)
            return (total.0 + range.lowerBound, total.1 + range.upperBound)
        }
        let whole = scored.allSatisfy { item in
            switch item.kind {
            case .choice(let options): return options.allSatisfy { $0.value == $0.value.rounded() }
            case .number(let range): return range.integer
            default: return false
            }
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
                method: .sum, range: low...max(high, low + 1),
                direction: options.direction ?? .higherIsBetter,
                decimals: whole ? 0 : 2, maxSkipped: options.maxSkipped,
                directionStated: options.direction != nil, statedTotals: walk.statedTotals),
            interpretation: Interpretation(), flags: [])
        return Result(
            instrument: instrument, losses: walk.losses, scored: walk.scoredLinkIds, unscored: walk.unscored,
            notAsked: walk.notAsked)
    }

    /// The raw instrument id: the Questionnaire's `id`, `name`, the last part of its `url`, its
    /// LOINC code, or (with none of them) a hash of its text, so two Questionnaires never share one.
    static func instrumentName(_ resource: JSONValue) -> String {
        if let id = string(resource["id"]) ?? string(resource["name"]) { return id }
        if let url = string(resource["url"]), let last = FHIR.instrument(ofCanonical: url).id.nilIfEmpty {
            return last
        }
        var codings: [JSONValue] = []
        if case .array(let codes)? = resource["code"] { codings += codes }
        if case .array(let identifiers)? = resource["identifier"] {
            codings += identifiers.map { ["system": $0["system"] ?? .null, "code": $0["value"] ?? .null] }
        }
        if let loinc = codings.first(where: { string($0["system"]) == "http://loinc.org" }),
            let code = string(loinc["code"])
        {
            return "loinc-\(code)"
        }
        let hash = FHIR.uuid(resource.rendered(pretty: false)).dropFirst("urn:uuid:".count).prefix(8)
        return "questionnaire-\(hash)"
    }

    // MARK: Walking the items

    /// The state of one pass over the items.
    private struct Walk {
        var valueSets: [String: JSONValue]
        var converted: [Item] = []
        var losses: [Loss] = []
        var unscored: [Note] = []
        var notAsked: [Note] = []
        var scoredLinkIds: [String] = []
        var statedTotals: [String] = []
        var duplicates: [(linkId: String, path: String)] = []
        var seen: Set<String> = []
        var seenIDs: [String: String] = [:]

        /// The language the notes and losses are written in.
        let language: Language

        init(valueSets: [String: JSONValue], language: Language) {
            self.valueSets = valueSets
            self.language = language
        }

        func t(_ da: String, _ en: String) -> String { language == .da ? da : en }

        mutating func flatten(_ items: [JSONValue], path: String) {
            for (index, element) in items.enumerated() {
                let here = "\(path)[\(index)]"
                let linkId = string(element["linkId"]) ?? "(no linkId at \(here))"
                let type = string(element["type"]) ?? ""
                if !seen.insert(linkId).inserted {
                    duplicates.append((linkId, here))
                    continue
                }
                let urls = extensionURLs(element)
                if urls.contains(FHIR.hidden) {
                    notAsked.append(
                        Note(
                            linkId: linkId,
                            reason: t("skjult (questionnaire-hidden)", "hidden (questionnaire-hidden)")))
                    continue
                }
                if type == "display" {
                    notAsked.append(
                        Note(
                            linkId: linkId,
                            reason: t("visningstekst, intet at svare på", "display text, nothing to answer")))
                    continue
                }
                if urls.contains(where: { $0.hasSuffix("calculatedExpression") }) {
                    notAsked.append(
                        Note(
                            linkId: linkId,
                            reason:
                                t(
                                    "beregnet (sdc calculatedExpression); et svars værdi sammenlignes med Pejlings egen total",
                                    "calculated (sdc calculatedExpression); a response's value is compared with Pejling's own total"
                                )
                        ))
                    if ["decimal", "integer", "quantity"].contains(type) { statedTotals.append(linkId) }
                    continue
                }
                if type == "group" {
                    if element["repeats"] == .bool(true) {
                        losses.append(
                            Loss(
                                linkId: linkId, construct: "repeats on a group",
                                reason: t(
                                    "Pejling stiller hvert spørgsmål én gang; gruppens spørgsmål stilles én gang",
                                    "Pejling asks each item once; its items are asked once")))
                    }
                    if case .array(let children)? = element["item"] {
                        flatten(children, path: here + ".item")
                    }
                    continue
                }
                if element["enableWhen"] != nil {
                    losses.append(
                        Loss(
                            linkId: linkId, construct: "enableWhen",
                            reason: t(
                                "betinget visning; spørgsmålet stilles hver gang og kan springes over",
                                "conditional display; the item is asked every time and may be skipped")))
                }
                for url in urls
                where url.hasSuffix("initialExpression") || url.hasSuffix("enableWhenExpression")
                    || url.hasSuffix("answerExpression")
                {
                    losses.append(
                        Loss(
                            linkId: linkId, construct: "expression (\(url))",
                            reason: t(
                                "Pejling udregner ingen FHIRPath; udtrykket udelades",
                                "Pejling evaluates no FHIRPath; the expression is left out")))
                }
                if element["repeats"] == .bool(true) {
                    losses.append(
                        Loss(
                            linkId: linkId, construct: "repeats",
                            reason: t("kun ét svar beholdes", "only one answer is kept")))
                }
                if case .array? = element["item"] {
                    losses.append(
                        Loss(
                            linkId: linkId,
                            construct: t("spørgsmål under et spørgsmål", "items nested under a question"),
                            reason: t("de udelades", "they are left out")))
                }
                guard var item = convert(element, linkId: linkId, type: type) else { continue }
                if element["enableWhen"] != nil { item.optional = true }
                if let other = seenIDs[item.id] {
                    duplicates.append(
                        (
                            linkId,
                            "\(here) (it becomes the id '\(TerminalText.excerpt(item.id))', as '\(TerminalText.excerpt(other))' does)"
                        ))
                    continue
                }
                seenIDs[item.id] = linkId
                if item.isScored { scoredLinkIds.append(linkId) }
                converted.append(item)
            }
        }

        /// One answer option as read: its label, code and ordinal value if it has one.
        struct Option {
            var label: LocalizedText
            var code: String?
            var system: String?
            var ordinal: Double?
        }

        mutating func convert(_ element: JSONValue, linkId: String, type: String) -> Item? {
            let text = localized(element, "text") ?? LocalizedText(verbatim: linkId)
            let label = string(element["prefix"]).map { LocalizedText(verbatim: $0) } ?? shortLabel(text)
            let optional = element["required"] != .bool(true)
            let id = identifier(linkId)
            func item(_ kind: ItemKind, scored: Bool = true) -> Item {
                Item(id: id, label: label, text: text, kind: kind, optional: optional, scored: scored)
            }
            func lose(_ construct: String, _ reason: String) {
                losses.append(Loss(linkId: linkId, construct: construct, reason: reason))
            }
            let hasOptions = element["answerOption"] != nil || element["answerValueSet"] != nil
            switch type {
            case "choice", "open-choice":
                if type == "open-choice" {
                    lose(
                        "open-choice",
                        t(
                            "fritekstsvar ud over mulighederne tages ikke imod",
                            "free-text answers besides the options are not accepted"))
                }
                return choice(element, linkId: linkId, numeric: false).map {
                    item($0.kind, scored: $0.scored)
                }
            case _
            where hasOptions && ["integer", "decimal", "string", "text", "date", "time"].contains(type):
                // Options restrict the answers to them, whatever the item's type.
                return choice(element, linkId: linkId, numeric: type == "integer" || type == "decimal").map {
                    item($0.kind, scored: $0.scored)
                }
            case "integer", "decimal":
                let low = extensionNumber(element, FHIR.minValue) ?? 0
                let high = extensionNumber(element, FHIR.maxValue) ?? max(low + 1, 1_000_000)
                return item(.number(NumberRange(min: low, max: high, integer: type == "integer")))
            case "string", "text":
                if case .number(let length)? = element["maxLength"] {
                    return item(.text(maxLength: Int(saturating: length)))
                }
                return item(.text(maxLength: type == "string" ? 255 : 2000))
            case "boolean":
                unscored.append(
                    Note(linkId: linkId, reason: t("ja eller nej, scores ikke", "yes or no, not scored")))
                return item(
                    .choice([
                        ChoiceOption(value: 1, code: "false", label: LocalizedText(da: "Nej", en: "No")),
                        ChoiceOption(value: 2, code: "true", label: LocalizedText(da: "Ja", en: "Yes")),
                    ]), scored: false)
            case "":
                lose("type", t("spørgsmålet har ingen type", "the item has no type"))
                return nil
            default:
                lose(
                    "type '\(TerminalText.excerpt(type))'",
                    t(
                        "Pejling stiller kun skalaer, valg, tal, ja/nej og tekst",
                        "Pejling asks scales, choices, numbers, yes/no and text only"))
                return nil
            }
        }

        /// The options of an item as a choice, scored when every option has an ordinal value
        /// (or, for numeric items, is a number).
        mutating func choice(_ element: JSONValue, linkId: String, numeric: Bool) -> (
            kind: ItemKind, scored: Bool
        )? {
            func lose(_ construct: String, _ reason: String) {
                losses.append(Loss(linkId: linkId, construct: construct, reason: reason))
            }
            var read: [Option] = []
            if case .array(let options)? = element["answerOption"] {
                for (index, option) in options.enumerated() {
                    if let parsed = Self.option(option) {
                        read.append(parsed)
                    } else {
                        let kind =
                            option.objectKeys.first { $0.hasPrefix("value") } ?? "no value[x]"
                        lose(
                            "answerOption[\(index)] (\(kind))",
                            t(
                                "en mulighed, Pejling ikke kan læse (coding, integer, string, date og time kan læses)",
                                "an option Pejling cannot read (coding, integer, string, date and time can be)"
                            ))
                    }
                }
            } else if let reference = string(element["answerValueSet"]) {
                guard let valueSet = valueSets[reference] else {
                    lose(
                        "answerValueSet \(reference)",
                        reference.hasPrefix("#")
                            ? t(
                                "intet indlejret ValueSet har id'et '\(reference.dropFirst())'",
                                "no contained ValueSet has the id '\(reference.dropFirst())'")
                            : t(
                                "et eksternt value set; Pejling læser kun value sets, der ligger i Questionnaire'et: kopiér det ind i 'contained', eller skriv svarene som answerOption",
                                "an external value set; Pejling reads value sets contained in the Questionnaire only: copy it into 'contained', or list the answers as answerOption"
                            )
                    )
                    return nil
                }
                read = Self.concepts(valueSet)
                if read.isEmpty {
                    lose(
                        "answerValueSet \(reference)",
                        t(
                            "det indlejrede ValueSet nævner ingen begreber (compose.include.concept eller expansion.contains)",
                            "the contained ValueSet lists no concepts (compose.include.concept or expansion.contains)"
                        )
                    )
                    return nil
                }
            } else {
                lose(
                    t(
                        "et valg uden answerOption eller answerValueSet",
                        "a choice without answerOption or answerValueSet"),
                    t("der er intet at vælge imellem", "there is nothing to choose from"))
                return nil
            }
            guard read.count >= 2 else {
                lose(
                    t("svarmuligheder", "answer options"),
                    t(
                        "færre end to muligheder kan læses; der er intet at vælge imellem",
                        "fewer than two options can be read; there is nothing to choose between")
                )
                return nil
            }
            let ordinals = read.compactMap(\.ordinal)
            let scored = ordinals.count == read.count && Set(ordinals).count == ordinals.count
            if !scored {
                let reason =
                    ordinals.isEmpty
                    ? t("dets muligheder har ingen ordinalværdier", "its options have no ordinal values")
                    : ordinals.count < read.count
                        ? t(
                            "kun \(ordinals.count) af dets \(read.count) muligheder har ordinalværdier",
                            "only \(ordinals.count) of its \(read.count) options have ordinal values")
                        : t("dets muligheder deler ordinalværdier", "its options share ordinal values")
                unscored.append(
                    Note(
                        linkId: linkId,
                        reason: reason
                            + t("; stilles og gemmes, scores ikke", "; asked and stored, not scored")))
            }
            // Unscored options are numbered by position from 1: the value only tells them apart.
            let options = read.enumerated().map { index, option in
                ChoiceOption(
                    value: scored ? option.ordinal! : Double(index + 1), code: option.code,
                    system: option.system,
                    label: option.label)
            }
            return (.choice(options), scored)
        }

        static func option(_ option: JSONValue) -> Option? {
            let ordinal = ordinalValue(option)
            if let coding = option["valueCoding"] {
                let code = string(coding["code"])
                return Option(
                    label: localized(coding, "display") ?? LocalizedText(verbatim: code ?? "?"), code: code,
                    system: string(coding["system"]), ordinal: ordinal ?? ordinalValue(coding))
            }
            if case .number(let value)? = option["valueInteger"] {
                let text = JSONValue.numberText(value)
                return Option(label: LocalizedText(verbatim: text), code: text, ordinal: ordinal ?? value)
            }
            for key in ["valueString", "valueDate", "valueTime"] {
                if let words = string(option[key]) {
                    return Option(
                        label: localized(option, key) ?? LocalizedText(verbatim: words), code: words,
                        ordinal: ordinal)
                }
            }
            return nil
        }

        /// The concepts of a ValueSet: its expansion if it has one, else its compose's concepts.
        static func concepts(_ valueSet: JSONValue) -> [Option] {
            var result: [Option] = []
            func expand(_ contains: JSONValue?) {
                guard case .array(let list)? = contains else { return }
                for concept in list {
                    if let code = string(concept["code"]) {
                        result.append(
                            Option(
                                label: localized(concept, "display") ?? LocalizedText(verbatim: code),
                                code: code,
                                system: string(concept["system"]), ordinal: ordinalValue(concept)))
                    }
                    expand(concept["contains"])
                }
            }
            expand(valueSet["expansion"]?["contains"])
            if !result.isEmpty { return result }
            guard case .array(let includes)? = valueSet["compose"]?["include"] else { return [] }
            for include in includes {
                guard case .array(let concepts)? = include["concept"] else { continue }
                for concept in concepts {
                    guard let code = string(concept["code"]) else { continue }
                    result.append(
                        Option(
                            label: localized(concept, "display") ?? LocalizedText(verbatim: code), code: code,
                            system: string(include["system"]), ordinal: ordinalValue(concept)))
                }
            }
            return result
        }
    }

    /// The contained ValueSets, found by `#id` and by their canonical `url`.
    static func containedValueSets(_ resource: JSONValue) -> [String: JSONValue] {
        guard case .array(let contained)? = resource["contained"] else { return [:] }
        var found: [String: JSONValue] = [:]
        for element in contained where element["resourceType"] == "ValueSet" {
            if let id = string(element["id"]) { found["#\(id)"] = element }
            if let url = string(element["url"]) {
                found[url] = element
                if let version = string(element["version"]) { found["\(url)|\(version)"] = element }
            }
        }
        return found
    }

    // MARK: Reading FHIR

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value, !text.isEmpty { return text }
        return nil
    }

    static func describe(_ value: JSONValue?) -> String {
        value.map { $0.rendered(pretty: false) } ?? "missing"
    }

    static func extensionURLs(_ element: JSONValue) -> [String] {
        guard case .array(let extensions)? = element["extension"] else { return [] }
        return extensions.compactMap { string($0["url"]) }.filter { url in
            // questionnaire-hidden counts only when true.
            url != FHIR.hidden
                || extensions.contains {
                    string($0["url"]) == FHIR.hidden && $0["valueBoolean"] == .bool(true)
                }
        }
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

    /// The ordinal value an element carries: R4's `ordinalValue`, R5's `itemWeight`, or the
    /// older `iso21090-CO-value`.
    static func ordinalValue(_ element: JSONValue) -> Double? {
        guard case .array(let extensions)? = element["extension"] else { return nil }
        for ext in extensions where FHIR.ordinalURLs.contains(string(ext["url"]) ?? "") {
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

extension JSONValue {
    /// The keys of an object, empty for anything else.
    fileprivate var objectKeys: [String] {
        if case .object(let members) = self { return members.map(\.key) }
        return []
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
