import Support

/// A summary cache file read into memory and checked through, its entries read in place.
///
/// Checking covers the header, the checksum of the body and every number an entry holds (string
/// and part numbers in range), so reading entries afterwards cannot fail.
struct LoadedCache: SummarySource, Sendable {
    private let file: FileBytes
    let identity: FileIdentity
    let covered: Int
    let lines: Int
    let tailHash: UInt64
    let strings: [String]
    let count: Int
    // Where the entries, parts and order stand in the file's bytes (offsets rather than
    // pointers: a pointer outlives no `withUnsafeBytes`, and the cache is read on every core).
    private let entryRange: Range<Int>
    private let partRange: Range<Int>
    private let orderRange: Range<Int>
    /// How many entries have hexadecimal ids, listed in the order of their first 64 bits.
    let orderCount: Int
    /// The other records (taken out by a read, so they are not held twice).
    var others: OtherRecords
    /// Problems by line number, with `file` the journal's path.
    let problems: [StoreProblem]

    /// The cache in `file`, or nil when it is not a whole, sound cache of this format.
    /// - Parameter journal: the journal's path, for the problems.
    init?(_ file: FileBytes, journal: String) {
        guard let cache = file.bytes.withUnsafeBytes({ LoadedCache(raw: $0, journal: journal) }) else {
            return nil
        }
        self = cache
    }

    /// The cache whose bytes are `raw`, checked through.
    private init?(raw: UnsafeRawBufferPointer, journal: String) {
        var reader = CacheReader(raw)
        // A cache made by a Pejling that read fewer schema versions may hold as problems lines
        // this one reads, so it is made anew.
        guard reader.u32() == SummaryCache.magic, reader.u32() == SummaryCache.formatVersion,
            reader.u32() == UInt32(Record.currentSchemaVersion),
            let device = reader.u64(), let inode = reader.u64(), let covered = reader.int(),
            let lines = reader.int(), let tailHash = reader.u64(), let checksum = reader.u64(),
            let length = reader.int(), length == reader.remaining,
            SummaryCache.checksum(UnsafeRawBufferPointer(rebasing: raw[reader.offset...])) == checksum
        else { return nil }
        identity = FileIdentity(device: device, inode: inode)
        self.covered = covered
        self.lines = lines
        self.tailHash = tailHash

        guard let strings = reader.strings() else { return nil }
        self.strings = strings
        let entrySize = SummaryCache.entrySize
        guard let count = reader.int(), count <= reader.remaining / entrySize,
            let entryBytes = reader.slice(count * entrySize), let partCount = reader.int(),
            partCount <= reader.remaining / 12, let partBytes = reader.slice(partCount * 12)
        else { return nil }
        self.count = count
        entryRange = Self.range(of: entryBytes, in: raw)
        partRange = Self.range(of: partBytes, in: raw)
        let limit = UInt32(clamping: strings.count)
        for part in 0..<partCount
        where partBytes.loadUnaligned(fromByteOffset: part * 12, as: UInt32.self) >= limit {
            return nil
        }
        // The string numbers of the text fields, by their place in an entry.
        let stringOffsets = AdministrationField.layout.stringWords.map { 48 + 4 * $0 }
        for index in 0..<count {
            let entry = Self.entry(entryBytes, index)
            guard entry.caseID < limit, !entry.has(.textID) || entry.idHigh < UInt64(limit),
                Int(entry.partStart) + Int(entry.partCount) <= partCount
            else { return nil }
            let base = index * entrySize
            for offset in stringOffsets
            where entryBytes.loadUnaligned(fromByteOffset: base + offset, as: UInt32.self).littleEndian
                >= limit
            {
                return nil
            }
        }

        guard let orderCount = reader.int(), orderCount <= count,
            let orderBytes = reader.slice(orderCount * 12)
        else { return nil }
        var previous: UInt64 = 0
        for position in 0..<orderCount {
            let high = orderBytes.loadUnaligned(fromByteOffset: position * 12, as: UInt64.self).littleEndian
            let index = orderBytes.loadUnaligned(fromByteOffset: position * 12 + 8, as: UInt32.self)
                .littleEndian
            guard high >= previous, Int(index) < count else { return nil }
            previous = high
        }
        orderRange = Self.range(of: orderBytes, in: raw)
        self.orderCount = orderCount

        guard let problemCount = reader.int(), problemCount <= reader.remaining else { return nil }
        var problems: [StoreProblem] = []
        for _ in 0..<problemCount {
            guard let line = reader.int(), let kindName = reader.string(),
                let kind = StoreProblem.Kind(rawValue: kindName), let detail = reader.string()
            else { return nil }
            problems.append(StoreProblem(file: journal, line: line, kind: kind, detail: detail))
        }
        self.problems = problems
        let othersStart = reader.offset
        guard let others = Self.others(&reader) else { return nil }
        self.others = others
        guard reader.remaining == 0 else { return nil }
        // The other records' bytes, read into `others`, are let go of: only the bytes before them
        // are kept, while the entries are taken in.
        self.file = FileBytes(Array(raw[..<othersStart]))
    }

    /// The other records, checked through: every string number in range, every kind known, every
    /// goal's action one of those there are, and every record held in full parsed again and of its
    /// entry's kind.
    private static func others(_ reader: inout CacheReader) -> OtherRecords? {
        guard let strings = reader.strings() else { return nil }
        let size = OtherEntry.size
        guard let count = reader.int(), count <= reader.remaining / size, let raw = reader.slice(count * size)
        else { return nil }
        let limit = UInt32(clamping: strings.count)
        var entries: [OtherEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            let bytes = FixedEntryBytes(raw: raw, base: index * size)
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
            guard entry.caseID < limit, entry.writer < limit,
                !entry.has(.textID) || entry.idHigh < UInt64(limit)
            else { return nil }
            switch kind {
            case .decision:
                guard entry.has(.flagNumber) || entry.a < limit, entry.b < limit,
                    !entry.has(.c) || entry.c < limit, !entry.has(.d) || entry.d < limit
                else { return nil }
            case .goal:
                guard entry.a < limit, entry.b < limit, entry.c < limit,
                    GoalAction(rawValue: strings[Int(entry.c)]) != nil, !entry.has(.d) || entry.d < limit
                else { return nil }
            case .correction, .withdrawal, .erasure, .administration:
                break
            }
            entries.append(entry)
        }
        guard let fullCount = reader.int(), fullCount <= reader.remaining else { return nil }
        var full: [Record] = []
        var lines: [[UInt8]] = []
        for _ in 0..<fullCount {
            // Each line parsed when the cache was made; one that does not now means the cache is
            // not what it seems.
            guard let line = reader.bytes(),
                let record = line.withUnsafeBufferPointer({ try? RecordScanner.parse($0, answers: false) })
            else { return nil }
            full.append(record)
            lines.append(line)
        }
        for entry in entries where entry.holdsRecord {
            guard Int(entry.a) < fullCount, OtherRecords.Kind(full[Int(entry.a)].body) == entry.kind else {
                return nil
            }
        }
        return OtherRecords(pool: StringPool(strings), entries: entries, full: full, fullLines: lines)
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

    /// Where `slice` stands in `whole`, which holds it.
    private static func range(of slice: UnsafeRawBufferPointer, in whole: UnsafeRawBufferPointer) -> Range<
        Int
    > {
        guard let start = slice.baseAddress, let base = whole.baseAddress else { return 0..<0 }
        let offset = base.distance(to: start)
        return offset..<offset + slice.count
    }

    @inline(__always)
    private static func entry(_ raw: UnsafeRawBufferPointer, _ index: Int) -> SummaryEntry {
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
