import Foundation
import Support

/// Administration summaries held as plain numbers: one fixed-size entry each, strings kept once
/// in a pool and referred to by number.
///
/// A million administrations take about 48 MB and no allocation each, so a report can hold the
/// whole store and make `AdministrationSummary` values (or readings) only for the case at hand.
/// The summary cache stores the same table on disk, each entry in full (`SummaryEntry`); in
/// memory an entry keeps what differs from one administration to the next (`TableEntry`) and
/// names the rest, its shape, which few administrations have on their own.
package struct SummaryTable: Sendable {
    /// Every distinct string of the table: case ids, the text fields' strings, score names and ids
    /// that are not 32 hexadecimal digits.
    package private(set) var pool = StringPool()
    private(set) var rows: [TableEntry] = []
    private(set) var shapes = EntryShapes()
    private(set) var partNames: [UInt32] = []
    private(set) var partValues: [Double] = []

    package init() {}

    /// Makes a table of `summaries`, in their order.
    package init(_ summaries: [AdministrationSummary]) {
        rows.reserveCapacity(summaries.count)
        for summary in summaries { append(summary) }
    }

    init(
        pool: StringPool, entries: [SummaryEntry], partNames: [UInt32], partValues: [Double]
    ) {
        self.pool = pool
        rows.reserveCapacity(entries.count)
        for entry in entries { rows.append(shapes.split(entry)) }
        self.partNames = partNames
        self.partValues = partValues
    }

    init(
        pool: StringPool, rows: [TableEntry], shapes: EntryShapes, partNames: [UInt32],
        partValues: [Double]
    ) {
        self.pool = pool
        self.rows = rows
        self.shapes = shapes
        self.partNames = partNames
        self.partValues = partValues
    }

    /// How many administrations the table holds.
    package var count: Int { rows.count }

    /// The entry at `index`, in full.
    @inline(__always)
    func entry(_ index: Int) -> SummaryEntry { shapes.joined(rows[index]) }

    /// Whether the entry at `index` has an id that is not 32 hexadecimal digits.
    func hasTextID(_ index: Int) -> Bool { shapes[rows[index].shape].has(.textID) }

    /// The administration at `index` as a summary (its id, and its parts, are made anew).
    package subscript(index: Int) -> AdministrationSummary {
        let entry = entry(index)
        var parts: [String: Double] = [:]
        if entry.partCount > 0 {
            parts.reserveCapacity(Int(entry.partCount))
            for part in Int(entry.partStart)..<Int(entry.partStart + entry.partCount) {
                parts[pool[partNames[part]]] = partValues[part]
            }
        }
        return AdministrationSummary(
            id: id(index), caseID: pool[entry.caseID], time: Date(timeIntervalSince1970: entry.time),
            total: entry.has(.total) ? entry.total : nil, parts: parts, fields: entry.fields(pool.strings))
    }

    /// Every administration as a summary.
    package var summaries: [AdministrationSummary] { rows.indices.map { self[$0] } }

    /// The record id of the administration at `index`.
    package func id(_ index: Int) -> String { key(index).text }

    /// The record id of the administration at `index`, as `FirstCopies` keys it.
    func key(_ index: Int) -> FirstCopies.Key { FirstCopies.key(entry(index), strings: pool.strings) }

    /// Adds one summary.
    package mutating func append(_ summary: AdministrationSummary) {
        var entry = SummaryEntry(time: summary.time.timeIntervalSince1970)
        if let bits = HexID(summary.id) {
            (entry.idHigh, entry.idLow) = (bits.high, bits.low)
        } else {
            entry.set(.textID)
            entry.idHigh = UInt64(pool.index(summary.id))
        }
        entry.caseID = pool.index(summary.caseID)
        AdministrationField.forEachSummarized { field, _, _ in
            if field.isSummaryInteger {
                if let value = summary.fields.integer(field) { entry.set(field, integer: Int64(value)) }
            } else if let text = summary.fields.text(field) {
                entry.set(field, string: pool.index(text))
            }
        }
        if let total = summary.total {
            entry.set(.total)
            entry.total = total
        }
        entry.partStart = UInt32(partNames.count)
        for (name, value) in summary.parts.sorted(by: { $0.key < $1.key }) {
            partNames.append(pool.index(name))
            partValues.append(value)
        }
        entry.partCount = UInt32(partNames.count) - entry.partStart
        rows.append(shapes.split(entry))
    }

    /// Adds an entry whose strings are already in this table's pool, with its parts.
    mutating func append(_ entry: SummaryEntry, parts: [(name: UInt32, value: Double)]) {
        var entry = entry
        entry.partStart = UInt32(partNames.count)
        entry.partCount = UInt32(parts.count)
        for part in parts {
            partNames.append(part.name)
            partValues.append(part.value)
        }
        rows.append(shapes.split(entry))
    }

    /// Adds the administrations of `source` for which `include` holds, in order. `include` sees
    /// each entry with the source's own string numbers.
    mutating func append<Source: SummarySource>(
        contentsOf source: Source, where include: (SummaryEntry) -> Bool = { _ in true }
    ) {
        let map = source.strings.map { pool.index($0) }
        rows.reserveCapacity(rows.count + source.count)
        for index in 0..<source.count {
            var entry = source.entry(index)
            guard include(entry) else { continue }
            entry.renumber(by: map)
            let start = Int(entry.partStart)
            entry.partStart = UInt32(partNames.count)
            for part in start..<start + Int(entry.partCount) {
                let (name, value) = source.part(part)
                partNames.append(map[Int(name)])
                partValues.append(value)
            }
            rows.append(shapes.split(entry))
        }
    }

    /// The case id of the administration at `index`.
    func caseID(_ index: Int) -> String { pool[rows[index].caseID] }

    /// Takes the last administration out, with its parts (its strings stay in the pool).
    mutating func removeLast() {
        let last = rows.removeLast()
        partNames.removeSubrange(Int(last.partStart)...)
        partValues.removeSubrange(Int(last.partStart)...)
    }

    /// Makes room for `count` entries with `parts` parts in all.
    mutating func reserveCapacity(_ count: Int, parts: Int = 0) {
        rows.reserveCapacity(count)
        partNames.reserveCapacity(parts)
        partValues.reserveCapacity(parts)
    }

    /// Interns `string` in the pool and returns its number.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        pool.index(bytes)
    }
}

/// Entries with their own string numbering that a table can take in: a table, or a cache file.
protocol SummarySource {
    /// The strings the entries' numbers refer to.
    var strings: [String] { get }
    var count: Int { get }
    func entry(_ index: Int) -> SummaryEntry
    func part(_ index: Int) -> (name: UInt32, value: Double)
}

extension SummaryTable: SummarySource {
    var strings: [String] { pool.strings }

    func part(_ index: Int) -> (name: UInt32, value: Double) { (partNames[index], partValues[index]) }
}

/// One administration of a `SummaryTable`: numbers only, strings by their number in the pool.
///
/// The summarized fields of `AdministrationField`'s list stand in `words`, each at the place the
/// list's layout gives it: a string's pool number in one word, a whole number (the meeting day,
/// an age) in two.
struct SummaryEntry: Sendable {
    /// The id's 128 bits, or (with `textID`) the pool number of the id in `idHigh`.
    var idHigh: UInt64 = 0
    var idLow: UInt64 = 0
    /// When it was written, in seconds since 1970.
    var time: Double
    var total: Double = 0
    var caseID: UInt32 = 0
    var partStart: UInt32 = 0
    var partCount: UInt32 = 0
    /// `Flag`s, and each field's `AdministrationField.summaryFlag` when the entry has it.
    var flags: UInt32 = 0
    /// Room for the summarized fields and no more: an entry is held for every administration of a
    /// store (80 bytes; ten million take 800 MB), so a field added to the list that needs more
    /// words raises this (the list is checked against it once, in `AdministrationField.layout`).
    var words = InlineArray<8, UInt32>(repeating: 0)

    static var wordCapacity: Int { InlineArray<8, UInt32>.count }

    init(time: Double) {
        self.time = time
    }

    /// What an entry has besides its fields.
    enum Flag: UInt32 {
        case textID = 1
        case total = 2
    }

    @inline(__always)
    func has(_ flag: Flag) -> Bool { flags & flag.rawValue != 0 }

    mutating func set(_ flag: Flag) { flags |= flag.rawValue }

    @inline(__always)
    func has(_ field: AdministrationField) -> Bool { flags & field.summaryFlag != 0 }

    /// The pool number of a text field's string, or nil when the entry does not have it.
    @inline(__always)
    func string(_ field: AdministrationField) -> UInt32? {
        has(field) ? words[field.word] : nil
    }

    /// The whole number of a whole-number field (or the meeting day), or nil when the entry
    /// does not have it.
    @inline(__always)
    func integer(_ field: AdministrationField) -> Int64? {
        guard has(field) else { return nil }
        let word = field.word
        return Int64(bitPattern: UInt64(words[word]) | UInt64(words[word + 1]) << 32)
    }

    @inline(__always)
    mutating func set(_ field: AdministrationField, string number: UInt32) {
        words[field.word] = number
        flags |= field.summaryFlag
    }

    @inline(__always)
    mutating func set(_ field: AdministrationField, integer value: Int64) {
        let word = field.word
        let bits = UInt64(bitPattern: value)
        words[word] = UInt32(truncatingIfNeeded: bits)
        words[word + 1] = UInt32(truncatingIfNeeded: bits >> 32)
        flags |= field.summaryFlag
    }

    /// The summarized fields, their strings numbered in `strings`.
    @inline(__always)
    func fields(_ strings: [String]) -> SummaryFields {
        var fields = SummaryFields()
        AdministrationField.forEachSummarized { field, slot, word in
            guard has(field) else { return }
            if field.isSummaryInteger {
                fields.slots.set(
                    integer: Int(Int64(bitPattern: UInt64(words[word]) | UInt64(words[word + 1]) << 32)),
                    at: slot)
            } else {
                fields.slots.set(text: strings[Int(words[word])], at: slot)
            }
        }
        return fields
    }

    /// Numbers the entry's strings by `map` (from another pool's numbers to this one's). A field
    /// the entry lacks holds 0, which every pool that has an entry has.
    mutating func renumber(by map: [UInt32]) {
        if has(.textID) { idHigh = UInt64(map[Int(idHigh)]) }
        caseID = map[Int(caseID)]
        AdministrationField.forEachSummarized { field, _, word in
            if !field.isSummaryInteger { words[word] = map[Int(words[word])] }
        }
    }
}

/// One administration of a `SummaryTable` as the table holds it: what differs from one
/// administration to the next in place (the id, the times and total, the case, the parts and the
/// meeting date's low word), and the rest of its `SummaryEntry` as the number of its shape
/// (`EntryShapes`). 48 bytes, where the entry takes 80.
struct TableEntry: Sendable {
    var idHigh: UInt64
    var idLow: UInt64
    var time: Double
    var total: Double
    var caseID: UInt32
    var partStart: UInt32
    /// The number of its shape in the table's `EntryShapes`.
    var shape: UInt32
    /// The word of `SummaryEntry.words` that varies most, the meeting date's first (its low 32
    /// bits); the shape holds 0 there.
    var dateWord: UInt32
}

/// What a `SummaryEntry` holds besides a `TableEntry`'s own: its flags, how many parts it has
/// and its field words but the meeting date's first. Administrations of a case, a worker and an
/// instrument share it, so a store of millions has a few thousand.
struct EntryShape: Equatable, Sendable {
    var flags: UInt32
    var partCount: UInt32
    var words: InlineArray<8, UInt32>

    /// The word of `SummaryEntry.words` kept in each `TableEntry` rather than in the shape.
    @inline(__always)
    static var dateWord: Int { AdministrationField.date.word }

    @inline(__always)
    func has(_ flag: SummaryEntry.Flag) -> Bool { flags & flag.rawValue != 0 }

    /// The pool number of a text field's string, or nil when the entry does not have it (what
    /// `SummaryEntry.string(_:)` gives, read without making the entry).
    @inline(__always)
    func string(_ field: AdministrationField) -> UInt32? {
        flags & field.summaryFlag != 0 ? words[field.word] : nil
    }

    /// The whole number of a whole-number field (or the meeting day) of `row`, an entry of this
    /// shape, or nil when it does not have it (what `SummaryEntry.integer(_:)` gives).
    @inline(__always)
    func integer(_ field: AdministrationField, of row: TableEntry) -> Int64? {
        guard flags & field.summaryFlag != 0 else { return nil }
        let word = field.word
        let low = field == .date ? row.dateWord : words[word]
        return Int64(bitPattern: UInt64(low) | UInt64(words[word + 1]) << 32)
    }

    static func == (left: EntryShape, right: EntryShape) -> Bool {
        guard left.flags == right.flags, left.partCount == right.partCount else { return false }
        for word in 0..<SummaryEntry.wordCapacity where left.words[word] != right.words[word] {
            return false
        }
        return true
    }

    /// A hash of the whole shape: a shape is looked up for every administration a table takes
    /// in, so each pair of words is multiplied on its own (the products found side by side
    /// rather than one after another), then their sum is mixed.
    @inline(__always)
    var hash: UInt64 {
        var hash = (UInt64(flags) | UInt64(partCount) << 32) &* 0x9E37_79B9_7F4A_7C15
        let factors: InlineArray<4, UInt64> = [
            0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB, 0xD6E8_FEB8_6659_FD93, 0xC2B2_AE3D_27D4_EB4F,
        ]
        for pair in 0..<SummaryEntry.wordCapacity / 2 {
            let word = UInt64(words[2 * pair]) | UInt64(words[2 * pair + 1]) << 32
            hash &+= (word ^ word >> 29) &* factors[pair]
        }
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        return hash ^ hash >> 29
    }
}

/// The distinct shapes of a table's entries, numbered in the order first met.
struct EntryShapes: Sendable {
    private(set) var all: [EntryShape] = []
    /// The shapes' numbers plus one by their hash (0: an empty slot), with linear probing; at
    /// most half full.
    private var slots = [UInt32](repeating: 0, count: 64)

    subscript(number: UInt32) -> EntryShape { all[Int(number)] }

    var count: Int { all.count }

    /// The number of `shape`, added if new.
    mutating func number(_ shape: EntryShape) -> UInt32 {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: shape.hash) & mask
        while slots[slot] != 0 {
            let number = slots[slot] - 1
            if all[Int(number)] == shape { return number }
            slot = (slot + 1) & mask
        }
        let added = UInt32(all.count)
        all.append(shape)
        slots[slot] = added + 1
        if all.count * 2 > slots.count { grow() }
        return added
    }

    private mutating func grow() {
        slots = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (number, shape) in all.enumerated() {
            var slot = Int(truncatingIfNeeded: shape.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(number) + 1
        }
    }

    /// `entry` as a table holds it, its shape added if new.
    mutating func split(_ entry: SummaryEntry) -> TableEntry {
        var words = entry.words
        let dateWord = words[EntryShape.dateWord]
        words[EntryShape.dateWord] = 0
        let shape = number(EntryShape(flags: entry.flags, partCount: entry.partCount, words: words))
        return TableEntry(
            idHigh: entry.idHigh, idLow: entry.idLow, time: entry.time, total: entry.total,
            caseID: entry.caseID, partStart: entry.partStart, shape: shape, dateWord: dateWord)
    }

    /// The entry `row` stands for, in full.
    @inline(__always)
    func joined(_ row: TableEntry) -> SummaryEntry {
        Self.joined(row, all[Int(row.shape)])
    }

    @inline(__always)
    static func joined(_ row: TableEntry, _ shape: EntryShape) -> SummaryEntry {
        var entry = SummaryEntry(time: row.time)
        entry.idHigh = row.idHigh
        entry.idLow = row.idLow
        entry.total = row.total
        entry.caseID = row.caseID
        entry.partStart = row.partStart
        entry.partCount = shape.partCount
        entry.flags = shape.flags
        entry.words = shape.words
        entry.words[EntryShape.dateWord] = row.dateWord
        return entry
    }
}

/// Distinct strings, each kept once and numbered in the order first seen.
package struct StringPool: Sendable {
    package private(set) var strings: [String] = []
    /// Pool numbers by a hash of the bytes; strings whose hashes collide are found in `others`.
    private var numbers: [UInt64: UInt32] = [:]
    private var others: [String: UInt32] = [:]

    package init() {}

    package init(_ strings: [String]) {
        for string in strings { _ = append(string) }
    }

    package subscript(number: UInt32) -> String { strings[Int(number)] }

    package var count: Int { strings.count }

    /// The number of `string`, added if new.
    package mutating func index(_ string: String) -> UInt32 {
        var string = string
        return string.withUTF8 { index($0) }
    }

    /// The number of the string with these UTF-8 bytes, added if new.
    package mutating func index(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let hash = Self.hash(bytes)
        if let number = numbers[hash] {
            var found = strings[Int(number)]
            if found.withUTF8({ $0.equals(bytes) }) { return number }
            let text = String(decoding: bytes, as: UTF8.self)
            if let other = others[text] { return other }
            let added = UInt32(strings.count)
            strings.append(text)
            others[text] = added
            return added
        }
        let added = UInt32(strings.count)
        strings.append(String(decoding: bytes, as: UTF8.self))
        numbers[hash] = added
        return added
    }

    /// Adds `string` even if it is there already (a cache's pool, read back number for number).
    private mutating func append(_ string: String) -> UInt32 {
        let added = UInt32(strings.count)
        var copy = string
        let hash = copy.withUTF8 { Self.hash($0) }
        if numbers[hash] == nil { numbers[hash] = added } else { others[string] = others[string] ?? added }
        strings.append(string)
        return added
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { FNV1a.hash(bytes) }
}
