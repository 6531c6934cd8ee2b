import Foundation
import Support

/// The records other than administrations, held as plain numbers like a `SummaryTable`: one
/// fixed-size entry each, strings kept once in a pool.
///
/// Decisions and goals (all but a few of them) are held in their entries alone, so reading half a
/// million decisions from the summary cache makes no record and parses no JSON; corrections,
/// withdrawals and erasures, which are few, are held in full beside the entries, with their lines
/// as written (for the cache), and so is an administration whose line the summary scanner leaves
/// to the full parser (its fields in an unusual order). Any record can be made whole again (`subscript`); what it holds is
/// exactly what the record held.
package struct OtherRecords: Sendable {
    /// What kind of record an entry is.
    package enum Kind: UInt8, Sendable {
        case decision = 1
        case goal = 2
        case correction = 3
        case withdrawal = 4
        case erasure = 5
        /// An administration read in full (see `SummaryTable` for the others).
        case administration = 6

        /// The kind of a record with this body.
        init(_ body: RecordBody) {
            switch body {
            case .administration: self = .administration
            case .decision: self = .decision
            case .goal: self = .goal
            case .correction: self = .correction
            case .withdrawal: self = .withdrawal
            case .erasure: self = .erasure
            }
        }
    }

    private(set) var pool = StringPool()
    private(set) var entries: [OtherEntry] = []
    /// The records held in full (corrections, withdrawals, erasures, administrations), by
    /// `OtherEntry.a`.
    private(set) var full: [Record] = []
    /// Their lines as written, without line breaks (empty when made from records alone).
    private(set) var fullLines: [[UInt8]] = []

    package init() {}

    /// The records among `records` other than administrations, in their order.
    package init(_ records: some Sequence<Record>) {
        for record in records {
            if case .administration = record.body { continue }
            append(record, line: [])
        }
    }

    init(pool: StringPool, entries: [OtherEntry], full: [Record], fullLines: [[UInt8]]) {
        self.pool = pool
        self.entries = entries
        self.full = full
        self.fullLines = fullLines
    }

    /// How many records there are.
    package var count: Int { entries.count }

    /// The strings that `caseNumber(_:)` refers to.
    package var strings: [String] { pool.strings }

    /// Adds a record; `line` is kept for the few held in full.
    mutating func append(_ record: Record, line: @autoclosure () -> [UInt8]) {
        var entry = OtherEntry(time: record.time.timeIntervalSinceReferenceDate)
        if let bits = HexID(record.id) {
            (entry.idHigh, entry.idLow) = (bits.high, bits.low)
        } else {
            entry.set(.textID)
            entry.idHigh = UInt64(pool.index(record.id))
        }
        entry.version = Int64(record.schemaVersion)
        entry.caseID = pool.index(record.caseID)
        entry.writer = pool.index(record.writer)
        entry.kind = Kind(record.body)
        switch record.body {
        case .decision(let decision):
            if let number = FlagNumber(decision.flag) {
                entry.set(.flagNumber)
                entry.number = number.value
            } else {
                entry.a = pool.index(decision.flag)
            }
            entry.b = pool.index(decision.outcome)
            if let note = decision.note {
                entry.set(.c)
                entry.c = pool.index(note)
            }
            if let worker = decision.worker {
                entry.set(.d)
                entry.d = pool.index(worker)
            }
        case .goal(let goal):
            entry.a = pool.index(goal.instrument)
            entry.b = pool.index(goal.goal)
            entry.c = pool.index(goal.action.rawValue)
            if let text = goal.text {
                entry.set(.d)
                entry.d = pool.index(text)
            }
        default:
            break
        }
        if entry.holdsRecord {
            entry.a = UInt32(full.count)
            full.append(record)
            fullLines.append(line())
        }
        entries.append(entry)
    }

    /// Adds the entries of `other` at `places`, in that order.
    mutating func append(_ other: OtherRecords, places: some Sequence<Int>) {
        let map = other.pool.strings.map { pool.index($0) }
        for place in places { take(place, of: other, map: map) }
    }

    /// Adds the entry at `place` of `other`, whose string numbers `map` turns into this pool's.
    private mutating func take(_ place: Int, of other: OtherRecords, map: [UInt32]) {
        var entry = other.entries[place]
        if entry.holdsRecord { hold(&entry, of: other) }
        entry.renumber(by: map)
        entries.append(entry)
    }

    /// Adds the record `entry` of `other` holds in full, and numbers `entry` to it.
    private mutating func hold(_ entry: inout OtherEntry, of other: OtherRecords) {
        let index = Int(entry.a)
        entry.a = UInt32(full.count)
        full.append(other.full[index])
        fullLines.append(other.fullLines.isEmpty ? [] : other.fullLines[index])
    }

    /// The same records in the order `Store.mergeOrder` takes them from one journal (by time, then
    /// id, then place), with the same strings: how a summary cache keeps them, so that a read
    /// merges the journals' runs without sorting them first.
    func inMergeOrder() -> OtherRecords {
        guard
            let places = Store.orderedPlaces(MergeView(entries: entries, textOffset: 0), texts: pool.strings)
        else { return self }
        var ordered = OtherRecords(pool: pool, entries: [], full: [], fullLines: [])
        ordered.entries.reserveCapacity(entries.count)
        for place in places {
            var entry = entries[Int(place)]
            if entry.holdsRecord {
                let index = Int(entry.a)
                entry.a = UInt32(ordered.full.count)
                ordered.full.append(full[index])
                ordered.fullLines.append(fullLines.isEmpty ? [] : fullLines[index])
            }
            ordered.entries.append(entry)
        }
        return ordered
    }

    /// The records held in full (corrections, withdrawals, erasures, administrations) only, in
    /// order: what may amend the administrations, without the decisions and goals.
    package var heldInFull: OtherRecords {
        var held = OtherRecords()
        held.append(self, places: entries.indices.lazy.filter { entries[$0].holdsRecord })
        return held
    }

    /// The records of the case `caseID` only.
    func only(_ caseID: String) -> OtherRecords {
        guard let wanted = pool.strings.firstIndex(of: caseID).map(UInt32.init) else { return OtherRecords() }
        var one = OtherRecords()
        one.append(self, places: entries.indices.lazy.filter { entries[$0].caseID == wanted })
        return one
    }

    // MARK: Reading

    package func kind(_ place: Int) -> Kind { entries[place].kind }

    /// When the record was written.
    package func time(_ place: Int) -> Date { Date(timeIntervalSinceReferenceDate: entries[place].time) }

    /// The number in `strings` of the record's case id.
    package func caseNumber(_ place: Int) -> Int { Int(entries[place].caseID) }

    package func caseID(_ place: Int) -> String { pool[entries[place].caseID] }

    /// The record id, as `FirstCopies` keys it.
    func key(_ place: Int) -> FirstCopies.Key {
        let entry = entries[place]
        return entry.has(.textID)
            ? .text(pool[UInt32(entry.idHigh)]) : .bits(HexID(high: entry.idHigh, low: entry.idLow))
    }

    /// A decision's flag (its number when it is one Pejling made, see `FlagNumber`, else the
    /// number in `strings` of its text), the numbers in `strings` of its outcome, note and worker,
    /// and when it was written.
    package func decisionFields(_ place: Int) -> (
        flagNumber: UInt64?, flagText: Int?, outcome: Int, note: Int?, worker: Int?, time: Date
    ) {
        let entry = entries[place]
        precondition(entry.kind == .decision)
        return (
            entry.has(.flagNumber) ? entry.number : nil, entry.has(.flagNumber) ? nil : Int(entry.a),
            Int(entry.b), entry.has(.c) ? Int(entry.c) : nil, entry.has(.d) ? Int(entry.d) : nil,
            Date(timeIntervalSinceReferenceDate: entry.time)
        )
    }

    /// A goal record's content.
    package func goal(_ place: Int) -> GoalRecord {
        let entry = entries[place]
        precondition(entry.kind == .goal)
        return GoalRecord(
            instrument: pool[entry.a], goal: pool[entry.b], action: GoalAction(rawValue: pool[entry.c])!,
            text: entry.has(.d) ? pool[entry.d] : nil)
    }

    /// The records held in full (corrections, withdrawals, erasures, administrations) with their
    /// places, in order.
    package var fullRecords: [(place: Int, record: Record)] {
        var found: [(place: Int, record: Record)] = []
        guard !full.isEmpty else { return found }
        for place in entries.indices where entries[place].holdsRecord {
            found.append((place, full[Int(entries[place].a)]))
        }
        return found
    }

    /// The record at `place`, whole.
    package subscript(place: Int) -> Record {
        let entry = entries[place]
        if entry.holdsRecord { return full[Int(entry.a)] }
        let body: RecordBody
        switch entry.kind {
        case .decision:
            let fields = decisionFields(place)
            body = .decision(
                DecisionRecord(
                    flag: fields.flagNumber.map { FlagNumber($0).text } ?? strings[fields.flagText!],
                    outcome: strings[fields.outcome], note: fields.note.map { strings[$0] },
                    worker: fields.worker.map { strings[$0] }))
        default:
            body = .goal(goal(place))
        }
        return Record(
            id: key(place).text, schemaVersion: Int(entry.version), writer: pool[entry.writer],
            time: time(place),
            caseID: pool[entry.caseID], body: body)
    }

    /// Every record, whole, in order (made anew on each call).
    package var records: [Record] { entries.indices.map { self[$0] } }
}

/// One record of `OtherRecords`: numbers only, strings by their number in the pool.
///
/// Its fields `a` to `d` hold, for a decision, the flag's text (when it is no `FlagNumber`,
/// which is then in `number`), the outcome, the note and the worker; for a goal, the instrument,
/// the goal, the action and the text; for a record held in full, its number among those.
struct OtherEntry: Sendable, Hashable {
    /// The id's 128 bits, or (with `textID`) the pool number of the id in `idHigh`.
    var idHigh: UInt64 = 0
    var idLow: UInt64 = 0
    /// When it was written, in seconds since 2001-01-01 (as `Date` holds it, so it is the same
    /// `Date` again when read).
    var time: Double
    var version: Int64 = 0
    /// A decision's flag as a `FlagNumber`.
    var number: UInt64 = 0
    var caseID: UInt32 = 0
    var writer: UInt32 = 0
    var kind: OtherRecords.Kind = .erasure
    var flags: UInt8 = 0
    var a: UInt32 = 0
    var b: UInt32 = 0
    var c: UInt32 = 0
    var d: UInt32 = 0

    init(time: Double) {
        self.time = time
    }

    /// Which optional fields an entry has.
    enum Field: UInt8 {
        case textID = 1
        case flagNumber = 2
        case c = 4
        case d = 8
    }

    /// Bytes in the cache: id (16), time, version, number, then case, writer, kind and flags
    /// (one 32-bit word: kind in its low byte, flags in the next), and the four fields.
    static let size = 5 * 8 + 7 * 4

    @inline(__always)
    func has(_ field: Field) -> Bool { flags & field.rawValue != 0 }

    mutating func set(_ field: Field) { flags |= field.rawValue }

    /// Whether the record is held in full (`a` is its number among those).
    var holdsRecord: Bool { kind.rawValue >= OtherRecords.Kind.correction.rawValue }

    /// Numbers its strings by `map` (from another pool's numbers to this one's).
    @inline(__always)
    mutating func renumber(by map: [UInt32]) {
        if has(.textID) { idHigh = UInt64(map[Int(idHigh)]) }
        caseID = map[Int(caseID)]
        writer = map[Int(writer)]
        switch kind {
        case .decision:
            if !has(.flagNumber) { a = map[Int(a)] }
            b = map[Int(b)]
            if has(.c) { c = map[Int(c)] }
            if has(.d) { d = map[Int(d)] }
        case .goal:
            a = map[Int(a)]
            b = map[Int(b)]
            c = map[Int(c)]
            if has(.d) { d = map[Int(d)] }
        default:
            break
        }
    }
}

extension OtherRecords: MergeableRun {
    func time(_ place: Int) -> Double { entries[place].time }

    func id(_ place: Int) -> FirstCopies.Key { key(place) }

    func isErasure(_ place: Int) -> Bool { entries[place].kind == .erasure }

    /// Merges the journals' other records as `Store.merge` merges records (`Store.mergeOrder`): in order of time then
    /// id, one copy of each id, records an erasure hides left out.
    static func merged(_ journals: [OtherRecords]) -> OtherRecords {
        merged(journals, order: mergeOrder(journals))
    }

    /// `Store.mergeOrder` of the journals' other records: their places in the merged order.
    static func mergeOrder(_ journals: [OtherRecords]) -> [(run: Int32, place: Int32)] {
        // The entries are the merge's keys as they stand, a text id by its number in its
        // journal's strings after those of the journals before: no key is copied out.
        var texts: [String] = []
        var keys: [MergeView] = []
        for journal in journals {
            keys.append(MergeView(entries: journal.entries, textOffset: Int32(texts.count)))
            texts += journal.pool.strings
        }
        return Store.mergeOrder(journals, keys: keys, texts: texts)
    }

    /// The journals' other records taken in `order` (`mergeOrder(_:)`, or the same saved for
    /// them: `SavedMerge`), each place once.
    static func merged(_ journals: [OtherRecords], order: [(run: Int32, place: Int32)]) -> OtherRecords {
        var merged = OtherRecords()
        // Each journal's strings mapped once.
        let maps = journals.map { journal in journal.pool.strings.map { merged.pool.index($0) } }
        // Taken a stretch of the order per task, on every core, into one array (and the few held
        // in full into theirs); each record's entry read from its journal's entries, so no
        // journal is copied (and counted) for each record.
        let entries = journals.map(\.entries)
        let ranges = stretches(of: order.count, size: max(1 << 14, (order.count + 3) / 4))
        let held = parallelMap(ranges.count) { index in
            ranges[index].count { entries[Int(order[$0].run)][Int(order[$0].place)].holdsRecord }
        }
        let heldBefore = held.reduce(into: [0]) { $0.append($0.last! + $1) }
        (merged.entries, merged.full, merged.fullLines) = parallelArrays(
            taking: ranges, stretches: held.enumerated().map { (ranges[$0].count, $1, $1) }
        ) { range, index, taken, full, lines in
            var held = 0
            for (offset, position) in range.enumerated() {
                let (run, place) = (Int(order[position].run), Int(order[position].place))
                var entry = entries[run][place]
                if entry.holdsRecord {
                    let source = Int(entry.a)
                    (full.baseAddress! + held).initialize(to: journals[run].full[source])
                    (lines.baseAddress! + held).initialize(
                        to: journals[run].fullLines.isEmpty ? [] : journals[run].fullLines[source])
                    entry.a = UInt32(heldBefore[index] + held)
                    held += 1
                }
                entry.renumber(by: maps[run])
                (taken.baseAddress! + offset).initialize(to: entry)
            }
        }
        return merged
    }
}

/// One journal's other records as `Store.mergeOrder` compares them, read from their entries in
/// place (as `Store.mergeKeys` would take them out): a text id by its number in the strings of
/// every journal, its journal's starting at `textOffset`.
private struct MergeView: MergeKeys {
    let entries: [OtherEntry]
    let textOffset: Int32

    var count: Int { entries.count }

    @inline(__always)
    func key(_ place: Int) -> MergeKey {
        let entry = entries[place]
        return entry.has(.textID)
            ? MergeKey(
                time: entry.time, high: 0, low: 0, text: textOffset + Int32(entry.idHigh), place: Int32(place)
            )
            : MergeKey(time: entry.time, high: entry.idHigh, low: entry.idLow, text: -1, place: Int32(place))
    }
}
