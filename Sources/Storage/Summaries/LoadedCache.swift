import Support

/// A summary cache file read into memory for a whole-store read and checked through, its entries
/// read in place.
///
/// Checking covers the header, the checksum of each section read (the case index is not: a
/// whole-store read does not read it) and every number an entry holds (string and part numbers
/// in range), so reading entries afterwards cannot fail.
struct LoadedCache: SummarySource, Sendable {
    private let file: FileBytes
    let identity: FileIdentity
    let covered: Int
    let lines: Int
    let tailHash: UInt64
    let strings: [String]
    let count: Int
    // Where the entries, parts and order stand in the bytes kept (offsets rather than pointers: a
    // pointer outlives no `withUnsafeBytes`, and the cache is read on every core).
    private let entryRange: Range<Int>
    private let partRange: Range<Int>
    private let orderRange: Range<Int>
    /// How many entries have hexadecimal ids, listed in the order of their first 64 bits.
    let orderCount: Int
    /// How many parts the entries have.
    var partCount: Int { partRange.count / SummaryCache.partSize }
    /// The other records (taken out by a read, so they are not held twice).
    var others: OtherRecords
    /// Problems by line number, with `file` the journal's path.
    let problems: [StoreProblem]

    /// The cache open as `file`, or nil when it is not a whole, sound cache of this format.
    /// - Parameter journal: the journal's path, for the problems.
    init?(_ file: FileDescriptor, journal: String) {
        guard let header = SummaryCache.Header(file) else { return nil }
        self.init(file, header: header, journal: journal)
    }

    /// The cache open as `file`, whose header is `header`, or nil when what it holds for a
    /// whole-store read is not whole and sound.
    init?(_ file: FileDescriptor, header: SummaryCache.Header, journal: String) {
        // Read in two: the entries and what finds them, kept; the problems and other records,
        // let go once read.
        let kept = header.range(.strings, through: .order)
        guard let bytes = SummaryCache.read(file, kept),
            let loaded = bytes.withUnsafeBytes({ raw in
                Self.entries(raw, from: kept.lowerBound, header: header)
            })
        else { return nil }
        let rest = header.range(.problems, through: .fullLines)
        guard let restBytes = SummaryCache.read(file, rest),
            let (problems, others) = restBytes.withUnsafeBytes({ raw in
                Self.problemsAndOthers(raw, from: rest.lowerBound, header: header, journal: journal)
            })
        else { return nil }
        self.file = FileBytes(bytes)
        identity = header.identity
        covered = header.covered
        lines = header.lines
        tailHash = header.tailHash
        (strings, count, orderCount) = (loaded.strings, loaded.count, loaded.orderCount)
        (entryRange, partRange, orderRange) = (loaded.entries, loaded.parts, loaded.order)
        self.problems = problems
        self.others = others
    }

    /// The strings, and where the entries, parts and order stand in `raw` (the file's bytes from
    /// `start` on), checked through.
    private static func entries(_ raw: UnsafeRawBufferPointer, from start: Int, header: SummaryCache.Header)
        -> (
            strings: [String], count: Int, orderCount: Int, entries: Range<Int>, parts: Range<Int>,
            order: Range<Int>
        )?
    {
        for section in [SummaryCache.Section.strings, .entries, .parts, .order]
        where !header.isSound(section, in: raw, from: start) {
            return nil
        }
        func range(_ section: SummaryCache.Section) -> Range<Int> {
            let range = header.range(section)
            return range.lowerBound - start..<range.upperBound - start
        }
        var reader = CacheReader(UnsafeRawBufferPointer(rebasing: raw[range(.strings)]))
        guard let strings = reader.strings(), reader.remaining == 0 else { return nil }
        let entrySize = SummaryCache.entrySize
        let (entryRange, partRange, orderRange) = (range(.entries), range(.parts), range(.order))
        guard entryRange.count % entrySize == 0, partRange.count % SummaryCache.partSize == 0 else {
            return nil
        }
        let count = entryRange.count / entrySize
        let partCount = partRange.count / SummaryCache.partSize
        let entryBytes = UnsafeRawBufferPointer(rebasing: raw[entryRange])
        let partBytes = UnsafeRawBufferPointer(rebasing: raw[partRange])
        let limit = UInt32(clamping: strings.count)
        for part in 0..<partCount
        where partBytes.loadUnaligned(fromByteOffset: part * 12, as: UInt32.self).littleEndian >= limit {
            return nil
        }
        for index in 0..<count {
            let entry = Self.entry(entryBytes, index)
            guard Self.isSound(entry, strings: limit),
                Int(entry.partStart) + Int(entry.partCount) <= partCount
            else { return nil }
        }
        let orderCount = orderRange.count / SummaryCache.orderSize
        guard
            Self.forEachOrdered(
                UnsafeRawBufferPointer(rebasing: raw[orderRange]), entries: count, { _, _ in })
        else { return nil }
        return (strings, count, orderCount, entryRange, partRange, orderRange)
    }

    /// The problems and the other records in `raw` (the file's bytes from `start` on), checked
    /// through.
    static func problemsAndOthers(
        _ raw: UnsafeRawBufferPointer, from start: Int, header: SummaryCache.Header, journal: String
    ) -> (problems: [StoreProblem], others: OtherRecords)? {
        for section in [SummaryCache.Section.problems, .otherStrings, .otherEntries, .fullLines]
        where !header.isSound(section, in: raw, from: start) {
            return nil
        }
        func bytes(_ section: SummaryCache.Section) -> UnsafeRawBufferPointer {
            let range = header.range(section)
            return UnsafeRawBufferPointer(rebasing: raw[range.lowerBound - start..<range.upperBound - start])
        }
        guard let problems = Self.problems(bytes(.problems), journal: journal),
            let others = Self.others(
                strings: bytes(.otherStrings), entries: bytes(.otherEntries), lines: bytes(.fullLines))
        else { return nil }
        return (problems, others)
    }

    /// The problems of a `problems` section, with `file` the journal's path.
    static func problems(_ raw: UnsafeRawBufferPointer, journal: String) -> [StoreProblem]? {
        var reader = CacheReader(raw)
        guard let problemCount = reader.int(), problemCount <= reader.remaining else { return nil }
        var problems: [StoreProblem] = []
        for _ in 0..<problemCount {
            guard let line = reader.int(), let kindName = reader.string(),
                let kind = StoreProblem.Kind(rawValue: kindName), let detail = reader.string()
            else { return nil }
            problems.append(StoreProblem(file: journal, line: line, kind: kind, detail: detail))
        }
        guard reader.remaining == 0 else { return nil }
        return problems
    }

    /// The other records, checked through: every string number in range, every kind known, every
    /// goal's action one of those there are, and every record held in full parsed again and of its
    /// entry's kind.
    private static func others(
        strings stringBytes: UnsafeRawBufferPointer, entries raw: UnsafeRawBufferPointer,
        lines lineBytes: UnsafeRawBufferPointer
    ) -> OtherRecords? {
        var reader = CacheReader(stringBytes)
        guard let strings = reader.strings(), reader.remaining == 0 else { return nil }
        let size = OtherEntry.size
        guard raw.count % size == 0 else { return nil }
        let count = raw.count / size
        var entries: [OtherEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = otherEntry(raw, index), isSound(entry, strings: strings) else { return nil }
            entries.append(entry)
        }
        reader = CacheReader(lineBytes)
        guard let fullCount = reader.int(), fullCount <= reader.remaining else { return nil }
        var lines: [[UInt8]] = []
        for _ in 0..<fullCount {
            guard let line = reader.bytes() else { return nil }
            lines.append(line)
        }
        guard reader.remaining == 0, let full = records(of: entries, lines: lines) else { return nil }
        return OtherRecords(pool: StringPool(strings), entries: entries, full: full, fullLines: lines)
    }

    /// The `index`th other record's entry of `raw`, or nil when its kind is none there is.
    static func otherEntry(_ raw: UnsafeRawBufferPointer, _ index: Int) -> OtherEntry? {
        let bytes = FixedEntryBytes(raw: raw, base: index * OtherEntry.size)
        func u64(_ offset: Int) -> UInt64 { bytes.u64(offset) }
        func u32(_ offset: Int) -> UInt32 { bytes.u32(offset) }
        var entry = OtherEntry(time: Double(bitPattern: u64(16)))
        entry.idHigh = u64(0)
        entry.idLow = u64(8)
        entry.version = Int64(bitPattern: u64(24))
        entry.number = u64(32)
        entry.caseID = u32(40)
        entry.writer = u32(44)
        let word = u32(48)
        guard word >> 16 == 0, let kind = OtherRecords.Kind(rawValue: UInt8(word & 0xFF)) else {
            return nil
        }
        entry.kind = kind
        entry.flags = UInt8(word >> 8)
        (entry.a, entry.b, entry.c, entry.d) = (u32(52), u32(56), u32(60), u32(64))
        return entry
    }

    /// Whether every string number of an administration's entry is under `limit` (the number of
    /// strings).
    static func isSound(_ entry: SummaryEntry, strings limit: UInt32) -> Bool {
        guard entry.caseID < limit, !entry.has(.textID) || entry.idHigh < UInt64(limit) else { return false }
        for word in AdministrationField.layout.stringWords where entry.words[word] >= limit { return false }
        return true
    }

    /// Calls `body` with each first 64 bits of a hexadecimal id in the order section `raw`, and the
    /// number of its entry, in order; false (after calling it for those before) when the section
    /// is not whole entries, holds more than `entries`, is out of order, or names an entry past
    /// `entries`.
    static func forEachOrdered(
        _ raw: UnsafeRawBufferPointer, entries count: Int, _ body: (_ high: UInt64, _ entry: Int) -> Void
    ) -> Bool {
        let orderCount = raw.count / SummaryCache.orderSize
        guard raw.count % SummaryCache.orderSize == 0, orderCount <= count else { return false }
        var previous: UInt64 = 0
        for position in 0..<orderCount {
            let bytes = FixedEntryBytes(raw: raw, base: position * SummaryCache.orderSize)
            let (high, index) = (bytes.u64(0), Int(bytes.u32(8)))
            guard high >= previous, index < count else { return false }
            previous = high
            body(high, index)
        }
        return true
    }

    /// Whether every string number of another record's entry is one of `strings`, and a goal's
    /// action one there is.
    static func isSound(_ entry: OtherEntry, strings: [String]) -> Bool {
        let limit = UInt32(clamping: strings.count)
        guard entry.caseID < limit, entry.writer < limit, !entry.has(.textID) || entry.idHigh < UInt64(limit)
        else { return false }
        switch entry.kind {
        case .decision:
            return (entry.has(.flagNumber) || entry.a < limit) && entry.b < limit
                && (!entry.has(.c) || entry.c < limit) && (!entry.has(.d) || entry.d < limit)
        case .goal:
            return entry.a < limit && entry.b < limit && entry.c < limit
                && GoalAction(rawValue: strings[Int(entry.c)]) != nil && (!entry.has(.d) || entry.d < limit)
        case .correction, .withdrawal, .erasure, .administration:
            return true
        }
    }

    /// The records held in full of `entries`, their lines parsed again, or nil when one is not
    /// there, does not parse, or is of another kind than its entry.
    static func records(of entries: [OtherEntry], lines: [[UInt8]]) -> [Record]? {
        var full: [Record] = []
        full.reserveCapacity(lines.count)
        for line in lines {
            // Each line parsed when the cache was made; one that does not now means the cache is
            // not what it seems.
            guard let record = line.withUnsafeBufferPointer({ try? RecordScanner.parse($0, answers: false) })
            else { return nil }
            full.append(record)
        }
        for entry in entries where entry.holdsRecord {
            guard Int(entry.a) < full.count, OtherRecords.Kind(full[Int(entry.a)].body) == entry.kind else {
                return nil
            }
        }
        return full
    }

    func entry(_ index: Int) -> SummaryEntry {
        withBytes(entryRange) { entryBytes in Self.entry(entryBytes, index) }
    }

    func part(_ index: Int) -> (name: UInt32, value: Double) {
        withBytes(partRange) { partBytes in
            (
                partBytes.loadUnaligned(fromByteOffset: index * 12, as: UInt32.self).littleEndian,
                Double(
                    bitPattern: partBytes.loadUnaligned(fromByteOffset: index * 12 + 4, as: UInt64.self)
                        .littleEndian)
            )
        }
    }

    /// The first 64 bits of the `position`th hexadecimal id in order, and its entry's number.
    func ordered(_ position: Int) -> (high: UInt64, index: Int) {
        withBytes(orderRange) { orderBytes in
            (
                orderBytes.loadUnaligned(fromByteOffset: position * 12, as: UInt64.self).littleEndian,
                Int(orderBytes.loadUnaligned(fromByteOffset: position * 12 + 8, as: UInt32.self).littleEndian)
            )
        }
    }

    /// Returns `body` of the file's bytes in `range`.
    @inline(__always)
    private func withBytes<Result>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Result) -> Result
    {
        file.bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// The entries as a table of their own.
    var table: SummaryTable {
        var table = SummaryTable()
        table.append(contentsOf: self)
        return table
    }

    @inline(__always)
    static func entry(_ raw: UnsafeRawBufferPointer, _ index: Int) -> SummaryEntry {
        let bytes = FixedEntryBytes(raw: raw, base: index * SummaryCache.entrySize)
        func u64(_ offset: Int) -> UInt64 { bytes.u64(offset) }
        func u32(_ offset: Int) -> UInt32 { bytes.u32(offset) }
        var entry = SummaryEntry(time: Double(bitPattern: u64(16)))
        entry.idHigh = u64(0)
        entry.idLow = u64(8)
        entry.total = Double(bitPattern: u64(24))
        entry.caseID = u32(32)
        entry.partStart = u32(36)
        entry.partCount = u32(40)
        entry.flags = u32(44)
        for word in 0..<AdministrationField.layout.words { entry.words[word] = u32(48 + 4 * word) }
        return entry
    }
}

/// Little-endian input that returns nil instead of reading past the end.
struct CacheReader {
    let raw: UnsafeRawBufferPointer
    var offset = 0

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    var remaining: Int { raw.count - offset }

    mutating func u32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
    }

    mutating func u64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        defer { offset += 8 }
        return raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
    }

    /// A count or size: a u64 that fits an Int and the bytes left.
    mutating func int() -> Int? {
        guard let value = u64(), value <= UInt64(Int32.max) * 16 else { return nil }
        return Int(value)
    }

    mutating func slice(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + count])
    }

    mutating func bytes() -> [UInt8]? {
        guard let count = int(), let slice = slice(count) else { return nil }
        return Array(slice)
    }

    /// A count, then that many strings.
    mutating func strings() -> [String]? {
        guard let count = int(), count <= remaining else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(count)
        for _ in 0..<count {
            guard let string = string() else { return nil }
            strings.append(string)
        }
        return strings
    }

    mutating func string() -> String? {
        guard let count = int(), let slice = slice(count) else { return nil }
        return String(decoding: slice, as: UTF8.self)
    }
}

/// One fixed-size entry of a cache file, its numbers read little-endian by their offset in it.
struct FixedEntryBytes {
    let raw: UnsafeRawBufferPointer
    /// Where the entry starts in `raw`.
    let base: Int

    @inline(__always)
    func u64(_ offset: Int) -> UInt64 {
        raw.loadUnaligned(fromByteOffset: base + offset, as: UInt64.self).littleEndian
    }

    @inline(__always)
    func u32(_ offset: Int) -> UInt32 {
        raw.loadUnaligned(fromByteOffset: base + offset, as: UInt32.self).littleEndian
    }
}
