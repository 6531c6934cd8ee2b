import Support

/// The case index of a cache file: what a read of one case finds its entries by, so that `chart`,
/// `history`, `ask` and the other commands about one case read a few kilobytes of the cache, not
/// all of it.
///
/// The cases are spread over a power of two of buckets by a hash of their id (`bucket(of:in:)`),
/// about sixteen cases to a bucket. The `buckets` section gives, for each bucket, where its cases
/// start in the `cases` section and the checksum of its bytes; a bucket holds, for each of its
/// cases, the case's id and a block (both with their lengths in front, so a reader passes over
/// another case's block unread) of:
/// - the administrations' strings its entries name, as pairs of their number in the `strings`
///   section (ascending) and the string;
/// - the numbers of its entries in the `entries` section, ascending (its parts are found through
///   them);
/// - the other records' strings its other records name, and their numbers in `otherEntries`, as
///   for the administrations;
/// - the lines of its other records held in full, in their order;
/// - the checksum of the bytes it needs of the file besides: its entries, then their parts, then
///   its other records, each in order, as one run of bytes.
///
/// A case is the records whose case id is its id, as `OtherRecords.only` and the one-case read
/// take it: a correction filed under one case that names another's administration belongs to the
/// case it is filed under.
extension SummaryCache {
    /// About how many cases a bucket holds.
    static let casesPerBucket = 16

    /// The bucket of the case `caseID` among `count` buckets (a power of two).
    static func bucket(of caseID: String, in count: Int) -> Int {
        var text = caseID
        return Int(truncatingIfNeeded: text.withUTF8 { FNV1a.hash($0) } & UInt64(count - 1))
    }

    /// The words of an administration entry that hold a text field's string number, with the flag
    /// that says the entry has the field.
    static let stringFields = AdministrationField.layout.summarized.filter { !$0.isSummaryInteger }.map {
        (word: $0.word, flag: $0.summaryFlag)
    }

    /// The string numbers an administration entry names: its case, its text id, its text fields
    /// (those it has) and its parts' names.
    static func strings(of entry: SummaryEntry, partNames: (Int) -> UInt32, into numbers: inout [UInt32]) {
        numbers.append(entry.caseID)
        if entry.has(.textID) { numbers.append(UInt32(truncatingIfNeeded: entry.idHigh)) }
        for field in stringFields where entry.flags & field.flag != 0 {
            numbers.append(entry.words[field.word])
        }
        let start = Int(entry.partStart)
        for part in start..<start + Int(entry.partCount) { numbers.append(partNames(part)) }
    }

    /// The string numbers another record's entry names: its case, its writer, its text id, and
    /// the fields of a decision or goal that hold strings.
    static func strings(of entry: OtherEntry, into numbers: inout [UInt32]) {
        numbers.append(entry.caseID)
        numbers.append(entry.writer)
        if entry.has(.textID) { numbers.append(UInt32(truncatingIfNeeded: entry.idHigh)) }
        switch entry.kind {
        case .decision:
            if !entry.has(.flagNumber) { numbers.append(entry.a) }
            numbers.append(entry.b)
            if entry.has(.c) { numbers.append(entry.c) }
            if entry.has(.d) { numbers.append(entry.d) }
        case .goal:
            numbers += [entry.a, entry.b, entry.c]
            if entry.has(.d) { numbers.append(entry.d) }
        case .correction, .withdrawal, .erasure, .administration:
            break
        }
    }

    /// The `buckets` and `cases` sections, made from the table, the other records and the bytes of
    /// the `entries`, `parts` and `otherEntries` sections as written.
    func caseIndex(entries entryBytes: [UInt8], parts partBytes: [UInt8], others otherBytes: [UInt8]) -> (
        buckets: [UInt8], cases: [UInt8]
    ) {
        // Each case's entries and other records, the cases in the order first met.
        var cases: [String] = []
        var slots: [String: Int] = [:]
        var entriesOf: [[UInt32]] = []
        var othersOf: [[UInt32]] = []
        func slot(_ caseID: String) -> Int {
            if let slot = slots[caseID] { return slot }
            slots[caseID] = cases.count
            cases.append(caseID)
            entriesOf.append([])
            othersOf.append([])
            return cases.count - 1
        }
        var byNumber = [Int](repeating: -1, count: table.pool.count)
        for (index, entry) in table.rows.enumerated() {
            var found = byNumber[Int(entry.caseID)]
            if found < 0 {
                found = slot(table.pool[entry.caseID])
                byNumber[Int(entry.caseID)] = found
            }
            entriesOf[found].append(UInt32(index))
        }
        byNumber = [Int](repeating: -1, count: others.pool.count)
        // (A number out of range is written only by tests of damaged caches: such an entry is
        // left out of the index, and a read of its case finds the case's entries do not check.)
        for (index, entry) in others.entries.enumerated() where Int(entry.caseID) < byNumber.count {
            var found = byNumber[Int(entry.caseID)]
            if found < 0 {
                found = slot(others.pool[entry.caseID])
                byNumber[Int(entry.caseID)] = found
            }
            othersOf[found].append(UInt32(index))
        }

        var bucketCount = 1
        while bucketCount * Self.casesPerBucket < cases.count { bucketCount *= 2 }
        var inBucket = Array(repeating: [Int](), count: bucketCount)
        for (slot, caseID) in cases.enumerated() {
            inBucket[Self.bucket(of: caseID, in: bucketCount)].append(slot)
        }

        var numbers: [UInt32] = []
        var needed: [UInt8] = []
        /// The case's block.
        func block(_ slot: Int) -> [UInt8] {
            var block = CacheWriter()
            numbers.removeAll(keepingCapacity: true)
            for index in entriesOf[slot] {
                Self.strings(
                    of: table.entry(Int(index)), partNames: { table.partNames[$0] }, into: &numbers)
            }
            block.numberedStrings(numbers, table.pool)
            block.numbers(entriesOf[slot])
            numbers.removeAll(keepingCapacity: true)
            for index in othersOf[slot] { Self.strings(of: others.entries[Int(index)], into: &numbers) }
            block.numberedStrings(numbers, others.pool)
            block.numbers(othersOf[slot])
            let held = othersOf[slot].map { others.entries[Int($0)] }.filter(\.holdsRecord)
            block.u64(UInt64(held.count))
            for entry in held {
                block.bytes(Int(entry.a) < others.fullLines.count ? others.fullLines[Int(entry.a)] : [])
            }
            needed.removeAll(keepingCapacity: true)
            for index in entriesOf[slot] {
                let start = Int(index) * Self.entrySize
                needed += entryBytes[start..<start + Self.entrySize]
            }
            for index in entriesOf[slot] {
                let entry = table.entry(Int(index))
                needed +=
                    partBytes[
                        Int(entry.partStart) * Self.partSize..<Int(entry.partStart + entry.partCount)
                            * Self.partSize]
            }
            for index in othersOf[slot] {
                let start = Int(index) * OtherEntry.size
                needed += otherBytes[start..<start + OtherEntry.size]
            }
            block.u64(Self.checksum(needed))
            return block.buffer
        }

        var buckets = CacheWriter()
        var written = CacheWriter()
        for slots in inBucket {
            let start = written.buffer.count
            for slot in slots {
                written.bytes(Array(cases[slot].utf8))
                written.bytes(block(slot))
            }
            buckets.u64(UInt64(start))
            buckets.u64(written.buffer[start...].withUnsafeBytes { Self.checksum($0) })
        }
        return (buckets.buffer, written.buffer)
    }
}

extension CacheWriter {
    /// A count, then each of `values`.
    mutating func numbers(_ values: [UInt32]) {
        u64(UInt64(values.count))
        for value in values { u32(value) }
    }

    /// The distinct strings of `pool` that `values` number, in the order of their numbers: a
    /// count, then each number with its string.
    mutating func numberedStrings(_ values: [UInt32], _ pool: StringPool) {
        var previous: UInt32?
        let distinct = values.sorted().filter { value in
            defer { previous = value }
            return value != previous && value < pool.count
        }
        u64(UInt64(distinct.count))
        for number in distinct {
            u32(number)
            bytes(Array(pool[number].utf8))
        }
    }
}
