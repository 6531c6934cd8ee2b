import Support

/// A summary cache file as a whole-store read takes it in when it will not be rewritten: what
/// finds the entries (the strings), the problems and the other records are read and checked when
/// it is opened; the hexadecimal ids in order are read when the repeated ids are found (`idRun`,
/// beside the merge of the other records), and its entries and their parts stay in the file and
/// are read a stretch at a time as the table is gathered (`SummaryTable(gathering:)`), checked
/// there and let go.
///
/// So the caches of a store are never in memory whole beside the table made of them. A stretch
/// that does not check, or sections whose checksums turn out wrong once read through, make the
/// gathering fail (`DamagedCache`), and the read starts again without this cache.
struct StreamedCache: Sendable {
    let file: FileDescriptor
    let header: SummaryCache.Header
    let strings: [String]
    /// How many entries, and parts, the file holds.
    let count: Int
    let partCount: Int
    /// The entries with ids that are not hexadecimal, by their number (they are few; found when
    /// opened, as the ids that count are settled before any entry is taken in).
    private(set) var textIDs: [(place: Int, entry: SummaryEntry)] = []
    /// The other records (taken out by a read, so they are not held twice).
    var others: OtherRecords
    /// Problems by line number, with `file` the journal's path.
    let problems: [StoreProblem]

    /// Entries read in one stretch: few enough that a stretch's bytes, and the entries made of
    /// them, are blocks the allocator reuses (under 128 KB), not mappings of their own.
    static let stretch = 1_024

    /// The cache open as `file`, whose header is `header`, or nil when what it holds besides the
    /// entries and parts is not whole and sound.
    /// - Parameter journal: the journal's path, for the problems.
    init?(_ file: FileDescriptor, header: SummaryCache.Header, journal: String) {
        self.file = file
        self.header = header
        let (entryLength, partLength) = (header.range(.entries).count, header.range(.parts).count)
        guard entryLength % SummaryCache.entrySize == 0, partLength % SummaryCache.partSize == 0,
            let stringBytes = header.read(.strings, from: file),
            let strings = stringBytes.withUnsafeBytes({ raw -> [String]? in
                var reader = CacheReader(raw)
                guard let strings = reader.strings(), reader.remaining == 0 else { return nil }
                return strings
            })
        else { return nil }
        self.strings = strings
        let count = entryLength / SummaryCache.entrySize
        self.count = count
        partCount = partLength / SummaryCache.partSize
        let orderCount = header.range(.order).count / SummaryCache.orderSize
        let rest = header.range(.problems, through: .fullLines)
        guard let restBytes = SummaryCache.read(file, rest),
            let (problems, others) = restBytes.withUnsafeBytes({ raw in
                LoadedCache.problemsAndOthers(raw, from: rest.lowerBound, header: header, journal: journal)
            })
        else { return nil }
        self.problems = problems
        self.others = others
        if count == 0 {
            // No stretch will be read: the sections are checked here.
            guard partCount == 0, header.read(.entries, from: file) != nil,
                header.read(.parts, from: file) != nil
            else { return nil }
        }
        // Entries without a place in the order have ids that are not hexadecimal.
        if orderCount < count {
            for start in stride(from: 0, to: count, by: Self.stretch) {
                guard let bytes = entryBytes(start..<min(count, start + Self.stretch)) else { return nil }
                let found = bytes.withUnsafeBytes { raw -> [(place: Int, entry: SummaryEntry)]? in
                    var found: [(place: Int, entry: SummaryEntry)] = []
                    for index in 0..<raw.count / SummaryCache.entrySize {
                        let entry = LoadedCache.entry(raw, index)
                        guard entry.has(.textID) else { continue }
                        guard isSound(entry) else { return nil }
                        found.append((start + index, entry))
                    }
                    return found
                }
                guard let found else { return nil }
                textIDs += found
            }
        }
    }

    /// The hexadecimal ids' first 64 bits in order, with their entries' numbers, read from the
    /// order section; nil when it is not whole and sound (the cache is then damaged, as when a
    /// stretch of its entries does not check).
    func idRun() -> (highs: [UInt64], positions: [Int])? {
        guard let orderBytes = header.read(.order, from: file) else { return nil }
        let orderCount = orderBytes.count / SummaryCache.orderSize
        var (highs, positions) = ([UInt64](), [Int]())
        highs.reserveCapacity(orderCount)
        positions.reserveCapacity(orderCount)
        let sorted = orderBytes.withUnsafeBytes { raw in
            LoadedCache.forEachOrdered(raw, entries: count) { high, index in
                highs.append(high)
                positions.append(index)
            }
        }
        return sorted ? (highs, positions) : nil
    }

    /// The bytes of the entries numbered `range`, or nil when they cannot all be read.
    func entryBytes(_ range: Range<Int>) -> [UInt8]? {
        let start = header.range(.entries).lowerBound
        return SummaryCache.read(
            file,
            start + range.lowerBound * SummaryCache.entrySize..<start + range.upperBound
                * SummaryCache.entrySize)
    }

    /// The bytes of the parts numbered `range`, or nil when they cannot all be read.
    func partBytes(_ range: Range<Int>) -> [UInt8]? {
        let start = header.range(.parts).lowerBound
        return SummaryCache.read(
            file,
            start + range.lowerBound * SummaryCache.partSize..<start + range.upperBound
                * SummaryCache.partSize)
    }

    /// Whether every string number of `entry` is one of the strings.
    func isSound(_ entry: SummaryEntry) -> Bool {
        LoadedCache.isSound(entry, strings: UInt32(clamping: strings.count))
    }

    /// The id and time of the entry numbered `position`, read from the file (for the few whose
    /// ids' first halves meet another's). An entry that cannot be read is given as an id of zeros
    /// written at no time (+∞), so it never counts over a copy that could be read; the gathering
    /// reads every entry again and checks it against the section's checksum.
    func copy(_ position: Int) -> FirstCopies.Copy {
        guard position < count, let bytes = entryBytes(position..<position + 1) else {
            return .init(high: 0, low: 0, time: .infinity)
        }
        let entry = bytes.withUnsafeBytes { LoadedCache.entry($0, 0) }
        return .init(high: entry.idHigh, low: entry.idLow, time: entry.time)
    }
}
