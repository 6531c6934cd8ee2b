import Support

/// One case's records read from a summary cache file through its case index (see
/// `SummaryCache+Cases.swift`): its administrations as a table of their own, in the journal's
/// order, its other records, and the problems of the whole journal.
///
/// It reads the header, the problems, the index's buckets, the case's bucket, and the entries,
/// parts and other records the case's block names: a few kilobytes, whatever the size of the
/// store. Each of them is checked by its checksum, and every entry must name only strings the
/// block gives, its case's id among them, so reading the case afterwards cannot fail. A case the
/// journal does not hold is an empty table.
struct CachedCase: Sendable {
    let table: SummaryTable
    let others: OtherRecords
    let problems: [StoreProblem]

    /// The case `caseID` of the cache open as `file`, whose header is `header`, or nil when what is
    /// read of it is not sound.
    /// - Parameter journal: the journal's path, for the problems.
    init?(_ file: FileDescriptor, header: SummaryCache.Header, caseID: String, journal: String) {
        guard let problemBytes = header.read(.problems, from: file),
            let problems = problemBytes.withUnsafeBytes({ LoadedCache.problems($0, journal: journal) }),
            let block = Self.block(of: caseID, in: file, header: header)
        else { return nil }
        self.problems = problems
        guard !block.isEmpty else {
            (table, others) = (SummaryTable(), OtherRecords())
            return
        }
        guard
            let (table, others) = block.withUnsafeBytes({
                Self.read($0, caseID: caseID, file: file, header: header)
            })
        else { return nil }
        (self.table, self.others) = (table, others)
    }

    /// The block of the case `caseID` in the case index, checked; empty when the journal does not
    /// hold the case, nil when what was read is not sound.
    private static func block(of caseID: String, in file: FileDescriptor, header: SummaryCache.Header)
        -> [UInt8]?
    {
        guard let table = header.read(.buckets, from: file), table.count % 16 == 0 else { return nil }
        let count = table.count / 16
        guard count > 0, count & (count - 1) == 0 else { return nil }
        let bucket = SummaryCache.bucket(of: caseID, in: count)
        let cases = header.range(.cases)
        guard
            let (start, checksum, end) = table.withUnsafeBytes({ raw -> (Int, UInt64, Int)? in
                var reader = CacheReader(raw)
                reader.offset = bucket * 16
                guard let start = reader.int(), let checksum = reader.u64(),
                    let end = bucket + 1 < count ? reader.int() : cases.count
                else { return nil }
                return (start, checksum, end)
            }),
            start <= end, end <= cases.count,
            let bytes = SummaryCache.read(file, cases.lowerBound + start..<cases.lowerBound + end),
            SummaryCache.checksum(bytes) == checksum
        else { return nil }
        // Case ids are ASCII (`CaseID`; the scanners refuse others), so equal ids are equal bytes.
        let wanted = Array(caseID.utf8)
        return bytes.withUnsafeBytes { raw -> [UInt8]? in
            var reader = CacheReader(raw)
            while reader.remaining > 0 {
                guard let nameLength = reader.int(), let name = reader.slice(nameLength),
                    let blockLength = reader.int(), let block = reader.slice(blockLength)
                else { return nil }
                if name.elementsEqual(wanted) { return Array(block) }
            }
            return []
        }
    }

    /// The case's administrations and other records, read from the file as its block `raw` says.
    private static func read(
        _ raw: UnsafeRawBufferPointer, caseID: String, file: FileDescriptor, header: SummaryCache.Header
    ) -> (SummaryTable, OtherRecords)? {
        let (entrySection, partSection, otherSection) = (
            header.range(.entries), header.range(.parts), header.range(.otherEntries)
        )
        let (entrySize, partSize, otherSize) = (
            SummaryCache.entrySize, SummaryCache.partSize, OtherEntry.size
        )
        var reader = CacheReader(raw)
        guard let (numbers, strings) = reader.numberedStrings(),
            let entryNumbers = reader.ascending(below: entrySection.count / entrySize),
            let (otherNumbers, otherStrings) = reader.numberedStrings(),
            let otherEntryNumbers = reader.ascending(below: otherSection.count / otherSize),
            let lineCount = reader.int(), lineCount <= reader.remaining
        else { return nil }
        var lines: [[UInt8]] = []
        for _ in 0..<lineCount {
            guard let line = reader.bytes() else { return nil }
            lines.append(line)
        }
        guard let checksum = reader.u64(), reader.remaining == 0,
            let entryBytes = gather(
                file, in: entrySection,
                entryNumbers.map { Int($0) * entrySize..<Int($0) * entrySize + entrySize })
        else { return nil }

        // The parts, found through the entries (checked with them below, by the block's checksum).
        let partCount = partSection.count / partSize
        let partRanges = entryBytes.withUnsafeBytes { raw in
            entryNumbers.indices.map { index in
                let bytes = FixedEntryBytes(raw: raw, base: index * entrySize)
                let (start, count) = (Int(bytes.u32(36)), Int(bytes.u32(40)))
                return start + count <= partCount ? start * partSize..<(start + count) * partSize : -1..<0
            }
        }
        guard let partBytes = gather(file, in: partSection, partRanges),
            let otherBytes = gather(
                file, in: otherSection,
                otherEntryNumbers.map { Int($0) * otherSize..<Int($0) * otherSize + otherSize }),
            SummaryCache.checksum(entryBytes + partBytes + otherBytes) == checksum
        else { return nil }

        guard
            let table = entryBytes.withUnsafeBytes({ entryRaw in
                partBytes.withUnsafeBytes { partRaw in
                    Self.table(
                        entryRaw, count: entryNumbers.count, parts: partRaw, numbers: numbers,
                        strings: strings,
                        caseID: caseID)
                }
            }),
            let others = otherBytes.withUnsafeBytes({ otherRaw in
                Self.others(
                    otherRaw, count: otherEntryNumbers.count, numbers: otherNumbers, strings: otherStrings,
                    lines: lines, caseID: caseID)
            })
        else { return nil }
        return (table, others)
    }

    /// The case's administrations, their strings numbered anew in the order of `numbers` (the
    /// numbers they have in the file), or nil when one names a string not there or another case.
    private static func table(
        _ raw: UnsafeRawBufferPointer, count: Int, parts: UnsafeRawBufferPointer, numbers: [UInt32],
        strings: [String], caseID: String
    ) -> SummaryTable? {
        var entries: [SummaryEntry] = []
        entries.reserveCapacity(count)
        var (partNames, partValues): ([UInt32], [Double]) = ([], [])
        var part = 0
        for index in 0..<count {
            var entry = LoadedCache.entry(raw, index)
            guard let caseNumber = numbers.place(of: entry.caseID), strings[Int(caseNumber)] == caseID
            else { return nil }
            entry.caseID = caseNumber
            if entry.has(.textID) {
                guard entry.idHigh <= UInt64(UInt32.max), let id = numbers.place(of: UInt32(entry.idHigh))
                else {
                    return nil
                }
                entry.idHigh = UInt64(id)
            }
            // A field the entry lacks holds 0, as in every table.
            for field in SummaryCache.stringFields {
                if entry.flags & field.flag == 0 {
                    entry.words[field.word] = 0
                } else {
                    guard let number = numbers.place(of: entry.words[field.word]) else { return nil }
                    entry.words[field.word] = number
                }
            }
            entry.partStart = UInt32(partNames.count)
            for _ in 0..<Int(entry.partCount) {
                let bytes = FixedEntryBytes(raw: parts, base: part * SummaryCache.partSize)
                guard let name = numbers.place(of: bytes.u32(0)) else { return nil }
                partNames.append(name)
                partValues.append(Double(bitPattern: bytes.u64(4)))
                part += 1
            }
            entries.append(entry)
        }
        return SummaryTable(
            pool: StringPool(strings), entries: entries, partNames: partNames, partValues: partValues)
    }

    /// The case's other records, their strings numbered anew in the order of `numbers` and those
    /// held in full numbered by their place in `lines`, checked as a whole-store read checks them.
    private static func others(
        _ raw: UnsafeRawBufferPointer, count: Int, numbers: [UInt32], strings: [String], lines: [[UInt8]],
        caseID: String
    ) -> OtherRecords? {
        var entries: [OtherEntry] = []
        entries.reserveCapacity(count)
        var held: UInt32 = 0
        for index in 0..<count {
            guard var entry = LoadedCache.otherEntry(raw, index) else { return nil }
            var sound = true
            func renumber(_ value: inout UInt32) {
                if let number = numbers.place(of: value) { value = number } else { sound = false }
            }
            renumber(&entry.caseID)
            renumber(&entry.writer)
            if entry.has(.textID) {
                var id = UInt32(truncatingIfNeeded: entry.idHigh)
                if entry.idHigh > UInt64(UInt32.max) { sound = false }
                renumber(&id)
                entry.idHigh = UInt64(id)
            }
            switch entry.kind {
            case .decision:
                if !entry.has(.flagNumber) { renumber(&entry.a) }
                renumber(&entry.b)
                if entry.has(.c) { renumber(&entry.c) }
                if entry.has(.d) { renumber(&entry.d) }
            case .goal:
                renumber(&entry.a)
                renumber(&entry.b)
                renumber(&entry.c)
                if entry.has(.d) { renumber(&entry.d) }
            case .correction, .withdrawal, .erasure, .administration:
                entry.a = held
                held += 1
            }
            guard sound, strings[Int(entry.caseID)] == caseID, LoadedCache.isSound(entry, strings: strings)
            else { return nil }
            entries.append(entry)
        }
        guard Int(held) == lines.count, let full = LoadedCache.records(of: entries, lines: lines) else {
            return nil
        }
        return OtherRecords(pool: StringPool(strings), entries: entries, full: full, fullLines: lines)
    }

    /// The bytes of `ranges` (offsets in `section` of the file), one after another; ranges close
    /// to one another are read with one pread. Nil when one is outside the section or cannot be read.
    private static func gather(_ file: FileDescriptor, in section: Range<Int>, _ ranges: [Range<Int>])
        -> [UInt8]?
    {
        var gathered: [UInt8] = []
        gathered.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
        var next = 0
        while next < ranges.count {
            // A run of ranges each starting at most a page after the run so far ends.
            var (first, end, last) = (ranges[next].lowerBound, ranges[next].upperBound, next + 1)
            while last < ranges.count, ranges[last].lowerBound >= first, ranges[last].lowerBound <= end + 4096
            {
                end = max(end, ranges[last].upperBound)
                last += 1
            }
            guard first >= 0, end <= section.count,
                let bytes = SummaryCache.read(file, section.lowerBound + first..<section.lowerBound + end)
            else { return nil }
            for range in ranges[next..<last] {
                gathered += bytes[range.lowerBound - first..<range.upperBound - first]
            }
            next = last
        }
        return gathered
    }
}

extension CacheReader {
    /// A count, then each number with its string, the numbers ascending.
    mutating func numberedStrings() -> (numbers: [UInt32], strings: [String])? {
        guard let count = int(), count <= remaining else { return nil }
        var (numbers, strings): ([UInt32], [String]) = ([], [])
        numbers.reserveCapacity(count)
        strings.reserveCapacity(count)
        for _ in 0..<count {
            guard let number = u32(), numbers.last.map({ $0 < number }) ?? true, let string = string() else {
                return nil
            }
            numbers.append(number)
            strings.append(string)
        }
        return (numbers, strings)
    }

    /// A count, then that many numbers, ascending and each below `limit`.
    mutating func ascending(below limit: Int) -> [UInt32]? {
        guard let count = int(), count <= remaining else { return nil }
        var numbers: [UInt32] = []
        numbers.reserveCapacity(count)
        for _ in 0..<count {
            guard let number = u32(), Int(number) < limit, numbers.last.map({ $0 < number }) ?? true else {
                return nil
            }
            numbers.append(number)
        }
        return numbers
    }
}

extension [UInt32] {
    /// The place of `value` in this ascending list, or nil when it is not there.
    fileprivate func place(of value: UInt32) -> UInt32? {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == value ? UInt32(low) : nil
    }
}
