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
                        InstrumentTexts(
                            $0, number: instruments.count, canonical: FHIR.canonical(id, base: base),
                            language: language)
                    }
                    instruments[id] = instrument
                }
                appendEntries(of: administration, instrument: instrument, base: base, to: &json)
            }
        }
    }

    /// Appends the bundle entries of `administration` (its response and, with a total, its
    /// observation) to `json`, each after `,\n    `: the text of `Entries.of(_:)` rendered two
    /// levels deep, written straight into text with no JSON tree in between.
    ///
    /// An export writes a million of these; `response` and `observation` say the same as values
    /// (for tests and small documents), and the export tests hold the two to the same bytes.
    /// Of a known instrument, what an entry says of the instrument alone (and its layout) is
    /// written once a chunk as a template (`PrettyJSON.templated`).
    fileprivate static func appendEntries(
        of administration: StoredAdministration, instrument: InstrumentTexts?, base: String?,
        to json: inout PrettyJSON
    ) {
        let content = administration.content
        var responseURL: [UInt8] = []
        FHIR.appendUUID(administration.id, to: &responseURL)
        let shape =
            (content.comment == nil ? 0 : 1) | (content.age == nil ? 0 : 2) | (content.worker == nil ? 0 : 4)
        json.templated(.responseHead, of: instrument, shape: shape) { json in
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
            json.fixed(FHIR.respondentExtension)
            json.key("valueCode")
            json.string(content.respondent)
            json.close("}")
            if let comment = content.comment {
                json.element()
                json.open("{")
                json.key("url")
                json.fixed(FHIR.commentExtension)
                json.key("valueString")
                json.string(comment)
                json.close("}")
            }
            if let age = content.age {
                json.element()
                json.open("{")
                json.key("url")
                json.fixed(FHIR.ageExtension)
                json.key("valueInteger")
                json.number(Double(age))
                json.close("}")
            }
            json.close("]")
            json.key("questionnaire")
            if let instrument {
                json.fixedThen(instrument.canonical, "|", content.instrumentVersion)
            } else {
                json.string(FHIR.canonical(content.instrument, base: base), "|", content.instrumentVersion)
            }
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
                json.fixed(FHIR.workerSystem)
                json.key("value")
                json.string(worker)
                json.close("}")
                json.close("}")
            }
            json.key("item")
            json.open("[")
        }
        if let instrument {
            json.items(content, instrument, goalTexts: administration.goalTexts)
        } else {
            json.unknownItems(content)
        }
        json.close("]")
        json.close("}")
        json.close("}")
        if let total = content.scores["total"] {
            let whole = (instrument?.decimals ?? 1) == 0 && total == total.rounded()
            json.templated(.observation, of: instrument, shape: whole ? 1 : 0) { json in
                json.separate()
                json.open("{")
                json.key("fullUrl")
                json.uuid(administration.id + "/total")
                json.key("resource")
                json.observation(
                    administration, total: total, whole: whole, instrument: instrument,
                    responseURL: responseURL)
                json.close("}")
            }
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
///
/// What a stretch of an entry says of its instrument alone, and the layout around its fields, is
/// the same in every entry of that instrument and shape; `templated` writes such a stretch once
/// as a template and then, for each entry, only its fields between the template's pieces.
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

    /// What is written: everything; a template (the fields left out, their places noted); or the
    /// fields alone, the rest copied from a template.
    private enum Mode { case direct, recording, replaying }
    private var mode = Mode.direct
    /// The templates made so far.
    private var templates: [TemplateKey: Template] = [:]
    /// What a templated stretch has called so far, mixed into one number: a template is used only
    /// for a stretch that makes the same calls.
    private var calls: UInt64 = 0
    /// Where the templated stretch began, in the text.
    private var stretchStart = 0
    /// Recording: where each field goes in the template.
    private var holes: [Int] = []
    /// Replaying: the template, its next field, how much of it is copied, and whether the
    /// stretch made other calls than the template's.
    private var template = Template(bytes: [], holes: [], calls: 0)
    private var nextHole = 0
    private var copied = 0
    private var strayed = false

    /// Which stretch of an entry a template is of.
    enum Stretch: Int {
        /// A response up to the opening of its items.
        case responseHead
        /// An answered item of the instrument's, by its number.
        case item
        /// A goal-based instrument's goal group.
        case goal
        /// A total's entry.
        case observation
    }

    private struct TemplateKey: Hashable {
        var stretch: Int
        var instrument: Int
        var item: Int
        var shape: Int
        /// Where the stretch starts: its depth, and whether its level has a member yet.
        var depth: Int
        var filled: Bool
    }

    private struct Template {
        var bytes: [UInt8]
        var holes: [Int]
        var calls: UInt64
    }

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

    /// Writes what `body` writes: the same bytes, from a template of the stretch when there is an
    /// instrument, made the first time the stretch is met with this shape in this place.
    ///
    /// `shape` must tell apart what the stretch writes of its own (which members it holds, which
    /// texts it takes of the instrument with `fixed`); every other text or number must be written
    /// as a field (`string`, `number`, `quoted`, `uuid`, `instant`). A stretch whose calls differ
    /// from its template's is written again without it, so a shape that says too little costs
    /// time, never the bytes.
    mutating func templated(
        _ stretch: Stretch, of instrument: InstrumentTexts?, item: Int = 0, shape: Int,
        _ body: (inout PrettyJSON) -> Void
    ) {
        precondition(mode == .direct, "templated stretches do not nest")
        guard let instrument else { return body(&self) }
        let key = TemplateKey(
            stretch: stretch.rawValue, instrument: instrument.number, item: item, shape: shape, depth: depth,
            filled: filled & (1 << level) != 0)
        let state = (depth: depth, level: level, filled: filled)
        stretchStart = count
        if let made = templates[key] {
            template = made
        } else {
            mode = .recording
            holes.removeAll(keepingCapacity: true)
            calls = 0
            body(&self)
            template = Template(
                bytes: Array(UnsafeBufferPointer(start: start + stretchStart, count: count - stretchStart)),
                holes: holes, calls: calls)
            templates[key] = template
            count = stretchStart
            (depth, level, filled) = state
        }
        mode = .replaying
        nextHole = 0
        copied = 0
        calls = 0
        strayed = false
        body(&self)
        mode = .direct
        if strayed || nextHole != template.holes.count || calls != template.calls {
            count = stretchStart
            (depth, level, filled) = state
            body(&self)
            return
        }
        copyTemplate(upTo: template.bytes.count)
        #if DEBUG
            // Tests hold every stretch written from a template to the same stretch written whole.
            let replayed = Array(
                UnsafeBufferPointer(start: start + stretchStart, count: count - stretchStart))
            let after = (depth: depth, level: level, filled: filled)
            count = stretchStart
            (depth, level, filled) = state
            body(&self)
            precondition(
                replayed.elementsEqual(
                    UnsafeBufferPointer(start: start + stretchStart, count: count - stretchStart))
                    && after == (depth, level, filled),
                "a stretch written from its template differs from the stretch written whole")
        #endif
    }

    /// Copies the template's bytes up to `end` (from where the last copy ended) to the text.
    private mutating func copyTemplate(upTo end: Int) {
        let length = end - copied
        reserve(length)
        template.bytes.withUnsafeBufferPointer { bytes in
            (start + count).initialize(from: bytes.baseAddress! + copied, count: length)
        }
        count += length
        copied = end
    }

    /// Writes a field with `write`: in full, as a place in a template, or after the template's
    /// piece before it.
    @inline(__always)
    private mutating func field(_ write: (inout PrettyJSON) -> Void) {
        mix(1)
        switch mode {
        case .direct:
            write(&self)
        case .recording:
            holes.append(count - stretchStart)
        case .replaying:
            guard !strayed, nextHole < template.holes.count else {
                strayed = true
                return
            }
            copyTemplate(upTo: template.holes[nextHole])
            nextHole += 1
            mode = .direct
            write(&self)
            mode = .replaying
        }
    }

    /// Notes a call of a templated stretch.
    @inline(__always)
    private mutating func mix(_ call: UInt64) {
        calls = (calls &+ call) &* 0x100_0000_01b3
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

    /// Writes a byte of the layout (none while a template's are copied instead).
    @inline(__always)
    private mutating func byte(_ byte: UInt8) {
        guard mode != .replaying else { return }
        reserve(1)
        start[count] = byte
        count += 1
    }

    /// Writes bytes of the layout (none while a template's are copied instead).
    @inline(__always)
    private mutating func bytes(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        guard mode != .replaying else { return }
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
        mix(2)
        newline(2, comma: true)
    }

    mutating func open(_ bracket: StaticString) {
        mix(UInt64(bracket.utf8Start.pointee))
        byte(bracket.utf8Start.pointee)
        depth += 1
        level += 1
        precondition(level < UInt64.bitWidth, "JSON nested deeper than a bundle entry goes")
        filled &= ~(1 << level)
    }

    mutating func close(_ bracket: StaticString) {
        mix(UInt64(bracket.utf8Start.pointee))
        if filled & (1 << level) != 0 { newline(depth) }
        byte(bracket.utf8Start.pointee)
        depth -= 1
        level -= 1
    }

    /// Starts the next element of the open array.
    mutating func element() {
        mix(3)
        // The comma, the line break and the indentation in one copy.
        let comma = filled & (1 << level) != 0
        filled |= 1 << level
        newline(depth + 1, comma: comma)
    }

    /// Starts the member `name` (which needs no escapes) of the open object.
    mutating func key(_ name: StaticString) {
        element()
        mix(UInt64(UInt(bitPattern: name.utf8Start)))
        guard mode != .replaying else { return }
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
        guard mode != .replaying else { return }
        var text = text
        let plain = text.withUTF8 { utf8 in
            for byte in utf8 where JSONString.needsEscape(byte) { return false }
            if let base = utf8.baseAddress { bytes(base, utf8.count) }
            return true
        }
        guard !plain else { return }
        scratch.removeAll(keepingCapacity: true)
        JSONString.quote(text, into: &scratch)
        scratch.withUnsafeBufferPointer { bytes($0.baseAddress! + 1, $0.count - 2) }
    }

    /// A string field.
    mutating func string(_ text: String) {
        byte(UInt8(ascii: "\""))
        field { $0.escaped(text) }
        byte(UInt8(ascii: "\""))
    }

    /// `text` followed by `joiner` and `rest` as one string: two fields.
    mutating func string(_ text: String, _ joiner: StaticString, _ rest: String = "") {
        byte(UInt8(ascii: "\""))
        field { $0.escaped(text) }
        bytes(joiner)
        field { $0.escaped(rest) }
        byte(UInt8(ascii: "\""))
    }

    /// A string of the instrument's (or a constant of FHIR's), followed by `joiner`: part of a
    /// template's own bytes.
    mutating func fixed(_ text: String, _ joiner: StaticString = "") {
        mix(UInt64(text.utf8.count) << 8 | 4)
        byte(UInt8(ascii: "\""))
        escaped(text)
        bytes(joiner)
        byte(UInt8(ascii: "\""))
    }

    /// `fixed` text followed by `joiner` and the field `rest` as one string.
    mutating func fixedThen(_ text: String, _ joiner: StaticString, _ rest: String) {
        mix(UInt64(text.utf8.count) << 8 | 5)
        byte(UInt8(ascii: "\""))
        escaped(text)
        bytes(joiner)
        field { $0.escaped(rest) }
        byte(UInt8(ascii: "\""))
    }

    /// A string that needs no escapes.
    mutating func constant(_ text: StaticString) {
        mix(UInt64(UInt(bitPattern: text.utf8Start)))
        byte(UInt8(ascii: "\""))
        bytes(text.utf8Start, text.utf8CodeUnitCount)
        byte(UInt8(ascii: "\""))
    }

    /// A string field of `bytes`, which need no escapes.
    mutating func quoted(_ text: [UInt8]) {
        byte(UInt8(ascii: "\""))
        field { json in text.withUnsafeBufferPointer { json.bytes($0.baseAddress!, $0.count) } }
        byte(UInt8(ascii: "\""))
    }

    mutating func uuid(_ key: String) {
        byte(UInt8(ascii: "\""))
        field { $0.appending { FHIR.appendUUID(key, to: &$0) } }
        byte(UInt8(ascii: "\""))
    }

    mutating func instant(_ time: Date) {
        byte(UInt8(ascii: "\""))
        field { $0.appending { TimeFormat.appendInstant(time, to: &$0) } }
        byte(UInt8(ascii: "\""))
    }

    /// A number field.
    mutating func number(_ value: Double) {
        field { json in
            // As `JSONValue.numberText` writes a number that is not finite.
            if value.isFinite {
                json.appending { NumberText.appendShortest(value, to: &$0) }
            } else {
                json.bytes("null")
            }
        }
    }

    /// Starts a new line indented `indent` levels, after a comma when `comma` is set.
    private mutating func newline(_ indent: Int, comma: Bool = false) {
        guard mode != .replaying else { return }
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
        fixed(FHIR.caseSystem)
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
                let form = InstrumentTexts.Form(rating, integer: true)
                templated(.goal, of: instrument, shape: form.shape) { json in
                    json.element()
                    json.open("{")
                    json.key("id")
                    json.string(goal)
                    json.key("linkId")
                    json.constant("goal")
                    json.key("text")
                    json.fixed(goalPrompt)
                    json.key("item")
                    json.open("[")
                    json.element()
                    json.open("{")
                    json.key("linkId")
                    json.constant("goal-text")
                    json.key("answer")
                    json.answer("valueString") { $0.string(goalTexts[goal] ?? goal) }
                    json.close("}")
                    json.element()
                    json.open("{")
                    json.key("linkId")
                    json.constant("goal-rating")
                    json.key("answer")
                    json.open("[")
                    json.element()
                    json.value(form, nil)
                    json.close("]")
                    json.close("}")
                    json.close("]")
                    json.close("}")
                }
            }
            return
        }
        for (number, item) in instrument.items.enumerated() {
            guard let answer = content.answers[item.id], let form = InstrumentTexts.Form(answer, item.kind)
            else { continue }
            templated(.item, of: instrument, item: number, shape: form.shape) { json in
                json.element()
                json.open("{")
                json.key("linkId")
                json.fixed(item.id)
                json.key("text")
                json.fixed(item.text)
                json.key("answer")
                json.open("[")
                json.element()
                json.value(form, item.kind)
                json.close("]")
                json.close("}")
            }
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

    /// `ResponseExport.value` of an answer in the form `Form` finds for it (of an item of `kind`).
    mutating func value(_ form: InstrumentTexts.Form, _ kind: InstrumentTexts.Kind?) {
        switch form {
        case .text(let words):
            open("{")
            key("valueString")
            string(words)
            close("}")
        case .option(let place):
            guard case .choice(let options) = kind else {
                preconditionFailure("an option of an item without options")
            }
            let option = options[place]
            open("{")
            key("valueCoding")
            open("{")
            key("extension")
            open("[")
            element()
            open("{")
            key("url")
            fixed(FHIR.ordinalValue)
            key("valueDecimal")
            number(option.value)
            close("}")
            close("]")
            key("system")
            fixed(option.system)
            key("code")
            fixed(option.code)
            key("display")
            fixed(option.label)
            close("}")
            close("}")
        case .integer(let value):
            open("{")
            key("valueInteger")
            number(value)
            close("}")
        case .decimal(let value):
            open("{")
            key("valueDecimal")
            number(value)
            close("}")
        }
    }

    /// `ResponseExport.observation`, whose value is `whole` or not.
    mutating func observation(
        _ administration: StoredAdministration, total: Double, whole: Bool, instrument: InstrumentTexts?,
        responseURL: [UInt8]
    ) {
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
        if let instrument {
            fixed(instrument.title, " total")
        } else {
            string(administration.content.instrument.uppercased(), " total")
        }
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

    /// How an answer is written (`ResponseExport.value`): the one place that decides it for text.
    enum Form {
        case text(String)
        /// One of a choice item's options, by its number.
        case option(Int)
        case integer(Double)
        case decimal(Double)

        /// The form of `answer` to an item of `kind`, or nil when it was skipped.
        init?(_ answer: Answer, _ kind: Kind) {
            switch (answer, kind) {
            case (.skipped, _): return nil
            case (.text(let words), _): self = .text(words)
            case (.number(let value), .choice(let options)):
                self = options.firstIndex { $0.value == value }.map(Form.option) ?? .decimal(value)
            case (.number(let value), .number(let integer)): self = Form(value, integer: integer)
            case (.number(let value), .other): self = .decimal(value)
            }
        }

        /// `ResponseExport.numberAnswer`'s form of `value`.
        init(_ value: Double, integer: Bool) {
            self = integer && value == value.rounded() ? .integer(value) : .decimal(value)
        }

        /// What sets the form's bytes apart from another's, the field aside.
        var shape: Int {
            switch self {
            case .text: return 0
            case .decimal: return 1
            case .integer: return 2
            case .option(let number): return 3 + number
            }
        }
    }

    /// The instrument's number among those of a chunk, which tells its templates apart.
    let number: Int
    /// The canonical URL of its Questionnaire, as `FHIR.canonical` gives it.
    let canonical: String
    let title: String
    let decimals: Int
    /// The goal prompt of a goal-based instrument, else nil.
    let goalPrompt: String?
    let items: [(id: String, text: String, kind: Kind)]

    init(_ instrument: Instrument, number: Int, canonical: String, language: Language) {
        self.number = number
        self.canonical = canonical
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
