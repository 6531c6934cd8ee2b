import Support

/// One stretch of entries a whole-store read takes in: a journal's cache, or a piece of the
/// journal parsed after it.
struct GatheredSource: Sendable {
    enum Entries: Sendable {
        /// A cache read whole (to be written anew).
        case cache(LoadedCache)
        /// A cache whose entries are read from the file as they are taken in.
        case streamed(StreamedCache)
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
        case .streamed(let cache): return cache.strings
        case .table(let table): return table.strings
        }
    }

    var count: Int {
        switch entries {
        case .cache(let cache): return cache.count
        case .streamed(let cache): return cache.count
        case .table(let table): return table.count
        }
    }

    var partCount: Int {
        switch entries {
        case .cache(let cache): return cache.partCount
        case .streamed(let cache): return cache.partCount
        case .table(let table): return table.partNames.count
        }
    }

    /// The entries with ids that are not hexadecimal, by place.
    var textIDs: [(place: Int, entry: SummaryEntry)] {
        func found<Source: SummarySource>(_ source: Source) -> [(place: Int, entry: SummaryEntry)] {
            (0..<source.count).compactMap { place in
                let entry = source.entry(place)
                return entry.has(.textID) ? (place, entry) : nil
            }
        }
        switch entries {
        case .cache(let cache): return found(cache)
        case .streamed(let cache): return cache.textIDs
        case .table(let table): return found(table)
        }
    }
}

/// A summary cache that turned out damaged while its entries were taken in.
struct DamagedCache: Error {
    /// The journal's number in the read.
    var journal: Int
}

extension SummaryTable {
    /// The entries of `taken`, in order, leaving out those at the places `repeated` gives for
    /// their journal, those of erased cases up to the erasure, and the copies of a text id that do
    /// not count (`FirstCopies`): what appending each source in turn would make.
    ///
    /// Text ids are settled first, in order (they are few). Then the sources are taken in a
    /// stretch at a time, in order, each stretch read (from its cache file when streamed),
    /// checked and renumbered on every core while the one before is added to the table, so the
    /// sources are never held whole beside the table: each is let go as soon as its last stretch
    /// is taken, and a streamed cache is never in memory but a stretch at a time.
    ///
    /// The sources are taken over (`taken` is left empty).
    /// - Parameter stretch: how many entries of a source make a stretch.
    /// - Throws: `DamagedCache` when a streamed cache's stretch does not check, or its sections'
    ///   checksums are not those written.
    init(
        gathering taken: inout [GatheredSource], leaving repeated: [Set<Int>], erasures: Erasures,
        stretch: Int = StreamedCache.stretch
    ) throws(DamagedCache) {
        var sources = taken
        taken = []
        var pool = StringPool()
        let maps = sources.map { source in source.strings.map { pool.index($0) } }
        // Text ids are few: every copy is noted, then all but the one that counts are left out
        // (erased or not; see `FirstCopies`).
        let textIDs = sources.map(\.textIDs)
        var copies = FirstCopies()
        func rank(_ index: Int, _ place: Int, _ entry: SummaryEntry) -> FirstCopies.Rank {
            FirstCopies.Rank(
                time: entry.time, journal: sources[index].journal, place: sources[index].first + place)
        }
        for index in sources.indices {
            let strings = sources[index].strings
            for (place, entry) in textIDs[index] {
                copies.note(entry, strings: strings, at: rank(index, place, entry))
            }
        }
        let rules = sources.indices.map { index in
            let source = sources[index]
            let strings = source.strings
            return GatheringRule(
                first: source.first, drop: repeated[source.journal],
                erased: erasures.isEmpty ? [] : strings.map { erasures.until($0) },
                rejected: Set(
                    textIDs[index].lazy.filter {
                        !copies.counts($0.entry, strings: strings, at: rank(index, $0.place, $0.entry))
                    }
                    .map(\.place)))
        }
        var rows: [TableEntry] = []
        var shapes = EntryShapes()
        var partNames: [UInt32] = []
        var partValues: [Double] = []
        // At most every entry and part of the sources (pages not written are never touched).
        rows.reserveCapacity(sources.reduce(0) { $0 + $1.count })
        partNames.reserveCapacity(sources.reduce(0) { $0 + $1.partCount })
        partValues.reserveCapacity(partNames.capacity)
        // Each stretch holds its source, so a source is let go with its last stretch.
        var stretches: [GatheringStretch] = []
        for (index, source) in sources.enumerated() {
            for start in stride(from: 0, to: source.count, by: stretch) {
                let end = min(source.count, start + stretch)
                stretches.append(
                    GatheringStretch(
                        source: source, index: index, range: start..<end, last: end == source.count))
            }
        }
        var checks = sources.map { source -> StreamCheck? in
            guard case .streamed(let cache) = source.entries else { return nil }
            return StreamCheck(cache: cache.header, partCount: cache.partCount)
        }
        let journals = sources.map(\.journal)
        sources = []
        let (settled, renumbering) = (rules, maps)
        try parallelPipeline(
            taking: consume stretches, batch: 8,
            make: { stretch in stretch.gathered(by: settled[stretch.index], map: renumbering[stretch.index])
            },
            consume: { (gathered: consuming GatheredStretch) throws(DamagedCache) in
                let index = gathered.index
                if var check = checks[index] {
                    guard check.add(gathered) else { throw DamagedCache(journal: journals[index]) }
                    checks[index] = check
                }
                let base = UInt32(partNames.count)
                let shapeNumbers = gathered.shapes.all.map { shapes.number($0) }
                for var row in gathered.rows {
                    row.partStart += base
                    row.shape = shapeNumbers[Int(row.shape)]
                    rows.append(row)
                }
                partNames += gathered.partNames
                partValues += gathered.partValues
            })
        self.init(pool: pool, rows: rows, shapes: shapes, partNames: partNames, partValues: partValues)
    }
}

/// Which of one source's entries a gathered table takes in.
private struct GatheringRule: Sendable {
    let first: Int
    let drop: Set<Int>
    /// Erased until when, by the source's string number (empty: nothing erased).
    let erased: [Double?]
    /// Text-id entries that are not the copy of their id that counts, left out.
    let rejected: Set<Int>

    func keeps(_ entry: SummaryEntry, at place: Int) -> Bool {
        if entry.has(.textID) {
            if !rejected.isEmpty, rejected.contains(place) { return false }
        } else if !drop.isEmpty, drop.contains(first + place) {
            return false
        }
        return erased.isEmpty || !Erasures.hides(entry.time, until: erased[Int(entry.caseID)])
    }
}

/// Entries of one source to be taken in, numbered `range` in it.
private struct GatheringStretch: Sendable {
    var source: GatheredSource
    var index: Int
    var range: Range<Int>
    var last: Bool

    /// The entries of the stretch that `rule` keeps, their strings numbered by `map`, their
    /// parts numbered from the stretch's first and their shapes in the stretch's own; a streamed
    /// cache's are read and checked (each entry as it is taken: read once).
    consuming func gathered(by rule: GatheringRule, map: [UInt32]) -> GatheredStretch {
        var gathered = GatheredStretch(index: index, last: last)
        gathered.rows.reserveCapacity(range.count)
        /// Takes the entries of `source`; with `checking`, each entry's strings must be among
        /// the `limit` there are, and its parts must follow the one before's within `parts`
        /// (false when one does not: nothing taken is then used).
        func take<Source: SummarySource>(
            _ source: Source, checking: Bool = false, limit: UInt32 = 0, parts: Range<Int> = 0..<0
        ) -> Bool {
            var nextPart = parts.lowerBound
            for place in range {
                var entry = source.entry(place)
                if checking {
                    let end = nextPart + Int(entry.partCount)
                    guard Int(entry.partStart) == nextPart, end <= parts.upperBound,
                        LoadedCache.isSound(entry, strings: limit)
                    else { return false }
                    nextPart = end
                }
                guard rule.keeps(entry, at: place) else { continue }
                entry.renumber(by: map)
                let from = Int(entry.partStart)
                entry.partStart = UInt32(gathered.partNames.count)
                for part in from..<from + Int(entry.partCount) {
                    let (name, value) = source.part(part)
                    gathered.partNames.append(map[Int(name)])
                    gathered.partValues.append(value)
                }
                gathered.rows.append(gathered.shapes.split(entry))
            }
            return !checking || nextPart == parts.upperBound
        }
        switch source.entries {
        case .cache(let cache): _ = take(cache)
        case .table(let table): _ = take(table)
        case .streamed(let cache):
            guard let read = StreamedStretch(cache, range) else { return gathered }
            gathered.partNames.reserveCapacity(read.parts.count)
            gathered.partValues.reserveCapacity(read.parts.count)
            guard take(read, checking: true, limit: UInt32(clamping: cache.strings.count), parts: read.parts)
            else { return gathered }
            gathered.read = read
        }
        return gathered
    }
}

/// What a stretch gives the table.
private struct GatheredStretch: Sendable {
    var index: Int
    var last: Bool
    var rows: [TableEntry] = []
    /// The shapes `rows` number, the stretch's own.
    var shapes = EntryShapes()
    var partNames: [UInt32] = []
    var partValues: [Double] = []
    /// A streamed cache's stretch as read and checked, for its checksums; nil when it could not
    /// be read or did not check (and for other sources).
    var read: StreamedStretch?

    init(index: Int, last: Bool) {
        self.index = index
        self.last = last
    }
}

/// A stretch of a streamed cache's entries and their parts, read: every part's string number is
/// checked here, every entry's string numbers and parts (one after another, as the entries name
/// them) as the stretch is taken in.
private struct StreamedStretch: SummarySource, Sendable {
    let strings: [String]
    let range: Range<Int>
    let entryBytes: [UInt8]
    let partBytes: [UInt8]
    /// The parts the entries name, numbered in the file.
    let parts: Range<Int>
    /// The entries' bytes' sum in their section's checksum (`SummaryCache.WordSum`).
    let entrySum: UInt64

    /// The stretch `range` of `cache`, its part names checked; its entries are checked as they
    /// are taken (`GatheringStretch.gathered`): their parts must follow one another, from the
    /// first entry's to the last's, which are those read.
    init?(_ cache: StreamedCache, _ range: Range<Int>) {
        guard let entryBytes = cache.entryBytes(range) else { return nil }
        let bounds = entryBytes.withUnsafeBytes { raw -> Range<Int>? in
            let count = raw.count / SummaryCache.entrySize
            guard count > 0 else { return 0..<0 }
            let (first, last) = (LoadedCache.entry(raw, 0), LoadedCache.entry(raw, count - 1))
            let (start, end) = (Int(first.partStart), Int(last.partStart) + Int(last.partCount))
            return start <= end && end <= cache.partCount ? start..<end : nil
        }
        guard let parts = bounds, let partBytes = cache.partBytes(parts) else { return nil }
        // The entries' share of their section's checksum, found here on the stretch's own core.
        entrySum = entryBytes.withUnsafeBytes {
            SummaryCache.WordSum.sum($0, at: range.lowerBound * SummaryCache.entrySize)
        }
        let limit = UInt32(clamping: cache.strings.count)
        let named = partBytes.withUnsafeBytes { raw in
            (0..<parts.count).allSatisfy {
                raw.loadUnaligned(fromByteOffset: $0 * SummaryCache.partSize, as: UInt32.self).littleEndian
                    < limit
            }
        }
        guard named else { return nil }
        (strings, self.range, self.entryBytes, self.partBytes, self.parts) = (
            cache.strings, range, entryBytes, partBytes, parts
        )
    }

    var count: Int { range.upperBound }

    func entry(_ index: Int) -> SummaryEntry {
        entryBytes.withUnsafeBytes { LoadedCache.entry($0, index - range.lowerBound) }
    }

    func part(_ index: Int) -> (name: UInt32, value: Double) {
        partBytes.withUnsafeBytes { raw in
            let bytes = FixedEntryBytes(raw: raw, base: (index - parts.lowerBound) * SummaryCache.partSize)
            return (bytes.u32(0), Double(bitPattern: bytes.u64(4)))
        }
    }
}

/// A streamed cache's sections checked as its stretches are taken in, in order.
private struct StreamCheck {
    let cache: SummaryCache.Header
    let partCount: Int
    var entries = SummaryCache.WordSum()
    var parts = SummaryCache.WordSum()
    var nextPart = 0

    /// Adds a stretch; false when it was not read and checked, its parts do not follow the last
    /// stretch's, or (the last) the sections are not those written.
    mutating func add(_ gathered: borrowing GatheredStretch) -> Bool {
        guard let read = gathered.read, read.parts.lowerBound == nextPart else { return false }
        entries.add(sum: read.entrySum, count: read.entryBytes.count)
        read.partBytes.withUnsafeBytes { parts.add($0) }
        nextPart = read.parts.upperBound
        guard gathered.last else { return true }
        return nextPart == partCount && entries.value == cache.checksum(.entries)
            && parts.value == cache.checksum(.parts)
    }
}
