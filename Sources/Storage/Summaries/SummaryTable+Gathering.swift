import Support

/// One stretch of entries a whole-store read takes in: a journal's cache, or a piece of the
/// journal parsed after it.
struct GatheredSource: Sendable {
    enum Entries: Sendable {
        case cache(LoadedCache)
        case table(SummaryTable)
    }

    var entries: Entries
    /// The journal's number in the read.
    var journal: Int
    /// The place in its journal of its first entry (a journal counts its cache first).
    var first: Int

    var strings: [String] {
        switch entries {
        case .cache(let cache): return cache.strings
        case .table(let table): return table.strings
        }
    }
}

extension SummaryTable {
    /// The entries of `taken`, in order, leaving out those at the places `repeated` gives for
    /// their journal, those of erased cases up to the erasure, and the copies of a text id that do
    /// not count (`FirstCopies`); what appending each source in turn would make, found on every
    /// core.
    ///
    /// Each source's entries are counted on every core, text ids are then settled in order
    /// (they are few), and every source's entries are written into their place at once.
    ///
    /// The sources are taken over (`taken` is left empty) and each is let go as soon as it is
    /// written, so the store is not in memory twice while it is copied.
    init(gathering taken: inout [GatheredSource], leaving repeated: [Set<Int>], erasures: Erasures) {
        let sources = taken
        taken = []
        var pool = StringPool()
        let maps = sources.map { source in source.strings.map { pool.index($0) } }
        var plans = parallelMap(sources.count) { index in
            let source = sources[index]
            let erased = erasures.isEmpty ? [] : source.strings.map { erasures.until($0) }
            switch source.entries {
            case .cache(let cache):
                return GatheringPlan(
                    cache, first: source.first, drop: repeated[source.journal], erased: erased)
            case .table(let table):
                return GatheringPlan(
                    table, first: source.first, drop: repeated[source.journal], erased: erased)
            }
        }
        // Text ids are few: every copy is noted, then all but the one that counts are left out
        // (erased or not; see `FirstCopies`).
        var copies = FirstCopies()
        func rank(_ index: Int, _ place: Int, _ entry: SummaryEntry) -> FirstCopies.Rank {
            FirstCopies.Rank(
                time: entry.time, journal: sources[index].journal, place: sources[index].first + place)
        }
        for index in sources.indices {
            let strings = sources[index].strings
            for (place, entry) in plans[index].textIDs {
                copies.note(entry, strings: strings, at: rank(index, place, entry))
            }
        }
        for index in sources.indices {
            let strings = sources[index].strings
            for (place, entry) in plans[index].textIDs
            where !copies.counts(entry, strings: strings, at: rank(index, place, entry)) {
                plans[index].reject(place, entry)
            }
        }
        var partStarts = [0]
        for plan in plans { partStarts.append(partStarts.last! + plan.parts) }
        let (settled, firstParts) = (plans, partStarts)
        // Each source is handed to the task that writes it, and let go there once written.
        let (entries, partNames, partValues) = parallelArrays(
            taking: consume sources, stretches: plans.map { (a: $0.entries, b: $0.parts, c: $0.parts) }
        ) {
            (
                source: consuming GatheredSource, index, entries: UnsafeMutableBufferPointer<SummaryEntry>,
                names: UnsafeMutableBufferPointer<UInt32>, values: UnsafeMutableBufferPointer<Double>
            ) in
            let plan = settled[index]
            let output = (entries: entries, names: names, values: values)
            switch source.entries {
            case .cache(let cache):
                plan.write(cache, map: maps[index], firstPart: firstParts[index], into: output)
            case .table(let table):
                plan.write(table, map: maps[index], firstPart: firstParts[index], into: output)
            }
        }
        self.init(pool: pool, entries: entries, partNames: partNames, partValues: partValues)
    }
}

/// Which of one source's entries a gathered table takes in, and how much room they take.
private struct GatheringPlan {
    let first: Int
    let drop: Set<Int>
    /// Erased until when, by the source's string number (empty: nothing erased).
    let erased: [Double?]
    /// Entries with text ids (by place in the source), to be settled in order across sources.
    private(set) var textIDs: [(place: Int, entry: SummaryEntry)] = []
    /// Text-id entries that are not the copy of their id that counts, left out.
    private var rejected = Set<Int>()
    private(set) var entries = 0
    private(set) var parts = 0

    init<Source: SummarySource>(_ source: Source, first: Int, drop: Set<Int>, erased: [Double?]) {
        self.first = first
        self.drop = drop
        self.erased = erased
        for place in 0..<source.count {
            let entry = source.entry(place)
            if entry.has(.textID) { textIDs.append((place, entry)) }
            guard keeps(entry, at: place) else { continue }
            entries += 1
            parts += Int(entry.partCount)
        }
    }

    /// Leaves out the text-id entry at `place`.
    mutating func reject(_ place: Int, _ entry: SummaryEntry) {
        guard keeps(entry, at: place) else { return }
        rejected.insert(place)
        entries -= 1
        parts -= Int(entry.partCount)
    }

    private func keeps(_ entry: SummaryEntry, at place: Int) -> Bool {
        if entry.has(.textID) {
            if !rejected.isEmpty, rejected.contains(place) { return false }
        } else if !drop.isEmpty, drop.contains(first + place) {
            return false
        }
        return erased.isEmpty || !Erasures.hides(entry.time, until: erased[Int(entry.caseID)])
    }

    /// Writes the entries taken in, their strings numbered by `map`, into `output` (which holds
    /// exactly them and their parts); their parts are numbered from `firstPart` in the table.
    func write<Source: SummarySource>(
        _ source: Source, map: [UInt32], firstPart: Int,
        into output: (
            entries: UnsafeMutableBufferPointer<SummaryEntry>, names: UnsafeMutableBufferPointer<UInt32>,
            values: UnsafeMutableBufferPointer<Double>
        )
    ) {
        var (next, nextPart) = (0, 0)
        for place in 0..<source.count {
            var entry = source.entry(place)
            guard keeps(entry, at: place) else { continue }
            entry.renumber(by: map)
            let from = Int(entry.partStart)
            entry.partStart = UInt32(firstPart + nextPart)
            for part in from..<from + Int(entry.partCount) {
                let (name, value) = source.part(part)
                output.names.initializeElement(at: nextPart, to: map[Int(name)])
                output.values.initializeElement(at: nextPart, to: value)
                nextPart += 1
            }
            output.entries.initializeElement(at: next, to: entry)
            next += 1
        }
    }
}
