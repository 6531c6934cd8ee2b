import Foundation
import InstrumentModel
import Storage
import Support

extension ResponseExport {
    /// The bundle entries of a chunk of administrations, each after `,\n    `: the text of
    /// `Entries.of(_:)` rendered two levels deep, with each instrument's texts looked up once.
    static func entriesText(
        of chunk: [StoredAdministration], catalogue: InstrumentCatalogue, language: Language, base: String?
    ) -> [UInt8] {
        var instruments: [String: InstrumentTexts?] = [:]
        return PrettyJSON.text(capacity: chunk.count * 4096, depth: 2) { json in
            for administration in chunk {
                let id = administration.content.instrument
                let instrument: InstrumentTexts?
                if let known = instruments[id] {
                    instrument = known
                } else {
                    instrument = (try? catalogue.instrument(id)).map {
                        InstrumentTexts($0, language: language)
                    }
                    instruments[id] = instrument
                }
                appendEntries(
                    of: administration, instrument: instrument, language: language, base: base, to: &json)
            }
        }
    }

    /// Appends the bundle entries of `administration` (its response and, with a total, its
    /// observation) to `json`, each after `,\n    `: the text of `Entries.of(_:)` rendered two
    /// levels deep, written straight into text with no JSON tree in between.
    ///
    /// An export writes a million of these; `response` and `observation` say the same as values
    /// (for tests and small documents), and the export tests hold the two to the same bytes.
    fileprivate static func appendEntries(
        of administration: StoredAdministration, instrument: InstrumentTexts?, language: Language,
        base: String?,
        to json: inout PrettyJSON
    ) {
        let content = administration.content
        var responseURL: [UInt8] = []
        FHIR.appendUUID(administration.id, to: &responseURL)
        json.separate()
        json.open("{")
        json.key("fullUrl")
        json.quoted(responseURL)
        json.key("resource")
        json.open("{")
        json.key("resourceType")
        json.constant("QuestionnaireResponse")
        json.key("id")
        json.string(administration.id)
        json.key("meta")
        json.open("{")
        json.key("lastUpdated")
        json.instant(administration.time)
        json.close("}")
        json.key("extension")
        json.open("[")
        json.element()
        json.open("{")
        json.key("url")
        json.string(FHIR.respondentExtension)
        json.key("valueCode")
        json.string(content.respondent)
        json.close("}")
        if let comment = content.comment {
            json.element()
            json.open("{")
            json.key("url")
            json.string(FHIR.commentExtension)
            json.key("valueString")
            json.string(comment)
            json.close("}")
        }
        if let age = content.age {
            json.element()
            json.open("{")
            json.key("url")
            json.string(FHIR.ageExtension)
            json.key("valueInteger")
            json.number(Double(age))
            json.close("}")
        }
        json.close("]")
        json.key("questionnaire")
        json.string(FHIR.canonical(content.instrument, base: base), "|", content.instrumentVersion)
        json.key("status")
        json.constant("completed")
        json.key("subject")
        json.subject(administration.caseID)
        json.key("authored")
        json.string(content.date)
        if let worker = content.worker {
            json.key("author")
            json.open("{")
            json.key("identifier")
            json.open("{")
            json.key("system")
            json.string(FHIR.workerSystem)
            json.key("value")
            json.string(worker)
            json.close("}")
            json.close("}")
        }
        json.key("item")
        json.open("[")
        if let instrument {
            json.items(content, instrument, goalTexts: administration.goalTexts)
        } else {
            json.unknownItems(content)
        }
        json.close("]")
        json.close("}")
        json.close("}")
        if let total = content.scores["total"] {
            json.separate()
            json.open("{")
            json.key("fullUrl")
            json.uuid(administration.id + "/total")
            json.key("resource")
            json.observation(
                administration, total: total, instrument: instrument, responseURL: responseURL,
                language: language)
            json.close("}")
        }
    }
}

/// Pretty-printed JSON written straight into text, laid out as `JSONValue.rendered(depth:)` lays
/// it out: a member or element on a line of its own, indented two spaces a level; an empty
/// object or array as `{}` or `[]`.
///
/// The text is kept in memory of its own, grown as needed, rather than in an array: a million
/// entries are written in some sixty pieces each, and a piece is then one check of room and a
/// copy, not an array's append.
private struct PrettyJSON {
    /// The text so far: `count` bytes of `capacity`, valid only inside `text(capacity:depth:_:)`.
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Bytes written by functions that append to an array, before they are copied to the text.
    private var scratch: [UInt8] = []
    /// How deep the innermost open object or array stands.
    private var depth: Int
    /// How many objects and arrays are open.
    private var level = 0
    /// Whether each open object or array has a member or element yet, a bit for each level (a
    /// word rather than an array: a million entries open and close thirty each).
    private var filled: UInt64 = 0
    /// A comma, a line break and enough spaces for any indentation; static text, so that taking
    /// some counts no references.
    private static let lineBreak: StaticString =
        ",\n                                                                "

    private init(capacity: Int, depth: Int) {
        self.capacity = max(capacity, 64)
        start = .allocate(capacity: self.capacity)
        self.depth = depth - 1
    }

    /// Returns the text `body` writes, starting `depth` levels deep, with room for `capacity`
    /// bytes made at the start.
    static func text(capacity: Int, depth: Int, _ body: (inout PrettyJSON) -> Void) -> [UInt8] {
        var json = PrettyJSON(capacity: capacity, depth: depth)
        defer { json.start.deallocate() }
        body(&json)
        return Array(UnsafeBufferPointer(start: json.start, count: json.count))
    }

    /// Makes room for `more` bytes after the text.
    @inline(__always)
    private mutating func reserve(_ more: Int) {
        if count + more > capacity { grow(count + more) }
    }

    private mutating func grow(_ needed: Int) {
        let larger = max(needed, 2 * capacity)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = larger
    }

    @inline(__always)
    private mutating func byte(_ byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func bytes(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        reserve(length)
        (start + count).initialize(from: bytes, count: length)
        count += length
    }

    private mutating func bytes(_ text: StaticString) {
        bytes(text.utf8Start, text.utf8CodeUnitCount)
    }

    /// Copies what a function that appends to an array writes.
    private mutating func appending(_ write: (inout [UInt8]) -> Void) {
        scratch.removeAll(keepingCapacity: true)
        write(&scratch)
        scratch.withUnsafeBufferPointer { bytes($0.baseAddress!, $0.count) }
    }

    /// Starts a bundle entry after the one before: `,\n    `.
    mutating func separate() {
        newline(2, comma: true)
    }

    mutating func open(_ bracket: StaticString) {
        byte(bracket.utf8Start.pointee)
        depth += 1
        level += 1
        precondition(level < UInt64.bitWidth, "JSON nested deeper than a bundle entry goes")
        filled &= ~(1 << level)
    }

    mutating func close(_ bracket: StaticString) {
        if filled & (1 << level) != 0 { newline(depth) }
        byte(bracket.utf8Start.pointee)
        depth -= 1
        level -= 1
    }

    /// Starts the next element of the open array.
    mutating func element() {
        // The comma, the line break and the indentation in one copy.
        let comma = filled & (1 << level) != 0
        filled |= 1 << level
        newline(depth + 1, comma: comma)
    }

    /// Starts the member `name` (which needs no escapes) of the open object.
    mutating func key(_ name: StaticString) {
        element()
        let length = name.utf8CodeUnitCount
        reserve(length + 4)
        start[count] = UInt8(ascii: "\"")
        (start + count + 1).initialize(from: name.utf8Start, count: length)
        start[count + 1 + length] = UInt8(ascii: "\"")
        start[count + 2 + length] = UInt8(ascii: ":")
        start[count + 3 + length] = UInt8(ascii: " ")
        count += length + 4
    }

    /// Writes `text` escaped as in a JSON string, without the quotes: as `JSONString.quote`
    /// escapes it, scalar by scalar, so that parts escaped one by one are the whole escaped.
    private mutating func escaped(_ text: String) {
        var text = text
        let plain = text.withUTF8 { utf8 in
            guard !utf8.contains(where: JSONString.needsEscape) else { return false }
            if let base = utf8.baseAddress { bytes(base, utf8.count) }
            return true
        }
        guard !plain else { return }
        scratch.removeAll(keepingCapacity: true)
        JSONString.quote(text, into: &scratch)
        scratch.withUnsafeBufferPointer { bytes($0.baseAddress! + 1, $0.count - 2) }
    }

    mutating func string(_ text: String) {
        byte(UInt8(ascii: "\""))
        escaped(text)
        byte(UInt8(ascii: "\""))
    }

    /// `text` followed by `joiner` and `rest` as one string.
    mutating func string(_ text: String, _ joiner: StaticString, _ rest: String = "") {
        byte(UInt8(ascii: "\""))
        escaped(text)
        bytes(joiner)
        escaped(rest)
        byte(UInt8(ascii: "\""))
    }

    /// A string that needs no escapes.
    mutating func constant(_ text: StaticString) {
        quoted(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string of `bytes`, which need no escapes.
    mutating func quoted(_ text: UnsafeBufferPointer<UInt8>) {
        byte(UInt8(ascii: "\""))
        if let base = text.baseAddress { bytes(base, text.count) }
        byte(UInt8(ascii: "\""))
    }

    /// A string of `bytes`, which need no escapes.
    mutating func quoted(_ text: [UInt8]) {
        text.withUnsafeBufferPointer { quoted($0) }
    }

    mutating func uuid(_ key: String) {
        byte(UInt8(ascii: "\""))
        appending { FHIR.appendUUID(key, to: &$0) }
        byte(UInt8(ascii: "\""))
    }

    mutating func instant(_ time: Date) {
        byte(UInt8(ascii: "\""))
        appending { TimeFormat.appendInstant(time, to: &$0) }
        byte(UInt8(ascii: "\""))
    }

    mutating func number(_ value: Double) {
        // As `JSONValue.numberText` writes a number that is not finite.
        if value.isFinite {
            appending { NumberText.appendShortest(value, to: &$0) }
        } else {
            bytes("null")
        }
    }

    /// Starts a new line indented `indent` levels, after a comma when `comma` is set.
    private mutating func newline(_ indent: Int, comma: Bool = false) {
        let text = Self.lineBreak
        let skipped = comma ? 0 : 1
        if 2 + indent * 2 <= text.utf8CodeUnitCount {
            bytes(text.utf8Start + skipped, 2 - skipped + indent * 2)
        } else {
            if comma { byte(UInt8(ascii: ",")) }
            byte(UInt8(ascii: "\n"))
            for _ in 0..<indent * 2 { byte(UInt8(ascii: " ")) }
        }
    }

    /// `ResponseExport.subject`.
    mutating func subject(_ caseID: String) {
        open("{")
        key("identifier")
        open("{")
        key("system")
        string(FHIR.caseSystem)
        key("value")
        string(caseID)
        close("}")
        close("}")
    }

    /// An array holding one object of one member, `name`, whose value `value` writes.
    mutating func answer(_ name: StaticString, _ value: (inout PrettyJSON) -> Void) {
        open("[")
        element()
        open("{")
        key(name)
        value(&self)
        close("}")
        close("]")
    }

    /// The elements of `ResponseExport.items`.
    mutating func items(
        _ content: AdministrationRecord, _ instrument: InstrumentTexts, goalTexts: [String: String]
    ) {
        if let goalPrompt = instrument.goalPrompt {
            for goal in content.answers.keys.sorted(by: AdministrationTable.naturalOrder) {
                guard case .number(let rating) = content.answers[goal]! else { continue }
                element()
                open("{")
                key("id")
                string(goal)
                key("linkId")
                constant("goal")
                key("text")
                string(goalPrompt)
                key("item")
                open("[")
                element()
                open("{")
                key("linkId")
                constant("goal-text")
                key("answer")
                answer("valueString") { $0.string(goalTexts[goal] ?? goal) }
                close("}")
                element()
                open("{")
                key("linkId")
                constant("goal-rating")
                key("answer")
                open("[")
                element()
                numberAnswer(rating, integer: true)
                close("]")
                close("}")
                close("]")
                close("}")
            }
            return
        }
        for item in instrument.items {
            guard let answer = content.answers[item.id], answer != .skipped else { continue }
            element()
            open("{")
            key("linkId")
            string(item.id)
            key("text")
            string(item.text)
            key("answer")
            open("[")
            element()
            value(answer, item.kind)
            close("]")
            close("}")
        }
    }

    /// The elements of `ResponseExport.unknownItems`.
    mutating func unknownItems(_ content: AdministrationRecord) {
        for key in content.answers.keys.sorted() {
            switch content.answers[key]! {
            case .number(let value):
                element()
                open("{")
                self.key("linkId")
                string(key)
                self.key("answer")
                answer("valueDecimal") { $0.number(value) }
                close("}")
            case .text(let words):
                element()
                open("{")
                self.key("linkId")
                string(key)
                self.key("answer")
                answer("valueString") { $0.string(words) }
                close("}")
            case .skipped: continue
            }
        }
    }

    /// `ResponseExport.value` of an answer that is not skipped.
    mutating func value(_ answer: Answer, _ kind: InstrumentTexts.Kind) {
        switch (answer, kind) {
        case (.skipped, _):
            preconditionFailure("a skipped answer has no value")
        case (.text(let words), _):
            open("{")
            key("valueString")
            string(words)
            close("}")
        case (.number(let value), .choice(let options)):
            guard let option = options.first(where: { $0.value == value }) else {
                open("{")
                key("valueDecimal")
                number(value)
                close("}")
                return
            }
            open("{")
            key("valueCoding")
            open("{")
            key("extension")
            open("[")
            element()
            open("{")
            key("url")
            string(FHIR.ordinalValue)
            key("valueDecimal")
            number(option.value)
            close("}")
            close("]")
            key("system")
            string(option.system)
            key("code")
            string(option.code)
            key("display")
            string(option.label)
            close("}")
            close("}")
        case (.number(let value), .number(let integer)):
            numberAnswer(value, integer: integer)
        case (.number(let value), .other):
            open("{")
            key("valueDecimal")
            number(value)
            close("}")
        }
    }

    /// `ResponseExport.numberAnswer`.
    mutating func numberAnswer(_ value: Double, integer: Bool) {
        open("{")
        key(integer && value == value.rounded() ? "valueInteger" : "valueDecimal")
        number(value)
        close("}")
    }

    /// `ResponseExport.observation`.
    mutating func observation(
        _ administration: StoredAdministration, total: Double, instrument: InstrumentTexts?,
        responseURL: [UInt8],
        language: Language
    ) {
        let title = instrument?.title ?? administration.content.instrument.uppercased()
        let whole = (instrument?.decimals ?? 1) == 0 && total == total.rounded()
        open("{")
        key("resourceType")
        constant("Observation")
        key("id")
        string(administration.id, "-total")
        key("status")
        constant("final")
        key("category")
        open("[")
        element()
        open("{")
        key("coding")
        open("[")
        element()
        open("{")
        key("system")
        constant("http://terminology.hl7.org/CodeSystem/observation-category")
        key("code")
        constant("survey")
        key("display")
        constant("Survey")
        close("}")
        close("]")
        close("}")
        close("]")
        key("code")
        open("{")
        key("text")
        string(title, " total")
        close("}")
        key("subject")
        subject(administration.caseID)
        key("effectiveDateTime")
        string(administration.content.date)
        if whole {
            key("valueInteger")
            number(total)
        } else {
            key("valueQuantity")
            open("{")
            key("value")
            number(total)
            key("unit")
            constant("score")
            key("system")
            constant("http://unitsofmeasure.org")
            key("code")
            constant("{score}")
            close("}")
        }
        key("derivedFrom")
        answer("reference") { $0.quoted(responseURL) }
        close("}")
    }
}

/// An instrument's texts in one language, with what `ResponseExport` writes of its items, looked
/// up once for a chunk of administrations rather than item by item for each.
struct InstrumentTexts {
    /// What an answer's value depends on of its item's kind.
    enum Kind {
        /// Options with their code, code system and label as written.
        case choice([(value: Double, code: String, system: String, label: String)])
        /// A number whose range says whether it is whole.
        case number(integer: Bool)
        case other
    }

    let title: String
    let decimals: Int
    /// The goal prompt of a goal-based instrument, else nil.
    let goalPrompt: String?
    let items: [(id: String, text: String, kind: Kind)]

    init(_ instrument: Instrument, language: Language) {
        title = instrument.title[language]
        decimals = instrument.scoring.decimals
        goalPrompt = instrument.goals.map { $0.goalPrompt[language] }
        items = instrument.items.map { item in
            let kind: Kind
            switch item.kind {
            case .choice(let options):
                kind = .choice(
                    options.map {
                        (
                            $0.value, $0.code ?? JSONValue.numberText($0.value),
                            $0.system ?? FHIR.answerSystem,
                            $0.label[language]
                        )
                    })
            case .number(let range): kind = .number(integer: range.integer)
            case .scale, .text: kind = .other
            }
            return (item.id, item.text[language], kind)
        }
    }
}
