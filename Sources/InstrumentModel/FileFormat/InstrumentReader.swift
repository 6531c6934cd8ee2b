import Support

/// Reads an instrument file, collecting every problem in it at once.
///
/// Decoding and validation happen in one walk over the parsed JSON, so a file with five mistakes
/// gets five messages, each with its JSON path, line and column, the value found and the fix.
package struct InstrumentReader {
    private let file: String
    private let positions: [String: TextPosition]
    private var problems: [InstrumentProblem] = []

    private init(file: String, positions: [String: TextPosition]) {
        self.file = file
        self.positions = positions
    }

    /// Returns the instrument described by `text`.
    /// - Parameter file: the file's name, used in every message.
    /// - Throws: `InstrumentError.invalid` with every problem found.
    package static func read(_ text: String, file: String) throws(InstrumentError) -> Instrument {
        let document: JSONParser.Document
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw .invalid(
                file: file,
                problems: [
                    InstrumentProblem(
                        file: file, path: "", position: error.position,
                        message: LocalizedText(
                            da: "ikke gyldig JSON: \(error.danishMessage)",
                            en: "not valid JSON: \(error.message)"),
                        fix: LocalizedText(da: error.danishFix, en: error.fix))
                ])
        }
        var reader = InstrumentReader(file: file, positions: document.positions)
        let instrument = reader.instrument(document.root)
        if let instrument, reader.problems.isEmpty {
            return instrument
        }
        // In file order, as an editor walks through them.
        let ordered = reader.problems.enumerated().sorted { a, b in
            let left = a.element.position.map { ($0.line, $0.column) } ?? (0, 0)
            let right = b.element.position.map { ($0.line, $0.column) } ?? (0, 0)
            return left != right ? left < right : a.offset < b.offset
        }
        throw .invalid(file: file, problems: ordered.map(\.element))
    }

    // MARK: Problems

    /// Records a problem in English (`message`, `fix`) and Danish (`da`, `fixDa`).
    private mutating func problem(_ path: String, _ message: String, fix: String, da: String, fixDa: String) {
        problems.append(
            InstrumentProblem(
                file: file, path: path, position: positions[path],
                message: LocalizedText(da: da, en: message),
                fix: LocalizedText(da: fixDa, en: fix)))
    }

    private func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    // MARK: Typed access

    /// Checks that `value` is an object with only the allowed keys, and returns its members.
    private mutating func object(
        _ value: JSONValue?, _ path: String, required: [String], optional: [String] = []
    ) -> [String: JSONValue]? {
        guard let value else { return nil }
        guard case .object(let members) = value else {
            problem(
                path, "expected an object, found \(value.typeDescription)", fix: "write it as { … }",
                da: "forventede et objekt, men fandt \(value.danishTypeDescription)",
                fixDa: "skriv det som { … }")
            return nil
        }
        var result: [String: JSONValue] = [:]
        let allowed = required + optional
        for member in members {
            if allowed.contains(member.key) {
                result[member.key] = member.value
            } else {
                let suggestion = closest(to: member.key, in: allowed).map { "rename it to \"\($0)\"" }
                let suggestionDa = closest(to: member.key, in: allowed).map { "omdøb den til \"\($0)\"" }
                problem(
                    join(path, member.key), "unknown key \"\(member.key)\"",
                    fix: suggestion ?? "remove it; allowed keys here are \(allowed.joined(separator: ", "))",
                    da: "ukendt nøgle \"\(member.key)\"",
                    fixDa: suggestionDa
                        ?? "fjern den; tilladte nøgler her er \(allowed.joined(separator: ", "))")
            }
        }
        for key in required where result[key] == nil {
            problem(
                path, "the key \"\(key)\" is missing", fix: "add \"\(key)\"",
                da: "nøglen \"\(key)\" mangler",
                fixDa: "tilføj \"\(key)\"")
        }
        return result
    }

    private mutating func string(_ members: [String: JSONValue], _ key: String, _ path: String) -> String? {
        guard let value = members[key] else { return nil }
        guard case .string(let text) = value, !text.trimmingWhitespace().isEmpty else {
            problem(
                join(path, key), "expected a non-empty string, found \(value.typeDescription)",
                fix: "write it in double quotes",
                da: "forventede en ikke-tom tekst, men fandt \(value.danishTypeDescription)",
                fixDa: "skriv den i dobbelte anførselstegn")
            return nil
        }
        return text
    }

    /// A number on a score's scale (a range, cut-off, threshold, norm), within
    /// `NumberLimits.storedValue`: a journal holds no score beyond it.
    private mutating func number(_ members: [String: JSONValue], _ key: String, _ path: String) -> Double? {
        bounded(
            members, key, path, by: NumberLimits.storedValue,
            LocalizedText(da: "det største en score må være", en: "the largest a score may be"),
            fix: LocalizedText(da: "", en: ""))
    }

    /// An item's own number (min, max, step, an option's value), within `NumberLimits.itemValue`:
    /// beyond it a Double no longer keeps every answer apart once totals, steps and decimals are
    /// computed (min -1e16 with step 1 stores 1, 2, 3, 7 as 0, 2, 4, 8).
    private mutating func itemNumber(_ members: [String: JSONValue], _ key: String, _ path: String) -> Double?
    {
        bounded(
            members, key, path, by: NumberLimits.itemValue,
            LocalizedText(da: "det største et spørgsmål må bruge", en: "the largest an item may use"),
            fix: LocalizedText(
                da: "; skalér spørgsmålet om (fx til tusinder), hvis det tæller noget større",
                en: "; rescale the item (e.g. thousands) if it counts something larger"))
    }

    private mutating func bounded(
        _ members: [String: JSONValue], _ key: String, _ path: String, by bound: Double,
        _ whatText: LocalizedText,
        fix fixText: LocalizedText
    ) -> Double? {
        let (what, whatDa) = (whatText[.en], whatText[.da])
        let (fix, fixDa) = (fixText[.en], fixText[.da])
        guard let value = members[key] else { return nil }
        guard case .number(let number) = value else {
            problem(
                join(path, key), "expected a number, found \(value.typeDescription)",
                fix: "write a number such as 5 or 2.5",
                da: "forventede et tal, men fandt \(value.danishTypeDescription)",
                fixDa: "skriv et tal, fx 5 eller 2.5")
            return nil
        }
        guard number.magnitude <= bound else {
            let shown = format(bound)
            problem(
                join(path, key), "the number \(format(number)) is beyond ±\(shown), \(what)",
                fix: "use a value from -\(shown) to \(shown)\(fix)",
                da: "tallet \(formatDa(number)) ligger uden for ±\(formatDa(bound)), \(whatDa)",
                fixDa: "brug en værdi fra -\(shown) til \(shown)\(fixDa)")
            return nil
        }
        return number
    }

    private mutating func integer(_ members: [String: JSONValue], _ key: String, _ path: String, minimum: Int)
        -> Int?
    {
        guard let number = number(members, key, path) else { return nil }
        guard number == number.rounded(), number >= Double(minimum), number < 1_000_000 else {
            problem(
                join(path, key), "expected a whole number of at least \(minimum), found \(format(number))",
                fix: "write a whole number such as \(Swift.max(minimum, 3))",
                da: "forventede et helt tal på mindst \(minimum), men fandt \(formatDa(number))",
                fixDa: "skriv et helt tal, fx \(Swift.max(minimum, 3))")
            return nil
        }
        return Int(number)
    }

    private mutating func bool(_ members: [String: JSONValue], _ key: String, _ path: String) -> Bool? {
        guard let value = members[key] else { return nil }
        guard case .bool(let flag) = value else {
            problem(
                join(path, key), "expected true or false, found \(value.typeDescription)",
                fix: "write true or false",
                da: "forventede true eller false, men fandt \(value.danishTypeDescription)",
                fixDa: "skriv true eller false")
            return nil
        }
        return flag
    }

    private mutating func oneOf<T: RawRepresentable & CaseIterable>(
        _ members: [String: JSONValue], _ key: String, _ path: String, as type: T.Type
    ) -> T? where T.RawValue == String {
        guard let raw = string(members, key, path) else { return nil }
        if let value = T(rawValue: raw) { return value }
        let allowed = T.allCases.map(\.rawValue)
        problem(
            join(path, key), "\"\(raw)\" is not one of \(allowed.joined(separator: ", "))",
            fix: closest(to: raw, in: allowed).map { "write \"\($0)\"" } ?? "write one of them",
            da: "\"\(raw)\" er ikke en af \(allowed.joined(separator: ", "))",
            fixDa: closest(to: raw, in: allowed).map { "skriv \"\($0)\"" } ?? "skriv en af dem")
        return nil
    }

    /// A text in every language: an object with a non-empty string for each of `da` and `en`.
    private mutating func localized(_ members: [String: JSONValue], _ key: String, _ path: String)
        -> LocalizedText?
    {
        guard let value = members[key] else { return nil }
        let textPath = join(path, key)
        guard case .object(let entries) = value else {
            problem(
                textPath, "expected a text per language, found \(value.typeDescription)",
                fix: "write {\"da\": \"…\", \"en\": \"…\"}",
                da: "forventede en tekst pr. sprog, men fandt \(value.danishTypeDescription)",
                fixDa: "skriv {\"da\": \"…\", \"en\": \"…\"}")
            return nil
        }
        var values: [String: String] = [:]
        var complete = true
        for entry in entries {
            guard case .string(let words) = entry.value, !words.trimmingWhitespace().isEmpty else {
                problem(
                    join(textPath, entry.key),
                    "expected a non-empty string, found \(entry.value.typeDescription)",
                    fix: "write the text in double quotes",
                    da: "forventede en ikke-tom tekst, men fandt \(entry.value.danishTypeDescription)",
                    fixDa: "skriv teksten i dobbelte anførselstegn")
                complete = false
                continue
            }
            values[entry.key] = words
        }
        for language in Language.allCases where values[language.rawValue] == nil && complete {
            let name = language == .da ? "Danish" : "English"
            problem(
                textPath, "the \(name) text (\"\(language.rawValue)\") is missing",
                fix: "add \"\(language.rawValue)\": \"…\" beside the other languages",
                da: "den \(language == .da ? "danske" : "engelske") tekst (\"\(language.rawValue)\") mangler",
                fixDa: "tilføj \"\(language.rawValue)\": \"…\" ved siden af de andre sprog")
            complete = false
        }
        return complete ? LocalizedText(values: values) : nil
    }

    private mutating func array(_ members: [String: JSONValue], _ key: String, _ path: String) -> [JSONValue]?
    {
        guard let value = members[key] else { return nil }
        guard case .array(let elements) = value else {
            problem(
                join(path, key), "expected an array, found \(value.typeDescription)",
                fix: "write it as [ … ]",
                da: "forventede en liste (array), men fandt \(value.danishTypeDescription)",
                fixDa: "skriv den som [ … ]")
            return nil
        }
        return elements
    }

    /// Whether a number is confirmed, and its note: a text per language like every other text, or
    /// (as files written before notes had languages have it) one string, shown in every language.
    private mutating func provenance(_ members: [String: JSONValue], _ path: String) -> Provenance {
        let note: LocalizedText?
        if case .string = members["note"] {
            note = string(members, "note", path).map { LocalizedText(verbatim: $0) }
        } else {
            note = localized(members, "note", path)
        }
        return Provenance(verified: bool(members, "verified", path) ?? true, note: note)
    }

    // MARK: The instrument

    private mutating func instrument(_ root: JSONValue) -> Instrument? {
        let keys = [
            "schemaVersion", "id", "version", "abbreviation", "title", "description", "introduction",
            "respondents",
            "ages", "timing", "role", "source", "items", "goals", "scoring", "interpretation", "flags",
        ]
        guard case .object = root else {
            problem(
                "", "expected an object at the top of the file, found \(root.typeDescription)",
                fix: "start the file with {",
                da: "forventede et objekt øverst i filen, men fandt \(root.danishTypeDescription)",
                fixDa: "begynd filen med {")
            return nil
        }
        guard let schemaValue = root["schemaVersion"] else {
            problem(
                "", "the key \"schemaVersion\" is missing", fix: "add \"schemaVersion\": 1",
                da: "nøglen \"schemaVersion\" mangler",
                fixDa: "tilføj \"schemaVersion\": 1")
            return nil
        }
        guard case .number(let schemaVersion) = schemaValue, schemaVersion == Double(Instrument.schemaVersion)
        else {
            let found = schemaValue == .null ? "null" : render(schemaValue)
            let foundDa = schemaValue == .null ? "null" : render(schemaValue, danish: true)
            problem(
                "schemaVersion",
                "unknown schema version \(found); this Pejling reads version \(Instrument.schemaVersion)",
                fix: "write \"schemaVersion\": 1, or upgrade Pejling if the file was written for a newer one",
                da: "ukendt skemaversion \(foundDa); denne Pejling læser version \(Instrument.schemaVersion)",
                fixDa:
                    "skriv \"schemaVersion\": 1, eller opgradér Pejling, hvis filen er skrevet til en nyere version"
            )
            return nil
        }
        guard
            let members = object(
                root, "", required: ["schemaVersion", "id", "version", "title", "source", "scoring"],
                optional: keys)
        else { return nil }
        let id = string(members, "id", "")
        if let id, !isIdentifier(id) {
            problem(
                "id", "\"\(id)\" is not a valid id",
                fix: "use lower-case letters, digits and '-' only, e.g. \"my-scale\"",
                da: "\"\(id)\" er ikke et gyldigt id",
                fixDa: "brug kun små bogstaver, cifre og '-', fx \"min-skala\"")
        }
        let version = string(members, "version", "")
        let abbreviation = string(members, "abbreviation", "") ?? id?.uppercased() ?? ""
        let title = localized(members, "title", "")
        let description = localized(members, "description", "") ?? title
        let introduction = localized(members, "introduction", "") ?? description
        let respondents = respondentList(members)
        let ages = members["ages"].flatMap { ageBand($0, "ages") }
        let timing = members["timing"] == nil ? Timing.any : oneOf(members, "timing", "", as: Timing.self)
        let role = members["role"] == nil ? Role.other : oneOf(members, "role", "", as: Role.self)
        let source = source(members["source"])
        let items = itemList(members)
        let goals = members["goals"].flatMap { goalSettings($0) }
        if members["goals"] == nil && members["items"] == nil {
            problem(
                "", "the instrument has no items",
                fix: "add \"items\": [ … ] (or \"goals\" for a goal-based instrument)",
                da: "instrumentet har ingen spørgsmål",
                fixDa: "tilføj \"items\": [ … ] (eller \"goals\" for et målbaseret instrument)")
        }
        if members["goals"] != nil && !(items?.isEmpty ?? true) {
            problem(
                "goals", "a goal-based instrument asks about the citizen's goals, not fixed items",
                fix: "remove \"items\" or \"goals\"",
                da: "et målbaseret instrument spørger til borgerens mål, ikke til faste spørgsmål",
                fixDa: "fjern \"items\" eller \"goals\"")
        }
        let scoring = scoring(members["scoring"], items: items ?? [], goals: goals)
        let interpretation =
            members["interpretation"] == nil
            ? Interpretation() : self.interpretation(members["interpretation"]!, scoring: scoring)
        let flags = flagList(members, scoring: scoring, goals: goals)

        guard let id, let version, let title, let description, let introduction, let respondents, let timing,
            let role, let source, let items, let scoring, let interpretation, let flags
        else { return nil }
        return Instrument(
            id: id, version: version, abbreviation: abbreviation, title: title, description: description,
            introduction: introduction, respondents: respondents, ages: ages, timing: timing, role: role,
            source: source, items: items, goals: goals, scoring: scoring, interpretation: interpretation,
            flags: flags)
    }

    private mutating func respondentList(_ members: [String: JSONValue]) -> [Respondent]? {
        guard let elements = array(members, "respondents", "") else { return Respondent.allCases }
        var result: [Respondent] = []
        for (index, element) in elements.enumerated() {
            let path = "respondents[\(index)]"
            guard case .string(let raw) = element, let respondent = Respondent(rawValue: raw) else {
                problem(
                    path, "\(render(element)) is not a respondent",
                    fix: "write \"citizen\", \"worker\" or \"relative\"",
                    da: "\(render(element, danish: true)) er ikke en respondent",
                    fixDa: "skriv \"citizen\", \"worker\" eller \"relative\"")
                return nil
            }
            result.append(respondent)
        }
        if result.isEmpty {
            problem(
                "respondents", "no respondent is named",
                fix: "name at least one of \"citizen\", \"worker\", \"relative\"",
                da: "der er ikke angivet nogen respondent",
                fixDa: "angiv mindst én af \"citizen\", \"worker\", \"relative\"")
            return nil
        }
        return result
    }

    private mutating func ageBand(_ value: JSONValue, _ path: String) -> AgeBand? {
        guard let members = object(value, path, required: [], optional: ["min", "max"]) else { return nil }
        let low = integer(members, "min", path, minimum: 0)
        let high = integer(members, "max", path, minimum: 0)
        if let low, let high, low > high {
            problem(
                path, "the age band runs from \(low) down to \(high)",
                fix: "make \"min\" no larger than \"max\"",
                da: "aldersintervallet går fra \(low) ned til \(high)",
                fixDa: "gør \"min\" højst lige så stor som \"max\"")
            return nil
        }
        return AgeBand(min: low, max: high)
    }

    private mutating func source(_ value: JSONValue?) -> Source? {
        guard
            let members = object(
                value, "source", required: ["citation", "rightsHolder", "licence", "wording"])
        else { return nil }
        let citation = string(members, "citation", "source")
        let rightsHolder = string(members, "rightsHolder", "source")
        let licence = localized(members, "licence", "source")
        let wording = localized(members, "wording", "source")
        guard let citation, let rightsHolder, let licence, let wording else { return nil }
        return Source(citation: citation, rightsHolder: rightsHolder, licence: licence, wording: wording)
    }

    // MARK: Items

    private mutating func itemList(_ members: [String: JSONValue]) -> [Item]? {
        guard let elements = array(members, "items", "") else { return [] }
        var items: [Item] = []
        var complete = true
        var seen: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let path = "items[\(index)]"
            guard let item = item(element, path) else {
                complete = false
                continue
            }
            if let first = seen[item.id] {
                problem(
                    join(path, "id"), "the item id \"\(item.id)\" is used twice (also by items[\(first)])",
                    fix: "give every item its own id",
                    da: "spørgsmåls-id'et \"\(item.id)\" bruges to gange (også af items[\(first)])",
                    fixDa: "giv hvert spørgsmål sit eget id")
                complete = false
            }
            seen[item.id] = index
            items.append(item)
        }
        return complete ? items : nil
    }

    private mutating func item(_ value: JSONValue, _ path: String) -> Item? {
        guard
            let members = object(
                value, path, required: ["id", "kind", "label", "text"],
                optional: [
                    "help", "optional", "safety", "min", "max", "step", "anchors", "options", "integer",
                    "maxLength", "scored",
                ])
        else { return nil }
        let id = string(members, "id", path)
        if let id, !isIdentifier(id) {
            problem(
                join(path, "id"), "\"\(id)\" is not a valid id",
                fix: "use lower-case letters, digits and '-' only",
                da: "\"\(id)\" er ikke et gyldigt id",
                fixDa: "brug kun små bogstaver, cifre og '-'")
        }
        let label = localized(members, "label", path)
        let text = localized(members, "text", path)
        let help = localized(members, "help", path)
        let optional = bool(members, "optional", path) ?? false
        let scored = bool(members, "scored", path) ?? true
        let kindName = string(members, "kind", path)
        var kind: ItemKind?
        let kindKeys: [String: [String]] = [
            "scale": ["min", "max", "step", "anchors"], "choice": ["options"],
            "number": ["min", "max", "integer"],
            "text": ["maxLength"],
        ]
        switch kindName {
        case "scale": kind = scale(members, path).map(ItemKind.scale)
        case "choice": kind = choiceOptions(members, path).map(ItemKind.choice)
        case "number": kind = numberRange(members, path).map(ItemKind.number)
        case "text": kind = .text(maxLength: integer(members, "maxLength", path, minimum: 1) ?? 500)
        case nil: break
        case let other?:
            problem(
                join(path, "kind"), "\"\(other)\" is not a kind of item",
                fix: "write \"scale\", \"choice\", \"number\" or \"text\"",
                da: "\"\(other)\" er ikke en slags spørgsmål",
                fixDa: "skriv \"scale\", \"choice\", \"number\" eller \"text\"")
        }
        if let kindName, let own = kindKeys[kindName] {
            let foreign = kindKeys.values.flatMap { $0 }.filter { !own.contains($0) && members[$0] != nil }
            for key in Set(foreign).sorted() {
                problem(
                    join(path, key), "\"\(key)\" does not belong to an item of kind \"\(kindName)\"",
                    fix: "remove it, or change the kind",
                    da: "\"\(key)\" hører ikke til et spørgsmål af slagsen \"\(kindName)\"",
                    fixDa: "fjern den, eller ret \"kind\"")
            }
        }
        var safety: SafetyRule?
        if let safetyValue = members["safety"] {
            safety = safetyRule(safetyValue, join(path, "safety"), kind: kind)
        }
        guard let id, let label, let text, let kind, members["safety"] == nil || safety != nil else {
            return nil
        }
        if members["help"] != nil && help == nil { return nil }
        return Item(
            id: id, label: label, text: text, help: help, kind: kind, optional: optional, safety: safety,
            scored: scored)
    }

    private mutating func scale(_ members: [String: JSONValue], _ path: String) -> Scale? {
        for key in ["min", "max", "step", "anchors"] where members[key] == nil {
            problem(
                path, "a scale item needs \"\(key)\"", fix: "add \"\(key)\"",
                da: "et skalaspørgsmål skal have \"\(key)\"",
                fixDa: "tilføj \"\(key)\"")
        }
        let low = itemNumber(members, "min", path)
        let high = itemNumber(members, "max", path)
        let step = itemNumber(members, "step", path)
        var anchors: (LocalizedText, LocalizedText)?
        if let anchorValue = members["anchors"],
            let anchorMembers = object(anchorValue, join(path, "anchors"), required: ["low", "high"])
        {
            let lowAnchor = localized(anchorMembers, "low", join(path, "anchors"))
            let highAnchor = localized(anchorMembers, "high", join(path, "anchors"))
            if let lowAnchor, let highAnchor { anchors = (lowAnchor, highAnchor) }
        }
        guard let low, let high, let step else { return nil }
        guard checkRange(low, high, path) else { return nil }
        guard step > 0, step <= high - low else {
            problem(
                join(path, "step"),
                "the step \(format(step)) does not fit the range \(format(low))–\(format(high))",
                fix: "use a positive step no larger than the range, e.g. 0.1 or 1",
                da:
                    "trinnet \(formatDa(step)) passer ikke til intervallet \(formatDa(low))–\(formatDa(high))",
                fixDa: "brug et positivt trin, der ikke er større end intervallet, fx 0.1 eller 1")
            return nil
        }
        let steps = (high - low) / step
        guard abs(steps - steps.rounded()) < 1e-9 else {
            problem(
                join(path, "step"),
                "the range \(format(low))–\(format(high)) is not a whole number of steps of \(format(step))",
                fix: "choose a step that divides the range",
                da:
                    "intervallet \(formatDa(low))–\(formatDa(high)) er ikke et helt antal trin på \(formatDa(step))",
                fixDa: "vælg et trin, der går op i intervallet")
            return nil
        }
        guard steps <= Double(NumberLimits.scaleSteps) else {
            problem(
                join(path, "step"),
                "the step \(format(step)) gives \(format(steps.rounded())) marks on the range \(format(low))–\(format(high)), more than \(NumberLimits.scaleSteps)",
                fix: "use a larger step; no one answers on a scale that fine",
                da:
                    "trinnet \(formatDa(step)) giver \(formatDa(steps.rounded())) mærker på intervallet \(formatDa(low))–\(formatDa(high)), flere end \(NumberLimits.scaleSteps)",
                fixDa: "brug et større trin; ingen svarer på en så fin skala")
            return nil
        }
        // Answers are rounded to the step's decimals; a minimum or maximum finer than that would
        // move every answer (min 0.5 with step 1 would store 1.5 as 2).
        let places = decimalPlaces(step)
        for (key, end) in [("min", low), ("max", high)] where roundTo(end, decimals: places) != end {
            problem(
                join(path, key),
                "the \(key == "min" ? "minimum" : "maximum") \(format(end)) has more decimals than the step \(format(step))",
                fix: "write \"min\" and \"max\" with no more decimals than \"step\"",
                da:
                    "\(key == "min" ? "mindsteværdien" : "størsteværdien") \(formatDa(end)) har flere decimaler end trinnet \(formatDa(step))",
                fixDa: "skriv \"min\" og \"max\" med højst lige så mange decimaler som \"step\"")
            return nil
        }
        guard let anchors else { return nil }
        return Scale(min: low, max: high, step: step, lowAnchor: anchors.0, highAnchor: anchors.1)
    }

    private mutating func checkRange(_ low: Double, _ high: Double, _ path: String) -> Bool {
        guard low < high else {
            problem(
                join(path, "max"), "the maximum \(format(high)) is not above the minimum \(format(low))",
                fix: "make \"max\" larger than \"min\"",
                da: "størsteværdien \(formatDa(high)) er ikke over mindsteværdien \(formatDa(low))",
                fixDa: "gør \"max\" større end \"min\"")
            return false
        }
        return true
    }

    private mutating func choiceOptions(_ members: [String: JSONValue], _ path: String) -> [ChoiceOption]? {
        guard let elements = array(members, "options", path) else {
            if members["options"] == nil {
                problem(
                    path, "a choice item needs \"options\"",
                    fix: "add \"options\": [{\"value\": 0, \"label\": {…}}, …]",
                    da: "et valgspørgsmål skal have \"options\"",
                    fixDa: "tilføj \"options\": [{\"value\": 0, \"label\": {…}}, …]")
            }
            return nil
        }
        guard elements.count >= 2 else {
            problem(
                join(path, "options"),
                elements.isEmpty ? "the list of options is empty" : "a choice needs at least two options",
                fix: "add the options, each with a value and a label",
                da: elements.isEmpty
                    ? "listen over svarmuligheder er tom" : "et valg skal have mindst to svarmuligheder",
                fixDa: "tilføj svarmulighederne, hver med en værdi og en tekst")
            return nil
        }
        var options: [ChoiceOption] = []
        var complete = true
        for (index, element) in elements.enumerated() {
            let optionPath = join(path, "options[\(index)]")
            guard
                let option = object(
                    element, optionPath, required: ["value", "label"], optional: ["code", "system"]),
                let value = itemNumber(option, "value", optionPath),
                let label = localized(option, "label", optionPath)
            else {
                complete = false
                continue
            }
            if options.contains(where: { $0.value == value }) {
                problem(
                    join(optionPath, "value"), "the value \(format(value)) is used by two options",
                    fix: "give every option its own value",
                    da: "værdien \(formatDa(value)) bruges af to svarmuligheder",
                    fixDa: "giv hver svarmulighed sin egen værdi")
                complete = false
            }
            options.append(
                ChoiceOption(
                    value: value, code: string(option, "code", optionPath),
                    system: string(option, "system", optionPath),
                    label: label))
        }
        return complete ? options : nil
    }

    private mutating func numberRange(_ members: [String: JSONValue], _ path: String) -> NumberRange? {
        for key in ["min", "max"] where members[key] == nil {
            problem(
                path, "a number item needs \"\(key)\"", fix: "add \"\(key)\"",
                da: "et talspørgsmål skal have \"\(key)\"",
                fixDa: "tilføj \"\(key)\"")
        }
        guard let low = itemNumber(members, "min", path), let high = itemNumber(members, "max", path),
            checkRange(low, high, path)
        else { return nil }
        return NumberRange(min: low, max: high, integer: bool(members, "integer", path) ?? false)
    }

    private mutating func safetyRule(_ value: JSONValue, _ path: String, kind: ItemKind?) -> SafetyRule? {
        guard let members = object(value, path, required: ["when", "value", "text"]) else { return nil }
        let when = oneOf(members, "when", path, as: SafetyRule.Comparison.self)
        let threshold = number(members, "value", path)
        let text = localized(members, "text", path)
        if case .text? = kind {
            problem(
                path, "a text item has no number to compare", fix: "remove \"safety\" from this item",
                da: "et tekstspørgsmål har intet tal at sammenligne",
                fixDa: "fjern \"safety\" fra dette spørgsmål")
            return nil
        }
        guard let when, let threshold, let text else { return nil }
        if let range = kind.flatMap(answerRange), !range.contains(threshold) {
            problem(
                join(path, "value"),
                "\(format(threshold)) lies outside the item's range \(format(range.lowerBound))–\(format(range.upperBound))",
                fix: "choose a value inside the range",
                da:
                    "\(formatDa(threshold)) ligger uden for spørgsmålets interval \(formatDa(range.lowerBound))–\(formatDa(range.upperBound))",
                fixDa: "vælg en værdi inden for intervallet")
            return nil
        }
        return SafetyRule(when: when, value: threshold, text: text)
    }

    private func answerRange(_ kind: ItemKind) -> ClosedRange<Double>? {
        switch kind {
        case .scale(let scale): return scale.min...scale.max
        case .number(let range): return range.min...range.max
        case .choice(let options):
            let values = options.map(\.value)
            return values.min()!...values.max()!
        case .text: return nil
        }
    }

    private mutating func goalSettings(_ value: JSONValue) -> GoalSettings? {
        let path = "goals"
        guard
            let members = object(
                value, path, required: ["maxGoals", "rating", "goalPrompt", "ratingPrompt"])
        else { return nil }
        let maxGoals = integer(members, "maxGoals", path, minimum: 1)
        let goalPrompt = localized(members, "goalPrompt", path)
        let ratingPrompt = localized(members, "ratingPrompt", path)
        var rating: Scale?
        if let ratingValue = members["rating"],
            let ratingMembers = object(
                ratingValue, join(path, "rating"), required: ["min", "max", "step", "anchors"])
        {
            rating = scale(ratingMembers, join(path, "rating"))
        }
        guard let maxGoals, let goalPrompt, let ratingPrompt, let rating else { return nil }
        return GoalSettings(
            maxGoals: maxGoals, rating: rating, goalPrompt: goalPrompt, ratingPrompt: ratingPrompt)
    }

    // MARK: Scoring

    private mutating func scoring(_ value: JSONValue?, items: [Item], goals: GoalSettings?) -> Scoring? {
        let path = "scoring"
        guard
            let members = object(
                value, path, required: ["method", "range"],
                optional: [
                    "multiplier", "offset", "direction", "decimals", "maxSkipped", "subscales", "verified",
                    "note", "statedTotals",
                ])
        else { return nil }
        let method = oneOf(members, "method", path, as: Scoring.Method.self)
        let multiplier = number(members, "multiplier", path) ?? 1
        let offset = number(members, "offset", path) ?? 0
        // "unset": an imported questionnaire whose direction is not known yet (no flags, no categories).
        let directionStated = members["direction"] != .string("unset")
        let direction =
            members["direction"] == nil || !directionStated
            ? Scoring.Direction.higherIsBetter : oneOf(members, "direction", path, as: Scoring.Direction.self)
        var statedTotals: [String] = []
        if let listed = members["statedTotals"] {
            if case .array(let values) = listed,
                values.allSatisfy({ if case .string = $0 { true } else { false } })
            {
                statedTotals = values.compactMap { if case .string(let id) = $0 { id } else { nil } }
            } else {
                problem(
                    join(path, "statedTotals"), "expected a list of linkIds, found \(listed.typeDescription)",
                    fix: "write [\"total\"], or remove it",
                    da: "forventede en liste af linkId'er, men fandt \(listed.danishTypeDescription)",
                    fixDa: "skriv [\"total\"], eller fjern den")
            }
        }
        let decimals = members["decimals"] == nil ? 1 : integer(members, "decimals", path, minimum: 0)
        let maxSkipped = members["maxSkipped"] == nil ? 0 : integer(members, "maxSkipped", path, minimum: 0)
        var range: ClosedRange<Double>?
        if let rangeValue = members["range"],
            let rangeMembers = object(rangeValue, join(path, "range"), required: ["min", "max"]),
            let low = number(rangeMembers, "min", join(path, "range")),
            let high = number(rangeMembers, "max", join(path, "range")),
            checkRange(low, high, join(path, "range"))
        {
            range = low...high
        }
        if multiplier == 0 {
            problem(
                join(path, "multiplier"), "a multiplier of 0 makes every total the same",
                fix: "use 1, or the factor of the transform",
                da: "en multiplikator på 0 gør alle totaler ens",
                fixDa: "brug 1 eller transformationens faktor")
        }
        let scored = items.filter(\.isScored)
        if let maxSkipped, maxSkipped > 0, maxSkipped >= scored.count, goals == nil {
            problem(
                join(path, "maxSkipped"), "\(maxSkipped) skipped items would leave nothing to score",
                fix: "allow fewer than \(scored.count) skipped items",
                da: "med \(maxSkipped) oversprungne spørgsmål er der intet tilbage at beregne",
                fixDa: "tillad færre end \(scored.count) oversprungne spørgsmål")
        }
        if goals == nil && scored.isEmpty && !items.isEmpty {
            problem(
                path, "no item gives a number to score", fix: "add a scale, choice or number item",
                da: "intet spørgsmål giver et tal at beregne scoren ud fra",
                fixDa: "tilføj et skala-, valg- eller talspørgsmål")
        }
        // The range must hold every total the items can produce.
        if let method, let range, goals == nil, !scored.isEmpty,
            let reach = reachableRange(scored, method: method, multiplier: multiplier, offset: offset)
        {
            if reach.lowerBound < range.lowerBound - 1e-9 || reach.upperBound > range.upperBound + 1e-9 {
                problem(
                    join(path, "range"),
                    "the items give totals from \(format(reach.lowerBound)) to \(format(reach.upperBound)), outside the declared range \(format(range.lowerBound))–\(format(range.upperBound))",
                    fix:
                        "set the range to \(format(reach.lowerBound))–\(format(reach.upperBound)), or correct the multiplier",
                    da:
                        "spørgsmålene giver totaler fra \(formatDa(reach.lowerBound)) til \(formatDa(reach.upperBound)), uden for det angivne interval \(formatDa(range.lowerBound))–\(formatDa(range.upperBound))",
                    fixDa:
                        "sæt intervallet (range) til \(format(reach.lowerBound))–\(format(reach.upperBound)), eller ret multiplikatoren"
                )
            }
        }
        let subscales = subscaleList(members, items: items)
        guard let method, let direction, let decimals, let maxSkipped, let range, let subscales else {
            return nil
        }
        return Scoring(
            method: method, multiplier: multiplier, offset: offset, range: range, direction: direction,
            decimals: decimals, maxSkipped: maxSkipped, subscales: subscales,
            provenance: provenance(members, path), directionStated: directionStated,
            statedTotals: statedTotals)
    }

    private func reachableRange(_ items: [Item], method: Scoring.Method, multiplier: Double, offset: Double)
        -> ClosedRange<Double>?
    {
        let ranges = items.compactMap { answerRange($0.kind) }
        var low = ranges.map(\.lowerBound).reduce(0, +)
        var high = ranges.map(\.upperBound).reduce(0, +)
        if method == .mean {
            low /= Double(ranges.count)
            high /= Double(ranges.count)
        }
        let ends = [low * multiplier + offset, high * multiplier + offset]
        return ends.min()!...ends.max()!
    }

    private mutating func subscaleList(_ members: [String: JSONValue], items: [Item]) -> [Subscale]? {
        guard let elements = array(members, "subscales", "scoring") else { return [] }
        var result: [Subscale] = []
        var complete = true
        for (index, element) in elements.enumerated() {
            let path = "scoring.subscales[\(index)]"
            guard
                let sub = object(
                    element, path, required: ["id", "label", "items", "method"], optional: ["multiplier"]),
                let id = string(sub, "id", path), let label = localized(sub, "label", path),
                let method = oneOf(sub, "method", path, as: Scoring.Method.self),
                let itemValues = array(sub, "items", path)
            else {
                complete = false
                continue
            }
            var ids: [String] = []
            for (itemIndex, itemValue) in itemValues.enumerated() {
                guard case .string(let itemID) = itemValue, items.contains(where: { $0.id == itemID }) else {
                    problem(
                        "\(path).items[\(itemIndex)]", "\(render(itemValue)) is not the id of an item",
                        fix: "use one of \(items.map(\.id).joined(separator: ", "))",
                        da: "\(render(itemValue, danish: true)) er ikke id'et på et spørgsmål",
                        fixDa: "brug et af \(items.map(\.id).joined(separator: ", "))")
                    complete = false
                    continue
                }
                ids.append(itemID)
            }
            if id == "total" || result.contains(where: { $0.id == id }) {
                problem(
                    join(path, "id"), "the subscale id \"\(id)\" is taken", fix: "choose another id",
                    da: "delskala-id'et \"\(id)\" er allerede brugt",
                    fixDa: "vælg et andet id")
                complete = false
            }
            result.append(
                Subscale(
                    id: id, label: label, items: ids, method: method,
                    multiplier: number(sub, "multiplier", path) ?? 1))
        }
        return complete ? result : nil
    }

    // MARK: Interpretation

    private mutating func interpretation(_ value: JSONValue, scoring: Scoring?) -> Interpretation? {
        let path = "interpretation"
        guard let members = object(value, path, required: [], optional: ["cutoffs", "reliableChange"]) else {
            return nil
        }
        var cutoffs: [Cutoff] = []
        var complete = true
        for (index, element) in (array(members, "cutoffs", path) ?? []).enumerated() {
            if let cutoff = cutoff(element, "\(path).cutoffs[\(index)]", scoring: scoring) {
                cutoffs.append(cutoff)
            } else {
                complete = false
            }
        }
        var reliableChange: ReliableChange?
        if let rcValue = members["reliableChange"] {
            reliableChange = self.reliableChange(rcValue, join(path, "reliableChange"), scoring: scoring)
            if reliableChange == nil { complete = false }
        }
        return complete ? Interpretation(cutoffs: cutoffs, reliableChange: reliableChange) : nil
    }

    private mutating func cutoff(_ value: JSONValue, _ path: String, scoring: Scoring?) -> Cutoff? {
        guard
            let members = object(
                value, path, required: [], optional: ["ages", "value", "norms", "verified", "note"])
        else { return nil }
        let ages = members["ages"].flatMap { ageBand($0, join(path, "ages")) }
        let rule: Cutoff.Rule
        switch (members["value"], members["norms"]) {
        case (.some, nil):
            guard let number = number(members, "value", path) else { return nil }
            rule = .fixed(number)
        case (nil, .some(let normsValue)):
            guard let norms = norms(normsValue, join(path, "norms")) else { return nil }
            rule = .norms(norms)
        default:
            problem(
                path, "a cut-off needs either \"value\" or \"norms\", not both or neither",
                fix: "keep exactly one of them",
                da:
                    "en cut-off-værdi skal have enten \"value\" eller \"norms\", ikke begge og ikke ingen af dem",
                fixDa: "behold præcis én af dem")
            return nil
        }
        let cutoff = Cutoff(ages: ages, rule: rule, provenance: provenance(members, path))
        if let scoring {
            let score = cutoff.value(direction: scoring.direction)
            if !scoring.range.contains(score) {
                problem(
                    members["value"] != nil ? join(path, "value") : join(path, "norms"),
                    "the cut-off \(format(score)) lies outside the score range \(format(scoring.range.lowerBound))–\(format(scoring.range.upperBound))",
                    fix: "choose a cut-off inside the range",
                    da:
                        "cut-off-værdien \(formatDa(score)) ligger uden for scoreintervallet \(formatDa(scoring.range.lowerBound))–\(formatDa(scoring.range.upperBound))",
                    fixDa: "vælg en cut-off-værdi inden for intervallet")
                return nil
            }
        }
        return cutoff
    }

    private mutating func norms(_ value: JSONValue, _ path: String) -> Norms? {
        guard let members = object(value, path, required: ["clinical", "type"], optional: ["functional"])
        else {
            return nil
        }
        let clinical = meanSD(members["clinical"], join(path, "clinical"))
        let functional = members["functional"].flatMap { meanSD($0, join(path, "functional")) }
        guard let type = oneOf(members, "type", path, as: Norms.CutoffType.self), let clinical else {
            return nil
        }
        if type != .a && functional == nil {
            problem(
                path, "cut-off type \(type.rawValue) needs the functional population's norms",
                fix: "add \"functional\": {\"mean\": …, \"sd\": …}, or use type a",
                da:
                    "cut-off-type \(type.rawValue) kræver normer for den velfungerende (funktionelle) population",
                fixDa: "tilføj \"functional\": {\"mean\": …, \"sd\": …}, eller brug type a")
            return nil
        }
        return Norms(clinical: clinical, functional: functional, type: type)
    }

    private mutating func meanSD(_ value: JSONValue?, _ path: String) -> MeanSD? {
        guard let members = object(value, path, required: ["mean", "sd"]),
            let mean = number(members, "mean", path), let sd = number(members, "sd", path)
        else { return nil }
        guard sd > 0 else {
            problem(
                join(path, "sd"), "a standard deviation of \(format(sd)) is not positive",
                fix: "write the standard deviation, e.g. 7.5",
                da: "en standardafvigelse på \(formatDa(sd)) er ikke positiv",
                fixDa: "skriv standardafvigelsen, fx 7.5")
            return nil
        }
        return MeanSD(mean: mean, sd: sd)
    }

    private mutating func reliableChange(_ value: JSONValue, _ path: String, scoring: Scoring?)
        -> ReliableChange?
    {
        guard
            let members = object(
                value, path, required: [],
                optional: ["points", "reliability", "sd", "sem", "verified", "note"])
        else { return nil }
        let given = ["points", "reliability", "sem"].filter { members[$0] != nil }
        let method: ReliableChange.Method
        switch given {
        case ["points"]:
            guard let points = number(members, "points", path) else { return nil }
            method = .points(points)
        case ["reliability"]:
            guard let r = number(members, "reliability", path) else { return nil }
            guard let sd = number(members, "sd", path) else {
                problem(
                    path, "a reliability needs the standard deviation beside it", fix: "add \"sd\"",
                    da: "en reliabilitet skal have standardafvigelsen ved siden af",
                    fixDa: "tilføj \"sd\"")
                return nil
            }
            guard r > 0, r < 1 else {
                problem(
                    join(path, "reliability"), "a reliability of \(format(r)) is not between 0 and 1",
                    fix: "write it as a fraction, e.g. 0.8",
                    da: "en reliabilitet på \(formatDa(r)) ligger ikke mellem 0 og 1",
                    fixDa: "skriv den som decimaltal, fx 0.8")
                return nil
            }
            guard sd > 0 else {
                problem(
                    join(path, "sd"), "a standard deviation of \(format(sd)) is not positive",
                    fix: "write a positive number",
                    da: "en standardafvigelse på \(formatDa(sd)) er ikke positiv",
                    fixDa: "skriv et positivt tal")
                return nil
            }
            method = .reliability(r: r, sd: sd)
        case ["sem"]:
            guard let sem = number(members, "sem", path) else { return nil }
            method = .standardError(sem)
        default:
            problem(
                path,
                "reliable change needs exactly one of \"points\", \"reliability\" (with \"sd\") or \"sem\"",
                fix: "keep one of them",
                da:
                    "pålidelig ændring kræver præcis én af \"points\", \"reliability\" (med \"sd\") eller \"sem\"",
                fixDa: "behold én af dem")
            return nil
        }
        let change = ReliableChange(method: method, provenance: provenance(members, path))
        if change.threshold <= 0 {
            problem(
                path, "a reliable change of \(format(change.threshold)) points is not positive",
                fix: "write a positive number",
                da: "en pålidelig ændring på \(formatDa(change.threshold)) point er ikke positiv",
                fixDa: "skriv et positivt tal")
            return nil
        }
        if let scoring, change.threshold > scoring.range.upperBound - scoring.range.lowerBound {
            problem(
                path,
                "a reliable change of \(format(change.threshold)) points is larger than the whole score range \(format(scoring.range.lowerBound))–\(format(scoring.range.upperBound))",
                fix: "check the number; it must be smaller than the range",
                da:
                    "en pålidelig ændring på \(formatDa(change.threshold)) point er større end hele scoreintervallet \(formatDa(scoring.range.lowerBound))–\(formatDa(scoring.range.upperBound))",
                fixDa: "tjek tallet; det skal være mindre end intervallet")
            return nil
        }
        return change
    }

    // MARK: Flags

    private mutating func flagList(_ members: [String: JSONValue], scoring: Scoring?, goals: GoalSettings?)
        -> [FlagRule]?
    {
        guard let elements = array(members, "flags", "") else { return [] }
        var rules: [FlagRule] = []
        var complete = true
        for (index, element) in elements.enumerated() {
            if let rule = flagRule(element, "flags[\(index)]", scoring: scoring, goals: goals) {
                rules.append(rule)
            } else {
                complete = false
            }
        }
        return complete ? rules : nil
    }

    private mutating func flagRule(
        _ value: JSONValue, _ path: String, scoring: Scoring?, goals: GoalSettings?
    ) -> FlagRule? {
        let parameters: [String: [String]] = [
            "notOnTrack": ["sessions"], "reliableDeterioration": ["from"], "worseThan": ["value"],
            "drop": ["from", "points"], "goalStalled": ["ratings"], "goalReached": ["value"],
            "overdue": ["days"],
            "companionMissing": ["instrument"],
        ]
        guard case .object = value else {
            _ = object(value, path, required: ["rule"])
            return nil
        }
        guard case .string(let name)? = value["rule"], let required = parameters[name] else {
            let found = value["rule"].map { render($0) } ?? "nothing"
            let foundDa = value["rule"].map { render($0, danish: true) } ?? "ingenting"
            problem(
                join(path, "rule"), "\(found) is not a flag rule",
                fix: closest(to: found.trimmingCharacters(in: "\""), in: FlagRule.names).map {
                    "write \"\($0)\""
                }
                    ?? "write one of \(FlagRule.names.joined(separator: ", "))",
                da: "\(foundDa) er ikke en flagregel",
                fixDa: closest(to: found.trimmingCharacters(in: "\""), in: FlagRule.names).map {
                    "skriv \"\($0)\""
                } ?? "skriv en af \(FlagRule.names.joined(separator: ", "))")
            return nil
        }
        guard
            let members = object(value, path, required: ["rule"] + required, optional: ["verified", "note"])
        else {
            return nil
        }
        let kind: FlagRule.Kind?
        switch name {
        case "notOnTrack":
            kind = integer(members, "sessions", path, minimum: 2).map { .notOnTrack(sessions: $0) }
        case "reliableDeterioration":
            kind = oneOf(members, "from", path, as: FlagRule.Baseline.self).map {
                .reliableDeterioration(from: $0)
            }
        case "worseThan", "goalReached":
            guard let threshold = number(members, "value", path) else { return nil }
            let range = name == "goalReached" ? goals.map { $0.rating.min...$0.rating.max } : scoring?.range
            if let range, !range.contains(threshold) {
                problem(
                    join(path, "value"),
                    "the threshold \(format(threshold)) lies outside the score range \(format(range.lowerBound))–\(format(range.upperBound))",
                    fix: "choose a threshold inside the range",
                    da:
                        "tærsklen \(formatDa(threshold)) ligger uden for scoreintervallet \(formatDa(range.lowerBound))–\(formatDa(range.upperBound))",
                    fixDa: "vælg en tærskel inden for intervallet")
                return nil
            }
            kind = name == "worseThan" ? .worseThan(threshold) : .goalReached(threshold)
        case "drop":
            let from = oneOf(members, "from", path, as: FlagRule.Baseline.self)
            guard let points = number(members, "points", path), let from else { return nil }
            if let range = scoring?.range, points <= 0 || points > range.upperBound - range.lowerBound {
                problem(
                    join(path, "points"),
                    "a drop of \(format(points)) points cannot happen on the range \(format(range.lowerBound))–\(format(range.upperBound))",
                    fix: "choose a positive number smaller than the range",
                    da:
                        "et fald på \(formatDa(points)) point kan ikke forekomme på intervallet \(formatDa(range.lowerBound))–\(formatDa(range.upperBound))",
                    fixDa: "vælg et positivt tal, der er mindre end intervallet")
                return nil
            }
            kind = .drop(from: from, points: points)
        case "goalStalled":
            kind = integer(members, "ratings", path, minimum: 2).map { .goalStalled(ratings: $0) }
        case "overdue":
            kind = integer(members, "days", path, minimum: 1).map { .overdue(days: $0) }
        default:
            kind = string(members, "instrument", path).map { .companionMissing(instrument: $0) }
        }
        if (name == "goalStalled" || name == "goalReached") && goals == nil {
            problem(
                path, "the rule \(name) needs a goal-based instrument", fix: "remove it, or add \"goals\"",
                da: "reglen \(name) kræver et målbaseret instrument",
                fixDa: "fjern den, eller tilføj \"goals\"")
            return nil
        }
        guard let kind else { return nil }
        return FlagRule(kind: kind, provenance: provenance(members, path))
    }

    // MARK: Helpers

    private func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
    }

    private func render(_ value: JSONValue, danish: Bool = false) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return format(number)
        case .string(let text): return "\"\(text)\""
        case .array: return danish ? "en liste" : "an array"
        case .object: return danish ? "et objekt" : "an object"
        }
    }

    /// The allowed word nearest to a misspelt one, if it is near enough to be a typo.
    private func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= Swift.max(2, word.count / 3) else {
            return nil
        }
        return best.0
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...Swift.max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...Swift.max(b.count, 1) where !b.isEmpty {
                current[j] = Swift.min(
                    previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

/// Formats a number the way instrument files write it: 5, 2.5, 0.1.
func format(_ number: Double) -> String {
    NumberText.shortest(number)
}

/// Returns `number` as Danish prose writes it, with a decimal comma (JSON in a fix keeps the point).
func formatDa(_ number: Double) -> String {
    String(format(number).map { $0 == "." ? "," : $0 })
}

extension String {
    func trimmingWhitespace() -> Substring {
        let trimmedStart = drop { $0.isWhitespace }
        return trimmedStart.dropLast(trimmedStart.reversed().prefix { $0.isWhitespace }.count)
    }

    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
