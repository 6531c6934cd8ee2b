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
/// read, journal identity, `covered`,
/// lines, tail hash, a checksum of the body, the body's length), then the body: the strings, the
/// administrations as fixed-size entries (`entrySize`, worked out from `AdministrationField`'s
/// list: a change of the list is a change of format, and bumps `formatVersion`), their parts,
/// the hexadecimal ids' first halves in order with their entry numbers, the problems found, and
/// the other records (`OtherRecords`: their strings, their fixed-size entries, and the lines of
/// those held in full, parsed again when read).
struct SummaryCache {
    static let magic: UInt32 = 0x4353_4A50
    static let formatVersion: UInt32 = 4
    /// How many bytes at the start and before `covered` are hashed to tell that the journal is
    /// unchanged.
    static let tailLength = 4096

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
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= body.count {
            hash = (hash ^ body.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* FNV1a.prime
            hash ^= hash >> 29
            offset += 8
        }
        while offset < body.count {
            hash = (hash ^ UInt64(body[offset])) &* FNV1a.prime
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
        let words = AdministrationField.layout.words
        for entry in table.entries {
            body.u64(entry.idHigh)
            body.u64(entry.idLow)
            body.u64(entry.time.bitPattern)
            body.u64(entry.total.bitPattern)
            body.u32(entry.caseID)
            body.u32(entry.partStart)
            body.u32(entry.partCount)
            body.u32(entry.flags)
            for word in 0..<words { body.u32(entry.words[word]) }
        }
        body.u64(UInt64(table.partNames.count))
        for (name, value) in zip(table.partNames, table.partValues) {
            body.u32(name)
            body.u64(value.bitPattern)
        }
        // The hexadecimal ids' first 64 bits in order, with their entries: a read finds ids
        // that stand twice (synced copies) by merging these runs instead of hashing every id.
        let order = table.entries.indices.filter { !table.entries[$0].has(.textID) }.sorted {
            (table.entries[$0].idHigh, $0) < (table.entries[$1].idHigh, $1)
        }
        body.u64(UInt64(order.count))
        for index in order {
            body.u64(table.entries[index].idHigh)
            body.u32(UInt32(index))
        }
        body.u64(UInt64(problems.count))
        for problem in problems {
            body.u64(UInt64(problem.line))
            body.bytes(Array(problem.kind.rawValue.utf8))
            body.bytes(Array(problem.detail.utf8))
        }
        // Last, so that a reader keeps the bytes before them and lets these go once read.
        Self.encode(others, into: &body)
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

    /// Writes the other records: their strings, their entries, the lines of those held in full.
    private static func encode(_ others: OtherRecords, into body: inout CacheWriter) {
        body.u64(UInt64(others.pool.count))
        for string in others.pool.strings { body.bytes(Array(string.utf8)) }
        body.u64(UInt64(others.entries.count))
        for entry in others.entries {
            body.u64(entry.idHigh)
            body.u64(entry.idLow)
            body.u64(entry.time.bitPattern)
            body.u64(UInt64(bitPattern: entry.version))
            body.u64(entry.number)
            body.u32(entry.caseID)
            body.u32(entry.writer)
            body.u32(UInt32(entry.kind.rawValue) | UInt32(entry.flags) << 8)
            for field in [entry.a, entry.b, entry.c, entry.d] { body.u32(field) }
        }
        body.u64(UInt64(others.fullLines.count))
        for line in others.fullLines { body.bytes(line) }
    }

    /// Bytes per administration entry: id (16), time, total, the case's string number, the first
    /// part and the number of parts, flags, then the words of the summarized fields of
    /// `AdministrationField`'s list (its layout: a string number in one, a whole number in two).
    static let entrySize = 4 * 8 + 4 * 4 + 4 * AdministrationField.layout.words
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
