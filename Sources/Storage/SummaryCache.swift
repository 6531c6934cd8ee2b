import Foundation

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
/// read, journal identity, `covered`,
/// lines, tail hash, a checksum of the body, the body's length), then the body: the strings, the
/// administrations as fixed-size entries, their parts, the other lines as raw bytes (corrections,
/// goals, decisions: re-read in full), and the problems found.
struct SummaryCache {
    static let magic: UInt32 = 0x4353_4A50
    static let formatVersion: UInt32 = 1
    /// How many bytes at the start and before `covered` are hashed to tell that the journal is
    /// unchanged.
    static let tailLength = 4096

    var identity: FileIdentity
    var covered: Int
    var lines: Int
    var tailHash: UInt64
    var table: SummaryTable
    /// Lines holding records other than administrations, without their line breaks.
    var otherLines: [[UInt8]]
    /// Problems (malformed lines, newer versions) by line number; `file` is filled in when read.
    var problems: [StoreProblem]

    /// The hash of the journal's first bytes and of those just before `covered`.
    static func tailHash(_ file: FileDescriptor, covered: Int) throws(SystemError) -> UInt64 {
        let start = max(0, covered - tailLength)
        return fnv(
            try file.read(at: 0, count: min(covered, tailLength))
                + file.read(at: start, count: covered - start))
    }

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// A checksum of the body, eight bytes at a time (a torn or damaged cache file fails it).
    static func checksum(_ body: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= body.count {
            hash = (hash ^ body.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01b3
            hash ^= hash >> 29
            offset += 8
        }
        while offset < body.count {
            hash = (hash ^ UInt64(body[offset])) &* 0x100_0000_01b3
            offset += 1
        }
        return hash
    }

    // MARK: Writing

    /// The cache file's bytes.
    func encoded() -> [UInt8] {
        var body = CacheWriter()
        body.reserve(table.count * Self.entrySize + table.partNames.count * 12 + (1 << 16))
        body.u64(UInt64(table.pool.count))
        for string in table.pool.strings { body.bytes(Array(string.utf8)) }
        body.u64(UInt64(table.count))
        for entry in table.entries {
            body.u64(entry.idHigh)
            body.u64(entry.idLow)
            body.u64(entry.time.bitPattern)
            body.u64(entry.total.bitPattern)
            body.u64(UInt64(bitPattern: entry.day))
            body.u64(UInt64(bitPattern: entry.age))
            for field in [
                entry.caseID, entry.instrument, entry.worker, entry.respondent, entry.comment,
                entry.partStart,
                entry.partCount, entry.flags,
            ] {
                body.u32(field)
            }
        }
        body.u64(UInt64(table.partNames.count))
        for (name, value) in zip(table.partNames, table.partValues) {
            body.u32(name)
            body.u64(value.bitPattern)
        }
        body.u64(UInt64(otherLines.count))
        for line in otherLines { body.bytes(line) }
        body.u64(UInt64(problems.count))
        for problem in problems {
            body.u64(UInt64(problem.line))
            body.bytes(Array(problem.kind.rawValue.utf8))
            body.bytes(Array(problem.detail.utf8))
        }
        var file = CacheWriter()
        file.u32(Self.magic)
        file.u32(Self.formatVersion)
        file.u32(UInt32(Record.currentSchemaVersion))
        file.u64(identity.device)
        file.u64(identity.inode)
        file.u64(UInt64(covered))
        file.u64(UInt64(lines))
        file.u64(tailHash)
        file.u64(body.buffer.withUnsafeBytes { Self.checksum($0) })
        file.u64(UInt64(body.buffer.count))
        file.append(body.buffer)
        return file.buffer
    }

    /// Writes the cache file next to the others: a new file (0600) renamed over the old one, so
    /// a reader sees the old cache or the new one, never half of one. No fsync: a cache lost in a
    /// crash is rebuilt from the journal.
    func write(to path: String) throws(SystemError) {
        let temporary = "\(path).\(processID).tmp"
        FileSystem.remove(temporary)
        let file = try FileDescriptor.create(temporary)
        do throws(SystemError) {
            try file.writeAll(encoded())
            try FileSystem.rename(temporary, path)
        } catch {
            FileSystem.remove(temporary)
            throw error
        }
    }

    // MARK: Reading

    /// The cache in `bytes`, or nil when they are not a whole cache of this format.
    init?(_ bytes: [UInt8], file: String) {
        let decoded: SummaryCache? = bytes.withUnsafeBytes { raw -> SummaryCache? in
            var reader = CacheReader(raw)
            // A cache made by a Pejling that read fewer schema versions may hold as problems lines
            // this one reads, so it is made anew.
            guard reader.u32() == Self.magic, reader.u32() == Self.formatVersion,
                reader.u32() == UInt32(Record.currentSchemaVersion),
                let device = reader.u64(), let inode = reader.u64(), let covered = reader.int(),
                let lines = reader.int(), let tailHash = reader.u64(), let checksum = reader.u64(),
                let length = reader.int(), length == raw.count - reader.offset,
                Self.checksum(UnsafeRawBufferPointer(rebasing: raw[reader.offset...])) == checksum
            else { return nil }
            return Self.decodeBody(
                &reader, identity: FileIdentity(device: device, inode: inode), covered: covered, lines: lines,
                tailHash: tailHash, file: file)
        }
        guard let decoded else { return nil }
        self = decoded
    }

    init(
        identity: FileIdentity, covered: Int, lines: Int, tailHash: UInt64,
        table: SummaryTable, otherLines: [[UInt8]], problems: [StoreProblem]
    ) {
        self.identity = identity
        self.covered = covered
        self.lines = lines
        self.tailHash = tailHash
        self.table = table
        self.otherLines = otherLines
        self.problems = problems
    }

    private static func decodeBody(
        _ reader: inout CacheReader, identity: FileIdentity, covered: Int, lines: Int, tailHash: UInt64,
        file: String
    ) -> SummaryCache? {
        guard let stringCount = reader.int(), stringCount <= reader.remaining else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            guard let string = reader.string() else { return nil }
            strings.append(string)
        }
        guard let count = reader.int(), count <= reader.remaining / entrySize,
            let raw = reader.slice(count * entrySize), let partCount = reader.int(),
            partCount <= reader.remaining / 12, let rawParts = reader.slice(partCount * 12)
        else { return nil }
        let limit = UInt32(clamping: stringCount)
        var valid = true
        let entries = [SummaryEntry](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                let base = index * entrySize
                func u64(_ offset: Int) -> UInt64 {
                    raw.loadUnaligned(fromByteOffset: base + offset, as: UInt64.self).littleEndian
                }
                func u32(_ offset: Int) -> UInt32 {
                    raw.loadUnaligned(fromByteOffset: base + offset, as: UInt32.self).littleEndian
                }
                var entry = SummaryEntry(time: Double(bitPattern: u64(16)))
                entry.idHigh = u64(0)
                entry.idLow = u64(8)
                entry.total = Double(bitPattern: u64(24))
                entry.day = Int64(bitPattern: u64(32))
                entry.age = Int64(bitPattern: u64(40))
                entry.caseID = u32(48)
                entry.instrument = u32(52)
                entry.worker = u32(56)
                entry.respondent = u32(60)
                entry.comment = u32(64)
                entry.partStart = u32(68)
                entry.partCount = u32(72)
                entry.flags = u32(76)
                // Every number must name a string of the pool and parts of the table.
                if entry.caseID >= limit || entry.instrument >= limit || entry.worker >= limit
                    || entry.respondent >= limit || entry.comment >= limit
                    || (entry.has(.textID) && entry.idHigh >= UInt64(limit))
                    || Int(entry.partStart) + Int(entry.partCount) > partCount
                {
                    valid = false
                }
                (buffer.baseAddress! + index).initialize(to: entry)
            }
            initialized = count
        }
        guard valid else { return nil }
        var partNames: [UInt32] = []
        var partValues: [Double] = []
        partNames.reserveCapacity(partCount)
        partValues.reserveCapacity(partCount)
        for part in 0..<partCount {
            let name = rawParts.loadUnaligned(fromByteOffset: part * 12, as: UInt32.self).littleEndian
            guard name < limit else { return nil }
            partNames.append(name)
            partValues.append(
                Double(
                    bitPattern: rawParts.loadUnaligned(fromByteOffset: part * 12 + 4, as: UInt64.self)
                        .littleEndian))
        }
        let table = SummaryTable(
            pool: StringPool(strings), entries: entries, partNames: partNames, partValues: partValues)
        guard let otherCount = reader.int(), otherCount <= reader.remaining else { return nil }
        var otherLines: [[UInt8]] = []
        otherLines.reserveCapacity(otherCount)
        for _ in 0..<otherCount {
            guard let line = reader.bytes() else { return nil }
            otherLines.append(line)
        }
        guard let problemCount = reader.int(), problemCount <= reader.remaining else { return nil }
        var problems: [StoreProblem] = []
        for _ in 0..<problemCount {
            guard let line = reader.int(), let kindName = reader.string(),
                let kind = StoreProblem.Kind(rawValue: kindName), let detail = reader.string()
            else { return nil }
            problems.append(StoreProblem(file: file, line: line, kind: kind, detail: detail))
        }
        guard reader.remaining == 0 else { return nil }
        return SummaryCache(
            identity: identity, covered: covered, lines: lines, tailHash: tailHash,
            table: table, otherLines: otherLines, problems: problems)
    }

    /// Bytes per administration entry: id (16), time, total, day, age, and eight 32-bit fields
    /// (five string numbers, the first part and the number of parts, flags).
    static let entrySize = 6 * 8 + 8 * 4
}

/// A record id of 32 lowercase hexadecimal digits (what `Store.randomID` makes) as 128 bits.
struct CacheID: Hashable {
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The id's bits, or nil when it is not 32 lowercase hexadecimal digits.
    init?(_ id: String) {
        var id = id
        guard
            let bits = id.withUTF8({ bytes -> (UInt64, UInt64)? in
                guard bytes.count == 32 else { return nil }
                var high: UInt64 = 0
                var low: UInt64 = 0
                for offset in 0..<32 {
                    let byte = bytes[offset]
                    let digit: UInt64
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
                    default: return nil
                    }
                    if offset < 16 { high = high << 4 | digit } else { low = low << 4 | digit }
                }
                return (high, low)
            })
        else { return nil }
        (high, low) = bits
    }

    /// The 32 hexadecimal digits.
    var text: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for offset in 0..<16 {
                let shift = UInt64(60 - 4 * offset)
                buffer[offset] = digits.utf8Start[Int(high >> shift & 0xF)]
                buffer[16 + offset] = digits.utf8Start[Int(low >> shift & 0xF)]
            }
            return 32
        }
    }
}

/// Little-endian output.
private struct CacheWriter {
    var buffer: [UInt8] = []

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
}

/// Little-endian input that returns nil instead of reading past the end.
private struct CacheReader {
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

    mutating func string() -> String? {
        guard let count = int(), let slice = slice(count) else { return nil }
        return String(decoding: slice, as: UTF8.self)
    }
}
