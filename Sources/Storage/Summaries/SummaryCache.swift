import Foundation
import Support

/// What reports read of a journal's complete lines, kept in binary beside the store so the next
/// report need not parse the same JSON again.
///
/// A cache file, `cache/<journal>.summaries`, covers a journal's first `covered` bytes, which end
/// at a line break. It is used only while the journal is the same file (device and inode) and
/// at least that long, and its first and last covered bytes hash as they did: journals only
/// grow, and a repair or erasure replaces the file. What the journal holds beyond `covered` is parsed as
/// usual. A cache that is damaged, of another format, or does not match is ignored and rebuilt;
/// the journals stay the only record. Like them, it is private (0600 in a 0700 folder) and holds
/// no answers, and an erasure deletes every cache file.
///
/// Layout, little-endian: a header (magic `PJSC`, format version, the record schema version
/// read, the number of sections, journal identity, `covered`, lines, tail hash, then each
/// section's offset, length and checksum, and a checksum of the header itself), then the
/// sections (`Section`), one after another. A whole-store read takes in the first eight: the
/// strings, the administrations as fixed-size entries (`entrySize`, worked out from
/// `AdministrationField`'s list: a change of the list is a change of format, and bumps
/// `formatVersion`), their parts, the hexadecimal ids' first halves in order with their entry
/// numbers, the problems found, and the other records (`OtherRecords`: their strings, their
/// fixed-size entries in merge order, and the lines of those held in full, parsed again when
/// read). A one-case
/// read takes in only the last two, the case index (see `SummaryCache+Cases.swift`), and the
/// entries it names, so that it reads a few kilobytes of a file of hundreds of megabytes; each
/// section, and each stretch of the index, has its own checksum, so what is read is checked
/// without reading the rest.
struct SummaryCache {
    static let magic: UInt32 = 0x4353_4A50
    static let formatVersion: UInt32 = 7
    /// How many bytes at the start and before `covered` are hashed to tell that the journal is
    /// unchanged.
    static let tailLength = 4096

    /// The sections of a cache file, in their order in it.
    enum Section: Int, CaseIterable {
        /// The administrations' strings: a count, then each string (its length, then its bytes).
        case strings
        /// The administrations, `entrySize` bytes each.
        case entries
        /// Their parts (scores other than the total): a string number and a value, `partSize` bytes.
        case parts
        /// The hexadecimal ids' first 64 bits in order, each with its entry's number (`orderSize`).
        case order
        /// The problems found: a count, then each one's line, kind and detail.
        case problems
        /// The other records' strings, as `strings`.
        case otherStrings
        /// The other records, `OtherEntry.size` bytes each, in the order `Store.mergeOrder` takes
        /// them from the journal (time, then id, then place in the journal), so that a read merges
        /// the journals' runs as they stand.
        case otherEntries
        /// The lines of the other records held in full: a count, then each line.
        case fullLines
        /// The case index's buckets: for each, where it starts in `cases` and its checksum.
        case buckets
        /// The cases, bucket after bucket: each case's id and what of the file it needs.
        case cases

        /// Whether the section is of fixed-size records, the bulk of the file, checked by a
        /// `WordSum` (a stretch at a time on several cores) rather than `checksum(_:)`.
        var isRecords: Bool {
            switch self {
            case .entries, .parts, .order, .otherEntries: return true
            default: return false
            }
        }
    }

    static let partSize = 12
    static let orderSize = 12

    var identity: FileIdentity
    var covered: Int
    var lines: Int
    var tailHash: UInt64
    var table: SummaryTable
    /// The records other than administrations.
    var others: OtherRecords
    /// Problems (malformed lines, newer versions) by line number; `file` is filled in when read.
    var problems: [StoreProblem]

    /// The hash of the journal's first bytes and of those just before `covered`.
    static func tailHash(_ file: FileDescriptor, covered: Int) throws(SystemError) -> UInt64 {
        let start = max(0, covered - tailLength)
        return FNV1a.hash(
            try file.read(at: 0, count: min(covered, tailLength))
                + file.read(at: start, count: covered - start))
    }

    /// A checksum of the body, eight bytes at a time (a torn or damaged cache file fails it).
    static func checksum(_ body: UnsafeRawBufferPointer) -> UInt64 {
        var checksum = Checksum()
        checksum.add(body)
        return checksum.value
    }

    /// The checksum of a body taken in a stretch at a time, in order: the same as `checksum(_:)`
    /// of the stretches one after another, without holding them together.
    struct Checksum {
        private var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        /// The bytes after the last whole eight, waiting for the next stretch.
        private var carry: [UInt8] = []

        /// Adds the next stretch of the body.
        mutating func add(_ stretch: UnsafeRawBufferPointer) {
            var offset = 0
            if !carry.isEmpty {
                while carry.count < 8, offset < stretch.count {
                    carry.append(stretch[offset])
                    offset += 1
                }
                guard carry.count == 8 else { return }
                carry.withUnsafeBytes { word(of: $0, at: 0) }
                carry = []
            }
            while offset + 8 <= stretch.count {
                word(of: stretch, at: offset)
                offset += 8
            }
            carry = Array(stretch[offset...])
        }

        @inline(__always)
        private mutating func word(of raw: UnsafeRawBufferPointer, at offset: Int) {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* FNV1a.prime
            hash ^= hash >> 29
        }

        /// The checksum of the stretches added (the last bytes that make no whole eight taken
        /// one by one).
        var value: UInt64 {
            var hash = self.hash
            for byte in carry { hash = (hash ^ UInt64(byte)) &* FNV1a.prime }
            return hash
        }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The checksum `section`'s bytes `body` are written with: a `WordSum` for the sections of
    /// fixed-size records (`Section.isRecords`), else `checksum(_:)`.
    static func checksum(_ section: Section, _ body: UnsafeRawBufferPointer) -> UInt64 {
        guard section.isRecords else { return checksum(body) }
        var sum = WordSum()
        sum.add(body)
        return sum.value
    }

    /// A checksum of a body whose stretches can be taken on several cores: the sum of a hash of
    /// each eight bytes mixed with their place in the body (the last bytes that make no whole
    /// eight padded with zeros), then mixed with the body's length.
    ///
    /// Each word's hash is a bijection of the word at its place, so a body with one word changed
    /// never has the checksum written, and the sums of stretches found apart add up to the sum of
    /// the whole (`sum(_:at:)`, `add(sum:count:)`). The bulk of a cache file, its entries and
    /// parts, are checked so as the table is gathered from them on every core.
    struct WordSum {
        private var sum: UInt64 = 0
        /// How many bytes were added.
        private(set) var count = 0
        /// The bytes after the last whole eight (`count % 8` of them, little-endian).
        private var carry: UInt64 = 0
        /// Whether the last bytes that make no whole eight are in `sum` already (added by
        /// `add(sum:count:)`) rather than waiting in `carry`.
        private var summedLast = false

        /// The sum of the hashes of the words of `bytes`, which stand from byte `offset` of the
        /// body on (a multiple of eight); the last bytes that make no whole eight, if any, are
        /// padded with zeros.
        static func sum(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
            precondition(offset % 8 == 0, "a stretch at byte \(offset)")
            var sum: UInt64 = 0
            // The place's share of each word's hash, moved on a word at a time.
            let factor = placeFactor
            var key = UInt64(offset / 8) &* factor
            let words = bytes.count / 8
            for word in 0..<words {
                sum &+= mixed(
                    bytes.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self).littleEndian &+ key)
                key &+= factor
            }
            if bytes.count % 8 != 0 {
                var last: UInt64 = 0
                for (shift, byte) in bytes[(words * 8)...].enumerated() {
                    last |= UInt64(byte) << (8 * shift)
                }
                sum &+= mixed(last &+ key)
            }
            return sum
        }

        private static let placeFactor: UInt64 = 0x9E37_79B9_7F4A_7C15

        /// The hash of `word` at place `place` (in words from the body's start): a bijection of
        /// the word for any place.
        @inline(__always)
        private static func hash(_ word: UInt64, _ place: UInt64) -> UInt64 {
            mixed(word &+ place &* placeFactor)
        }

        /// A bijection of 64 bits that spreads each bit over the others (shifts and an odd
        /// multiplier, each undone by its inverse).
        @inline(__always)
        private static func mixed(_ word: UInt64) -> UInt64 {
            var mixed = word ^ word >> 32
            mixed &*= 0xD6E8_FEB8_6659_FD93
            return mixed ^ mixed >> 29
        }

        /// Adds the next stretch of the body.
        mutating func add(_ stretch: UnsafeRawBufferPointer) {
            var offset = 0
            if count % 8 != 0 {
                while count % 8 != 0, offset < stretch.count {
                    carry |= UInt64(stretch[offset]) << (8 * UInt64(count % 8))
                    count += 1
                    offset += 1
                }
                guard count % 8 == 0 else { return }
                sum &+= Self.hash(carry, UInt64(count / 8 - 1))
                carry = 0
            }
            let whole = (stretch.count - offset) / 8 * 8
            add(
                sum: Self.sum(UnsafeRawBufferPointer(rebasing: stretch[offset..<offset + whole]), at: count),
                count: whole)
            for byte in stretch[(offset + whole)...] {
                carry |= UInt64(byte) << (8 * UInt64(count % 8))
                count += 1
            }
        }

        /// Adds the next `count` bytes of the body, whose sum (`sum(_:at:)`, found at the bytes
        /// added so far, a whole number of words) is `sum`; `count` is a multiple of eight but
        /// for the body's last stretch.
        mutating func add(sum: UInt64, count: Int) {
            precondition(self.count % 8 == 0, "a stretch after \(self.count) bytes")
            self.sum &+= sum
            self.count += count
            summedLast = count % 8 != 0
        }

        /// The checksum of the bytes added.
        var value: UInt64 {
            var total = sum
            if count % 8 != 0 && !summedLast { total &+= Self.hash(carry, UInt64(count / 8)) }
            return Self.hash(total ^ UInt64(count), 0)
        }
    }

    // MARK: Writing

    /// The cache file's bytes.
    func encoded() -> [UInt8] {
        Array(encodedParts().joined())
    }

    /// The cache file's bytes in parts: the header, then each section; the other records in the
    /// order the merge takes them (`OtherRecords.inMergeOrder`).
    private func encodedParts() -> [[UInt8]] {
        var ordered = self
        ordered.others = others.inMergeOrder()
        return ordered.sections()
    }

    /// `encodedParts()` of a cache whose other records stand in the order they are to be written.
    private func sections() -> [[UInt8]] {
        var sections = Array(repeating: CacheWriter(), count: Section.allCases.count)
        func write(_ section: Section, _ body: (inout CacheWriter) -> Void) {
            body(&sections[section.rawValue])
        }
        write(.strings) { $0.strings(table.pool.strings) }
        write(.entries) { out in
            out.reserve(table.count * Self.entrySize)
            let words = AdministrationField.layout.words
            for index in 0..<table.count {
                let entry = table.entry(index)
                out.u64(entry.idHigh)
                out.u64(entry.idLow)
                out.u64(entry.time.bitPattern)
                out.u64(entry.total.bitPattern)
                out.u32(entry.caseID)
                out.u32(entry.partStart)
                out.u32(entry.partCount)
                out.u32(entry.flags)
                for word in 0..<words { out.u32(entry.words[word]) }
            }
        }
        write(.parts) { out in
            out.reserve(table.partNames.count * Self.partSize)
            for (name, value) in zip(table.partNames, table.partValues) {
                out.u32(name)
                out.u64(value.bitPattern)
            }
        }
        // The hexadecimal ids' first 64 bits in order, with their entries: a read finds ids
        // that stand twice (synced copies) by merging these runs instead of hashing every id.
        write(.order) { out in
            let rows = table.rows
            let order = rows.indices.filter { !table.hasTextID($0) }.sorted {
                (rows[$0].idHigh, $0) < (rows[$1].idHigh, $1)
            }
            out.reserve(order.count * Self.orderSize)
            for index in order {
                out.u64(rows[index].idHigh)
                out.u32(UInt32(index))
            }
        }
        write(.problems) { out in
            out.u64(UInt64(problems.count))
            for problem in problems {
                out.u64(UInt64(problem.line))
                out.bytes(Array(problem.kind.rawValue.utf8))
                out.bytes(Array(problem.detail.utf8))
            }
        }
        write(.otherStrings) { $0.strings(others.pool.strings) }
        write(.otherEntries) { out in
            out.reserve(others.entries.count * OtherEntry.size)
            for entry in others.entries {
                out.u64(entry.idHigh)
                out.u64(entry.idLow)
                out.u64(entry.time.bitPattern)
                out.u64(UInt64(bitPattern: entry.version))
                out.u64(entry.number)
                out.u32(entry.caseID)
                out.u32(entry.writer)
                out.u32(UInt32(entry.kind.rawValue) | UInt32(entry.flags) << 8)
                for field in [entry.a, entry.b, entry.c, entry.d] { out.u32(field) }
            }
        }
        write(.fullLines) { out in
            out.u64(UInt64(others.fullLines.count))
            for line in others.fullLines { out.bytes(line) }
        }
        let index = caseIndex(
            entries: sections[Section.entries.rawValue].buffer,
            parts: sections[Section.parts.rawValue].buffer,
            others: sections[Section.otherEntries.rawValue].buffer)
        sections[Section.buckets.rawValue] = CacheWriter(index.buckets)
        sections[Section.cases.rawValue] = CacheWriter(index.cases)

        var header = CacheWriter()
        header.u32(Self.magic)
        header.u32(Self.formatVersion)
        header.u32(UInt32(Record.currentSchemaVersion))
        header.u32(UInt32(Section.allCases.count))
        header.u64(identity.device)
        header.u64(identity.inode)
        header.u64(UInt64(covered))
        header.u64(UInt64(lines))
        header.u64(tailHash)
        var offset = Header.size
        for (section, written) in zip(Section.allCases, sections) {
            header.u64(UInt64(offset))
            header.u64(UInt64(written.buffer.count))
            header.u64(written.buffer.withUnsafeBytes { Self.checksum(section, $0) })
            offset += written.buffer.count
        }
        header.u64(Self.checksum(header.buffer))
        return [header.buffer] + sections.map(\.buffer)
    }

    /// Writes the cache file next to the others: a new file (0600) renamed over the old one, so
    /// a reader sees the old cache or the new one, never half of one. No fsync: a cache lost in a
    /// crash is rebuilt from the journal.
    func write(to path: String) throws(SystemError) {
        let temporary = "\(path).\(processID).tmp"
        FileSystem.remove(temporary)
        let file = try FileDescriptor.create(temporary)
        do throws(SystemError) {
            for part in encodedParts() { try file.writeAll(part) }
            try FileSystem.rename(temporary, path)
        } catch {
            FileSystem.remove(temporary)
            throw error
        }
    }

    /// Bytes per administration entry: id (16), time, total, the case's string number, the first
    /// part and the number of parts, flags, then the words of the summarized fields of
    /// `AdministrationField`'s list (its layout: a string number in one, a whole number in two).
    static let entrySize = 4 * 8 + 4 * 4 + 4 * AdministrationField.layout.words
}

extension SummaryCache {
    /// A cache file's header: what the cache covers of its journal, and where each section stands.
    struct Header: Sendable {
        var identity: FileIdentity
        var covered: Int
        var lines: Int
        var tailHash: UInt64
        /// Each section's bytes in the file and their checksum, by `Section`.
        private var places: [(range: Range<Int>, checksum: UInt64)]

        /// Bytes of a header: four 32-bit words, five 64-bit numbers, three for each section, and
        /// the header's checksum.
        static let size = 4 * 4 + 5 * 8 + 3 * 8 * Section.allCases.count + 8

        /// The header of the cache open as `file`, or nil when it is not a whole header of this
        /// format whose sections follow it one after another.
        init?(_ file: FileDescriptor) {
            guard let bytes = SummaryCache.read(file, 0..<Self.size) else { return nil }
            guard let header = bytes.withUnsafeBytes({ Header(raw: $0) }) else { return nil }
            self = header
        }

        private init?(raw: UnsafeRawBufferPointer) {
            var reader = CacheReader(raw)
            // A cache made by a Pejling that read fewer schema versions may hold as problems lines
            // this one reads, so it is made anew.
            guard reader.u32() == SummaryCache.magic, reader.u32() == SummaryCache.formatVersion,
                reader.u32() == UInt32(Record.currentSchemaVersion),
                reader.u32() == UInt32(Section.allCases.count),
                let device = reader.u64(), let inode = reader.u64(), let covered = reader.int(),
                let lines = reader.int(), let tailHash = reader.u64()
            else { return nil }
            var places: [(range: Range<Int>, checksum: UInt64)] = []
            var end = Self.size
            for _ in Section.allCases {
                guard let offset = reader.int(), let length = reader.int(), let checksum = reader.u64(),
                    offset == end
                else { return nil }
                places.append((offset..<offset + length, checksum))
                end = offset + length
            }
            let checked = reader.offset
            guard let checksum = reader.u64(), reader.remaining == 0,
                SummaryCache.checksum(UnsafeRawBufferPointer(rebasing: raw[..<checked])) == checksum
            else { return nil }
            identity = FileIdentity(device: device, inode: inode)
            (self.covered, self.lines, self.tailHash, self.places) = (covered, lines, tailHash, places)
        }

        /// Where `section` stands in the file.
        func range(_ section: Section) -> Range<Int> { places[section.rawValue].range }

        /// The checksum `section`'s bytes were written with.
        func checksum(_ section: Section) -> UInt64 { places[section.rawValue].checksum }

        /// The bytes of the sections from `first` to `last` (which follow one another).
        func range(_ first: Section, through last: Section) -> Range<Int> {
            range(first).lowerBound..<range(last).upperBound
        }

        /// The bytes of `section`, read from `file` and checked; nil when they cannot all be read
        /// or are not those written.
        func read(_ section: Section, from file: FileDescriptor) -> [UInt8]? {
            guard let bytes = SummaryCache.read(file, range(section)),
                bytes.withUnsafeBytes({ SummaryCache.checksum(section, $0) })
                    == places[section.rawValue].checksum
            else { return nil }
            return bytes
        }

        /// Whether the bytes of `section`, which `bytes` holds from `start` of the file on, are
        /// those written.
        func isSound(_ section: Section, in bytes: UnsafeRawBufferPointer, from start: Int) -> Bool {
            let range = self.range(section)
            guard range.lowerBound >= start, range.upperBound - start <= bytes.count else { return false }
            let slice = UnsafeRawBufferPointer(
                rebasing: bytes[range.lowerBound - start..<range.upperBound - start])
            return SummaryCache.checksum(section, slice) == places[section.rawValue].checksum
        }
    }

    /// The bytes of `file` in `range`, or nil when they cannot all be read.
    static func read(_ file: FileDescriptor, _ range: Range<Int>) -> [UInt8]? {
        guard let bytes = try? file.read(at: range.lowerBound, count: range.count), bytes.count == range.count
        else { return nil }
        return bytes
    }
}

/// Little-endian output.
struct CacheWriter {
    var buffer: [UInt8] = []

    init(_ buffer: [UInt8] = []) { self.buffer = buffer }

    mutating func reserve(_ count: Int) { buffer.reserveCapacity(count) }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// A length, then the bytes.
    mutating func bytes(_ value: [UInt8]) {
        u64(UInt64(value.count))
        buffer.append(contentsOf: value)
    }

    mutating func append(_ value: [UInt8]) { buffer.append(contentsOf: value) }

    /// A count, then each string.
    mutating func strings(_ values: [String]) {
        u64(UInt64(values.count))
        for string in values { bytes(Array(string.utf8)) }
    }
}
