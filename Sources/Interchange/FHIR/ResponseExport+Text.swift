import Foundation
import InstrumentModel
import Storage
import Support

extension ResponseExport {
    /// The bundle entries of a stretch of a store scan's administrations, each after `,\n    `:
    /// the text of `Entries.of(_:)` of each administration as it stands, rendered two levels
    /// deep, with each instrument's texts and each set of keys' places looked up once.
    ///
    /// An administration is read from its lines when they name the keys the scan noted (nearly
    /// always), else from the administration made of its records; either way, its goals'
    /// wordings (of a goal-based instrument) are what `goalWording` says.
    /// - Parameter keys: the scan's keys, by number (`ScannedAdministrations.scannedKeys`).
    /// - Throws: `.io` when a journal no longer holds a record the scan found.
    static func entriesText(
        of rows: ScannedAdministrations.Rows, keys: [ContentKeys], catalogue: InstrumentCatalogue,
        language: Language, base: String?, goalWording: @escaping StoredAdministration.SharedGoalWording,
        capacity: Int
    ) throws(StorageError) -> [UInt8] {
        var instruments: [String: InstrumentTexts?] = [:]
        func texts(_ id: String) -> InstrumentTexts? {
            if let known = instruments[id] { return known }
            let made = (try? catalogue.instrument(id)).map {
                InstrumentTexts(
                    $0, number: instruments.count, canonical: FHIR.canonical(id, base: base),
                    language: language)
            }
            instruments[id] = made
            return made
        }
        var plans: [LinePlan?] = Array(repeating: nil, count: keys.count)
        var responseURL: [UInt8] = []
        return try PrettyJSON.text(capacity: capacity, depth: 2) { json throws(StorageError) in
            try rows.visit { original, content, number, answers, scores in
                let plan: LinePlan
                if let made = plans[number] {
                    plan = made
                } else {
                    plan = LinePlan(keys[number], instrument: texts(keys[number].instrument))
                    plans[number] = plan
                }
                let entry = LineEntry(
                    original: copy original, content: copy content, plan: plan, answers: answers,
                    scores: scores,
                    wording: goalWording)
                appendEntries(
                    of: entry, instrument: plan.instrument, base: base, responseURL: &responseURL, to: &json)
            } made: { administration in
                var administration = administration
                let instrument = texts(administration.content.instrument)
                if instrument?.goalPrompt != nil {
                    administration.goalTexts = StoredAdministration.goalTexts(
                        of: administration.content.answers.keys, caseID: administration.caseID,
                        rated: administration.time, goalWording: goalWording)
                }
                appendEntries(
                    of: administration, instrument: instrument, base: base, responseURL: &responseURL,
                    to: &json)
            }
        }
    }

    /// Appends the bundle entries of `entry` (its response and, with a total, its observation)
    /// to `json`, each after `,\n    `: the text of `Entries.of(_:)` rendered two levels deep,
    /// written straight into text with no JSON tree in between.
    ///
    /// An export writes a million of these; `response` and `observation` say the same as values
    /// (for tests and small documents), and the export tests hold the two to the same bytes.
    /// Of a known instrument, what an entry says of the instrument alone (and its layout) is
    /// written once a chunk as a template (`PrettyJSON.templated`).
    fileprivate static func appendEntries(
        of entry: some Entry, instrument: InstrumentTexts?, base: String?, responseURL: inout [UInt8],
        to json: inout PrettyJSON
    ) {
        responseURL.removeAll(keepingCapacity: true)
        entry.uuid("", to: &responseURL)
        let comment = entry.has(.comment)
        let age = entry.integer(.age)
        let worker = entry.has(.worker)
        let shape = (comment ? 1 : 0) | (age == nil ? 0 : 2) | (worker ? 4 : 0)
        json.templated(.responseHead, of: instrument, shape: shape) { [responseURL] json in
            json.separate()
            json.open("{")
            json.key("fullUrl")
            json.quoted(responseURL)
            json.key("resource")
            json.open("{")
            json.key("resourceType")
            json.constant("QuestionnaireResponse")
            json.key("id")
            json.quote()
            entry.id(&json)
            json.quote()
            json.key("meta")
            json.open("{")
            json.key("lastUpdated")
            json.instant(entry.time)
            json.close("}")
            json.key("extension")
            json.open("[")
            json.extensionElement(FHIR.respondentExtension, "valueCode") { $0.string(entry, .respondent) }
            if comment {
                json.extensionElement(FHIR.commentExtension, "valueString") { $0.string(entry, .comment) }
            }
            if let age {
                json.extensionElement(FHIR.ageExtension, "valueInteger") { $0.number(Double(age)) }
            }
            json.close("]")
            json.key("questionnaire")
            json.quote()
            if let instrument {
                json.fixedContent(instrument.canonical)
            } else {
                json.content(FHIR.canonical(entry.instrument, base: base))
            }
            json.joiner("|")
            entry.text(.instrumentVersion, &json)
            json.quote()
            json.key("status")
            json.constant("completed")
            json.key("subject")
            json.subject(entry)
            json.key("authored")
            json.string(entry, .date)
            if worker {
                json.key("author")
                json.open("{")
                json.key("identifier")
                json.open("{")
                json.key("system")
                json.fixed(FHIR.workerSystem)
                json.key("value")
                json.string(entry, .worker)
                json.close("}")
                json.close("}")
            }
            json.key("item")
            json.open("[")
        }
        if let instrument {
            json.items(entry, instrument)
        } else {
            json.unknownItems(entry)
        }
        json.close("]")
        json.close("}")
        json.close("}")
        if let total = entry.total {
            let whole = (instrument?.decimals ?? 1) == 0 && total == total.rounded()
            json.templated(.observation, of: instrument, shape: whole ? 1 : 0) { [responseURL] json in
                json.separate()
                json.open("{")
                json.key("fullUrl")
                json.quoted { entry.uuid("/total", to: &$0) }
                json.key("resource")
                json.observation(
                    entry, total: total, whole: whole, instrument: instrument, responseURL: responseURL)
                json.close("}")
            }
        }
    }
}

/// An answer as an entry reads it: a text as a string or as the UTF-8 of a line.
private enum EntryAnswer {
    case skipped
    case number(Double)
    case text(String)
    /// Text without escapes, in a line valid while the entry is written.
    case utf8(UnsafeBufferPointer<UInt8>)

    init(_ answer: Answer) {
        switch answer {
        case .skipped: self = .skipped
        case .number(let value): self = .number(value)
        case .text(let words): self = .text(words)
        }
    }
}

/// An administration as it stands, as `ResponseExport.appendEntries` reads it: made
/// (`StoredAdministration`) or read from its lines (`LineEntry`), each field written or handed
/// over as the entry needs it. What the entries say of it is written once, for both.
private protocol Entry {
    /// When the administration was first written.
    var time: Date { get }
    /// The id of its instrument.
    var instrument: String { get }
    /// Its total score, if any.
    var total: Double? { get }
    func has(_ field: AdministrationField) -> Bool
    func integer(_ field: AdministrationField) -> Int?
    /// Writes a text field it has (`has`) as a field inside a string.
    func text(_ field: AdministrationField, _ json: inout PrettyJSON)
    /// Writes its id as a field inside a string.
    func id(_ json: inout PrettyJSON)
    /// Writes its case id as a field inside a string.
    func caseID(_ json: inout PrettyJSON)
    /// Appends the UTF-8 of `FHIR.uuid` of its id followed by `suffix`.
    func uuid(_ suffix: StaticString, to out: inout [UInt8])
    /// The answer to the instrument's item number `item`, whose id is `id`, or nil.
    func answer(_ item: Int, id: String) -> EntryAnswer?
    /// Hands `body` each answer with its key, in the order of the keys, or in their natural order
    /// (`AdministrationTable.naturalOrder`) when `naturally` is set.
    func answers(naturally: Bool, _ body: (String, EntryAnswer) -> Void)
    /// The wording of one of its goals when rated, or nil.
    func goalWording(_ goal: String) -> String?
}

extension StoredAdministration: Entry {
    fileprivate var instrument: String { content.instrument }
    fileprivate var total: Double? { content.scores["total"] }
    fileprivate func has(_ field: AdministrationField) -> Bool { content.text(field) != nil }
    fileprivate func text(_ field: AdministrationField, _ json: inout PrettyJSON) {
        json.content(content.text(field)!)
    }
    fileprivate func id(_ json: inout PrettyJSON) { json.content(id) }
    fileprivate func caseID(_ json: inout PrettyJSON) { json.content(caseID) }
    fileprivate func uuid(_ suffix: StaticString, to out: inout [UInt8]) {
        var id = id
        id.withUTF8 { FHIR.appendUUID(utf8: $0, suffix: suffix, to: &out) }
    }
    fileprivate func answer(_ item: Int, id: String) -> EntryAnswer? {
        content.answers[id].map(EntryAnswer.init)
    }
    fileprivate func answers(naturally: Bool, _ body: (String, EntryAnswer) -> Void) {
        let keys =
            naturally
            ? content.answers.keys.sorted(by: AdministrationTable.naturalOrder)
            : content.answers.keys.sorted()
        for key in keys { body(key, EntryAnswer(content.answers[key]!)) }
    }
    fileprivate func goalWording(_ goal: String) -> String? { goalTexts[goal] }
}

/// Where the answers and scores of administrations with one set of keys stand, for an
/// instrument's items (resolved once a chunk, not looked up by key for each administration).
private final class LinePlan {
    let keys: ContentKeys
    let instrument: InstrumentTexts?
    /// For each of the instrument's items, the place of its answer among the keys', or -1.
    let items: [Int]
    /// The places of the answers in the natural order of their keys.
    let natural: [Int]
    /// The place of the total among the scores' keys, or -1.
    let total: Int

    init(_ keys: ContentKeys, instrument: InstrumentTexts?) {
        self.keys = keys
        self.instrument = instrument
        items = instrument?.items.map { keys.answers.firstIndex(of: $0.id) ?? -1 } ?? []
        natural = keys.answers.indices.sorted {
            AdministrationTable.naturalOrder(keys.answers[$0], keys.answers[$1])
        }
        total = keys.scores.firstIndex(of: "total") ?? -1
    }
}

/// An administration read from its lines (`AdministrationLine`): the id, time and case of its
/// own, the rest of the content that stands (its own or its correction's), whose answers and
/// scores name the keys of `plan`, in their order.
private struct LineEntry: Entry {
    let original: AdministrationLine
    let content: AdministrationLine
    let plan: LinePlan
    /// Where each answer's and score's value starts in the content's line.
    let answers: [Int]
    let scores: [Int]
    let wording: StoredAdministration.SharedGoalWording

    var time: Date { original.time }
    var instrument: String { plan.keys.instrument }

    var total: Double? {
        guard plan.total >= 0, case .number(let value) = content.value(at: scores[plan.total]) else {
            return nil
        }
        return value
    }

    func has(_ field: AdministrationField) -> Bool { content.withText(field) { $0 != nil } }
    func integer(_ field: AdministrationField) -> Int? { content.integer(field) }
    func text(_ field: AdministrationField, _ json: inout PrettyJSON) {
        content.withText(field) { json.content(utf8: $0!) }
    }
    func id(_ json: inout PrettyJSON) { original.withID { json.content(utf8: $0) } }
    func caseID(_ json: inout PrettyJSON) { original.withCaseID { json.content(utf8: $0) } }
    func uuid(_ suffix: StaticString, to out: inout [UInt8]) {
        original.withID { FHIR.appendUUID(utf8: $0, suffix: suffix, to: &out) }
    }

    private func answer(at place: Int) -> EntryAnswer {
        switch content.value(at: answers[place]) {
        case .skipped: return .skipped
        case .number(let value): return .number(value)
        case .text(let bytes): return .utf8(bytes)
        case .escapedText(let words): return .text(words)
        }
    }

    func answer(_ item: Int, id: String) -> EntryAnswer? {
        let place = plan.items[item]
        return place >= 0 ? answer(at: place) : nil
    }

    func answers(naturally: Bool, _ body: (String, EntryAnswer) -> Void) {
        if naturally {
            for place in plan.natural { body(plan.keys.answers[place], answer(at: place)) }
        } else {
            for place in plan.keys.answers.indices { body(plan.keys.answers[place], answer(at: place)) }
        }
    }

    func goalWording(_ goal: String) -> String? {
        wording(original.withCaseID { String(decoding: $0, as: UTF8.self) }, goal, original.time)
    }
}

/// Pretty-printed JSON written straight into text, laid out as `JSONValue.rendered(depth:)` lays
/// it out: a member or element on a line of its own, indented two spaces a level; an empty
/// object or array as `{}` or `[]`.
///
/// The text is written into the room of the array it is returned in (memory of its own, grown as
/// needed, once it outgrows that), not appended to an array: a million entries are written in
/// some sixty pieces each, and a piece is then one check of room and a copy, not an array's
/// append.
///
/// What a stretch of an entry says of its instrument alone, and the layout around its fields, is
/// the same in every entry of that instrument and shape; `templated` writes such a stretch once
/// as a template and then, for each entry, only its fields between the template's pieces.
private struct PrettyJSON {
    /// The text so far: `count` bytes of `capacity`, valid only inside `text(capacity:depth:_:)`.
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether `start` is memory of its own, made when the text outgrew the room it was given.
    private var owned = false
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
    private var templates = TemplateTable()
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

    /// The templates made so far, by their keys packed in a word, in a table of open addressing
    /// (hashing a key for a dictionary took a tenth of writing an item).
    private struct TemplateTable {
        private var keys = [UInt64](repeating: 0, count: 64)
        private var places = [Int](repeating: 0, count: 64)
        private var templates: [Template] = []

        /// The key of the stretch `stretch` of `item` of instrument number `instrument`, in
        /// `shape`, starting `depth` levels deep after a member or element when `filled`; nil
        /// when a part is too large for its bits (the stretch is then written without a template).
        static func key(
            _ stretch: Stretch, instrument: Int, item: Int, shape: Int, depth: Int, filled: Bool
        ) -> UInt64? {
            guard instrument < 1 << 12, item < 1 << 16, shape < 1 << 26, depth < 1 << 6 else { return nil }
            // The top bit set, so that no key is 0 (an empty slot).
            return 1 << 63 | UInt64(shape) << 37 | UInt64(item) << 21 | UInt64(instrument) << 9
                | UInt64(depth) << 3 | (filled ? 4 : 0) | UInt64(stretch.rawValue)
        }

        /// The slot of `key`, or of the empty slot where it would go.
        private func slot(_ key: UInt64) -> Int {
            let mask = keys.count - 1
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
            while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
            return slot
        }

        subscript(key: UInt64) -> Template? {
            let slot = slot(key)
            return keys[slot] == key ? templates[places[slot]] : nil
        }

        mutating func add(_ template: Template, for key: UInt64) {
            if 2 * (templates.count + 1) > keys.count {
                let old = (keys, places)
                keys = Array(repeating: 0, count: 2 * keys.count)
                places = Array(repeating: 0, count: keys.count)
                for (key, place) in zip(old.0, old.1) where key != 0 {
                    let slot = slot(key)
                    keys[slot] = key
                    places[slot] = place
                }
            }
            let slot = slot(key)
            keys[slot] = key
            places[slot] = templates.count
            templates.append(template)
        }
    }

    private struct Template {
        var bytes: [UInt8]
        var holes: [Int]
        var calls: UInt64
    }

    /// Starts writing into `buffer` (not owned), `depth` levels deep.
    private init(buffer: UnsafeMutableBufferPointer<UInt8>, depth: Int) {
        capacity = buffer.count
        start = buffer.baseAddress!
        self.depth = depth - 1
    }

    /// Returns the text `body` writes, starting `depth` levels deep, with room for `capacity`
    /// bytes made at the start.
    ///
    /// The text is written straight into the array returned (a chunk's text is not copied once
    /// more), unless it outgrows that room.
    static func text<Failure: Error>(
        capacity: Int, depth: Int, _ body: (inout PrettyJSON) throws(Failure) -> Void
    ) throws(Failure) -> [UInt8] {
        var failure: Failure?
        var outgrown: PrettyJSON?
        let text = [UInt8](unsafeUninitializedCapacity: max(capacity, 64)) { buffer, initialized in
            var json = PrettyJSON(buffer: buffer, depth: depth)
            do throws(Failure) {
                try body(&json)
            } catch {
                failure = error
            }
            if json.owned {
                outgrown = json
                initialized = 0
            } else {
                initialized = json.count
            }
        }
        if let outgrown {
            defer { outgrown.start.deallocate() }
            if let failure { throw failure }
            return Array(UnsafeBufferPointer(start: outgrown.start, count: outgrown.count))
        }
        if let failure { throw failure }
        return text
    }

    /// Writes what `body` writes: the same bytes, from a template of the stretch when there is an
    /// instrument, made the first time the stretch is met with this shape in this place.
    ///
    /// `shape` must tell apart what the stretch writes of its own (which members it holds, which
    /// texts it takes of the instrument with `fixed`); every other text or number must be written
    /// as a field (`string`, `content`, `number`, `quoted`, `instant`). A stretch whose calls differ
    /// from its template's is written again without it, so a shape that says too little costs
    /// time, never the bytes.
    mutating func templated(
        _ stretch: Stretch, of instrument: InstrumentTexts?, item: Int = 0, shape: Int,
        _ body: (inout PrettyJSON) -> Void
    ) {
        precondition(mode == .direct, "templated stretches do not nest")
        guard let instrument,
            let key = TemplateTable.key(
                stretch, instrument: instrument.number, item: item, shape: shape, depth: depth,
                filled: filled & (1 << level) != 0)
        else { return body(&self) }
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
            templates.add(template, for: key)
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
        if owned { start.deallocate() }
        start = moved
        capacity = larger
        owned = true
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

    @inline(__always)
    mutating func open(_ bracket: StaticString) {
        mix(UInt64(bracket.utf8Start.pointee))
        byte(bracket.utf8Start.pointee)
        depth += 1
        level += 1
        precondition(level < UInt64.bitWidth, "JSON nested deeper than a bundle entry goes")
        filled &= ~(1 << level)
    }

    @inline(__always)
    mutating func close(_ bracket: StaticString) {
        mix(UInt64(bracket.utf8Start.pointee))
        if filled & (1 << level) != 0 { newline(depth) }
        byte(bracket.utf8Start.pointee)
        depth -= 1
        level -= 1
    }

    /// Starts the next element of the open array.
    @inline(__always)
    mutating func element() {
        mix(3)
        // The comma, the line break and the indentation in one copy.
        let comma = filled & (1 << level) != 0
        filled |= 1 << level
        newline(depth + 1, comma: comma)
    }

    /// Starts the member `name` (which needs no escapes) of the open object.
    @inline(__always)
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

    /// Writes `utf8` escaped as `escaped(_:)` escapes the text it encodes.
    private mutating func escaped(utf8: UnsafeBufferPointer<UInt8>) {
        guard mode != .replaying else { return }
        for byte in utf8 where JSONString.needsEscape(byte) {
            return escaped(String(decoding: utf8, as: UTF8.self))
        }
        if let base = utf8.baseAddress { bytes(base, utf8.count) }
    }

    /// A string field.
    mutating func string(_ text: String) {
        quote()
        content(text)
        quote()
    }

    /// The quotation mark that starts or ends a string.
    @inline(__always)
    mutating func quote() {
        byte(UInt8(ascii: "\""))
    }

    /// A field inside a string: `text` escaped.
    mutating func content(_ text: String) {
        field { $0.escaped(text) }
    }

    /// A field inside a string: the text `utf8` encodes, escaped.
    mutating func content(utf8: UnsafeBufferPointer<UInt8>) {
        field { $0.escaped(utf8: utf8) }
    }

    /// Text inside a string that is part of the layout: `joiner` as it is.
    mutating func joiner(_ joiner: StaticString) {
        mix(UInt64(UInt(bitPattern: joiner.utf8Start)))
        bytes(joiner)
    }

    /// A string of the instrument's (or a constant of FHIR's), followed by `joiner`: part of a
    /// template's own bytes.
    mutating func fixed(_ text: String, _ joiner: StaticString = "") {
        quote()
        fixedContent(text)
        self.joiner(joiner)
        quote()
    }

    /// Text of the instrument's inside a string, escaped: part of a template's own bytes.
    mutating func fixedContent(_ text: String) {
        mix(UInt64(text.utf8.count) << 8 | 4)
        escaped(text)
    }

    /// A string that needs no escapes.
    @inline(__always)
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

    /// A string field of what `write` appends, which needs no escapes.
    mutating func quoted(_ write: (inout [UInt8]) -> Void) {
        quote()
        field { $0.appending(write) }
        quote()
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
    @inline(__always)
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

    /// An element of a resource's `extension`: its `url`, then the member `valueKey` that `value`
    /// writes.
    fileprivate mutating func extensionElement(
        _ url: String, _ valueKey: StaticString, _ value: (inout PrettyJSON) -> Void
    ) {
        element()
        open("{")
        key("url")
        fixed(url)
        key(valueKey)
        value(&self)
        close("}")
    }

    /// A string field: the text field `field` of `entry`.
    fileprivate mutating func string(_ entry: some Entry, _ field: AdministrationField) {
        quote()
        entry.text(field, &self)
        quote()
    }

    /// `ResponseExport.subject`.
    fileprivate mutating func subject(_ entry: some Entry) {
        open("{")
        key("identifier")
        open("{")
        key("system")
        fixed(FHIR.caseSystem)
        key("value")
        quote()
        entry.caseID(&self)
        quote()
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
    fileprivate mutating func items(_ entry: some Entry, _ instrument: InstrumentTexts) {
        if let goalPrompt = instrument.goalPrompt {
            entry.answers(naturally: true) { goal, answer in
                guard case .number(let rating) = answer else { return }
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
                    json.answer("valueString") { $0.string(entry.goalWording(goal) ?? goal) }
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
            guard let answer = entry.answer(number, id: item.id),
                let form = InstrumentTexts.Form(answer, item.kind)
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
    fileprivate mutating func unknownItems(_ entry: some Entry) {
        entry.answers(naturally: false) { key, answer in
            switch answer {
            case .number(let value):
                element()
                open("{")
                self.key("linkId")
                string(key)
                self.key("answer")
                self.answer("valueDecimal") { $0.number(value) }
                close("}")
            case .text, .utf8:
                element()
                open("{")
                self.key("linkId")
                string(key)
                self.key("answer")
                self.answer("valueString") { $0.text(answer) }
                close("}")
            case .skipped: return
            }
        }
    }

    /// A string field of an answer's text.
    fileprivate mutating func text(_ answer: EntryAnswer) {
        quote()
        switch answer {
        case .text(let words): content(words)
        case .utf8(let bytes): content(utf8: bytes)
        case .skipped, .number: preconditionFailure("an answer without text has no text")
        }
        quote()
    }

    /// `ResponseExport.value` of an answer in the form `Form` finds for it (of an item of `kind`).
    fileprivate mutating func value(_ form: InstrumentTexts.Form, _ kind: InstrumentTexts.Kind?) {
        switch form {
        case .text(let answer):
            open("{")
            key("valueString")
            text(answer)
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
            extensionElement(FHIR.ordinalValue, "valueDecimal") { $0.number(option.value) }
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
    fileprivate mutating func observation(
        _ entry: some Entry, total: Double, whole: Bool, instrument: InstrumentTexts?, responseURL: [UInt8]
    ) {
        open("{")
        key("resourceType")
        constant("Observation")
        key("id")
        quote()
        entry.id(&self)
        joiner("-total")
        quote()
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
            quote()
            content(entry.instrument.uppercased())
            joiner(" total")
            quote()
        }
        close("}")
        key("subject")
        subject(entry)
        key("effectiveDateTime")
        string(entry, .date)
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
    fileprivate enum Form {
        case text(EntryAnswer)
        /// One of a choice item's options, by its number.
        case option(Int)
        case integer(Double)
        case decimal(Double)

        /// The form of `answer` to an item of `kind`, or nil when it was skipped.
        init?(_ answer: EntryAnswer, _ kind: Kind) {
            switch (answer, kind) {
            case (.skipped, _): return nil
            case (.text, _), (.utf8, _): self = .text(answer)
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
