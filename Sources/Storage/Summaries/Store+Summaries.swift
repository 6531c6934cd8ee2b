import Foundation
import Support

extension Store {
    /// Reads the store for reports: administrations as a `SummaryTable` (no answers), other
    /// records as `OtherRecords`.
    ///
    /// Each journal's complete lines are read from its summary cache (`cache/`, see
    /// `SummaryCache`) as far as the cache still matches the journal; the rest is cut into pieces
    /// at line breaks and parsed in parallel. When at least `cacheAfter` bytes were parsed, the
    /// journal's cache is written anew (best effort: a store others only read stays as it is).
    /// Journals are merged in name order; of the copies of an id (a synced copy of a journal),
    /// the one `FirstCopies` says counts is read.
    /// - Parameters:
    ///   - caseID: when given, only this case's records are read (problems are reported for all):
    ///     of each cache only what its case index names (`CachedCase`), unless the cache is to be
    ///     written anew.
    ///   - pieceSize: about how many bytes one parallel task parses.
    ///   - cacheAfter: how many newly parsed bytes make a journal's cache worth rewriting.
    ///   - parsingAhead: from how many bytes to parse the read writes the caches first
    ///     (`parseAheadLimit`), whole-store or one case.
    package func readSummaries(
        caseID only: String? = nil, pieceSize: Int = 8 << 20, cacheAfter: Int = 1 << 20,
        parsingAhead: Int = parseAheadLimit
    ) throws(StorageError) -> SummarySnapshot {
        try readSummaries(
            only, pieceSize: pieceSize, cacheAfter: cacheAfter, parsingAhead: parsingAhead, prepare: nil)
    }

    /// Reads the whole store for reports as `readSummaries(caseID:pieceSize:cacheAfter:)` does,
    /// handing the other records to `prepare` as soon as they are merged, before the
    /// administrations are taken in: what `prepare` keeps of them is returned beside a snapshot
    /// that holds none of them, so the other records (millions of decisions) are never held
    /// beside the table. When at least `parsedLimit` bytes of the journals were parsed now, their
    /// administrations are in memory already, beside the other records: these are then handed
    /// over once the table is taken in (and the parsed pieces let go).
    package func readSummaries<Prepared>(
        pieceSize: Int = 8 << 20, cacheAfter: Int = 1 << 20,
        preparingAfterParsing parsedLimit: Int = returnAfter, parsingAhead: Int = parseAheadLimit,
        preparingOthers prepare: (OtherRecords) -> Prepared
    ) throws(StorageError) -> (snapshot: SummarySnapshot, prepared: Prepared) {
        var prepared: Prepared?
        // Called on this thread only, before the read returns.
        let snapshot = try withoutActuallyEscaping(prepare) { (prepare) throws(StorageError) in
            try readSummaries(
                nil, pieceSize: pieceSize, cacheAfter: cacheAfter, parsingAhead: parsingAhead,
                prepare: ({ prepared = prepare($0) }, parsedLimit))
        }
        return (snapshot, prepared!)
    }

    private func readSummaries(
        _ only: String?, pieceSize: Int, cacheAfter: Int, parsingAhead: Int, prepare: Preparation?
    ) throws(StorageError) -> SummarySnapshot {
        guard exists else { throw .noStore(directory) }
        Phases.begin()
        // A cache found damaged only as its entries are taken in is read no more: the journal is
        // parsed instead (and its cache written anew), in a read that starts again. So does a
        // read that wrote the caches ahead, once (`writeCachesAhead`).
        var damaged = Set<String>()
        var ahead: Int? = parsingAhead
        while true {
            if let snapshot = try readSummaries(
                only, pieceSize: pieceSize, cacheAfter: cacheAfter, damaged: &damaged, ahead: &ahead,
                prepare: prepare)
            {
                return snapshot
            }
        }
    }

    /// One read of `readSummaries(caseID:pieceSize:cacheAfter:)`, with the caches of the
    /// journals named in `damaged` ignored; nil when a cache turned out damaged while it was
    /// taken in (its journal's name is then added to `damaged`), or when the caches were written
    /// ahead (from `ahead` bytes to parse; it is then set to nil).
    private func readSummaries(
        _ only: String?, pieceSize: Int, cacheAfter: Int, damaged: inout Set<String>, ahead: inout Int?,
        prepare: Preparation?
    ) throws(StorageError) -> SummarySnapshot? {
        let names = try journalNames()
        let ignored = damaged
        var journals = parallelMap(names.count) { index in
            JournalRead(
                path: journalsPath + "/" + names[index], cache: summaryCachePath(names[index]), only: only,
                cacheAfter: cacheAfter, ignoringCache: ignored.contains(names[index]))
        }
        Phases.mark("open")
        if let limit = ahead {
            ahead = nil
            if try writeCachesAhead(&journals, limit: limit, pieceSize: pieceSize, cacheAfter: cacheAfter) {
                Phases.mark("ahead")
                return nil
            }
        }
        var pieces: [Piece] = []
        var owners: [Int] = []
        for (index, journal) in journals.enumerated() {
            let found = try journal.pieces(size: pieceSize)
            pieces += found
            owners += repeatElement(index, count: found.count)
        }
        // A read of one case keeps only that case's records of what it parses from a journal whose
        // cache it cannot write (so an erasure's check of a big store without caches holds
        // little): a place still counts the case's entries of its journal, as the read below
        // counts them.
        let keeping = journals.map { only != nil && !$0.mayWriteCache(cacheAfter: cacheAfter) ? only : nil }
        var scans = parallelMap(taking: pieces.indices.map { (pieces[$0], keeping[owners[$0]]) }) {
            piece, caseID in PieceScan(piece, keeping: caseID)
        }
        let parsed = scans.reduce(0) { $0 + $1.complete }
        var byJournal = Array(repeating: [PieceScan](), count: journals.count)
        for (index, scan) in scans.enumerated() { byJournal[owners[index]].append(scan) }
        // Held once, so that each piece's table is let go as soon as it is taken in.
        scans = []
        // Parsing leaves its records' strings freed in small blocks: handed back before the
        // caches and the table are made.
        if parsed >= Self.returnAfter { ProcessTuning.returnFreedMemory() }
        // Caches are written under the erasure lock, shared, and only for journals an erasure has
        // not replaced since they were read (see `erasureLockPath`); a store that cannot hold the
        // lock (one others only read) gets no caches.
        let wanted = journals.indices.map { journals[$0].wantsCache(byJournal[$0], cacheAfter: cacheAfter) }
        let writing = wanted.contains(true)
        var problems: [StoreProblem] = []
        var otherRuns: [OtherRecords] = []
        // By index, so that the run taken out is the only holder of its records and grows in
        // place (a copy of the journal would hold them too, and appending would copy them).
        for index in journals.indices {
            problems += journals[index].problems(with: byJournal[index])
            otherRuns.append(journals[index].takeOthers(&byJournal[index]))
        }
        // A journal whose cache is written anew has its other records put in merge order once, on
        // every core: so its cache keeps them, and the merge below takes them as they stand.
        if writing {
            let runs = otherRuns
            otherRuns = []
            otherRuns = parallelMap(runs.count) { wanted[$0] ? runs[$0].inMergeOrder() : runs[$0] }
        }
        let lock = writing ? try? erasureLock(exclusive: false) : nil
        // Each cache is made from a copy of its journal's table: caches are written side by side
        // (on every core) only while the entries they hold together stay within
        // `cacheWriteBudget`, so a big store's are written one at a time.
        let sizes = journals.indices.map { index in
            wanted[index]
                ? byJournal[index].reduce(journals[index].cached?.count ?? 0) { $0 + $1.table.count } : 0
        }
        for group in Self.cacheWriteGroups(sizes) {
            let (reads, scansByJournal, runs, locked) = (journals, byJournal, otherRuns, lock != nil)
            _ = parallelMap(group.count) { place in
                reads[group[place]].refreshCache(
                    with: scansByJournal[group[place]], others: runs[group[place]], cacheAfter: cacheAfter,
                    folder: cachePath, locked: locked)
            }
        }
        withExtendedLifetime(lock) {}
        // So do the caches written (their tables and sections, made on every core).
        if writing && parsed >= Self.returnAfter { ProcessTuning.returnFreedMemory() }
        if let only { otherRuns = otherRuns.map { $0.only(only) } }

        Phases.mark("scan")
        var fingerprint = Fingerprint()
        for (name, journal) in zip(names, journals) {
            fingerprint.add(name, identity: journal.identity, size: journal.size, endHash: journal.endHash)
        }
        // A read that takes every journal from its cache alone takes the merge saved for the
        // store as it is (`SavedMerge`), or saves the one it works out: the places it saves are
        // the caches' own.
        let cachedOnly =
            only == nil && pieces.isEmpty
            && journals.allSatisfy { $0.problem == nil && ($0.streamed != nil || $0.size == 0) }
        let counts = (others: otherRuns.map(\.count), administrations: journals.map(\.cachedCount))
        let saved =
            cachedOnly
            ? derived(SavedMerge.name, fingerprint: fingerprint.value).flatMap {
                SavedMerge($0, others: counts.others, administrations: counts.administrations)
            } : nil
        // The other records are merged while the repeated ids are found: neither needs the other.
        // (The copies go at the end of the block: the journals are let go of one by one below.)
        var found:
            [(
                others: OtherRecords, order: [(run: Int32, place: Int32)],
                repeated: Result<[Set<Int>], DamagedCache>
            )]
        do {
            let (reads, scansByJournal, runs, savedMerge) = (journals, byJournal, otherRuns, saved)
            otherRuns = []
            found = parallelMap(2) { task in
                guard task == 0 else {
                    return (
                        others: OtherRecords(), order: [],
                        repeated: savedMerge.map { .success($0.repeated) }
                            ?? Self.repeatedIDs(reads, scans: scansByJournal, only: only)
                    )
                }
                let order = savedMerge?.order ?? OtherRecords.mergeOrder(runs)
                return (
                    others: OtherRecords.merged(runs, order: order),
                    order: cachedOnly && savedMerge == nil ? order : [], repeated: .success([])
                )
            }
        }
        var others = found[0].others
        let repeated: [Set<Int>]
        switch found[1].repeated {
        case .success(let found): repeated = found
        case .failure(let error):
            damaged.insert(names[error.journal])
            return nil
        }
        if cachedOnly && saved == nil {
            saveDerived(
                SavedMerge.name, fingerprint: fingerprint.value,
                SavedMerge(order: found[0].order, repeated: repeated).encoded(
                    others: counts.others, administrations: counts.administrations))
        }
        found = []
        let erasures = Erasures(others)
        // Handed over, what is kept of them is all that is held of them from then on: before the
        // table is taken in, or after when the pieces parsed now hold the administrations already.
        let prepareFirst = prepare.map { parsed < $0.parsedLimit } ?? false
        if let prepare, prepareFirst {
            prepare.hand(others)
            others = OtherRecords()
        }
        // The journals' own other records (their strings in small blocks) are let go now: handed
        // back before the table is made.
        if only == nil || parsed >= Self.returnAfter { ProcessTuning.returnFreedMemory() }
        Phases.mark("repeated")
        var table = SummaryTable()
        if let only {
            // One case: its entries are few. Every copy of an id is noted before any is taken; a
            // place counts the case's entries in the journal (its cache first).
            var copies = FirstCopies()
            let until = erasures.until(only)
            for index in journals.indices {
                var place = 0
                func note<Source: SummarySource>(_ source: Source) {
                    let strings = source.strings
                    guard let wanted = strings.firstIndex(of: only).map(UInt32.init) else { return }
                    for position in 0..<source.count where source.entry(position).caseID == wanted {
                        let entry = source.entry(position)
                        copies.note(
                            entry, strings: strings, at: .init(time: entry.time, journal: index, place: place)
                        )
                        place += 1
                    }
                }
                if let cached = journals[index].cached { note(cached) }
                if let cached = journals[index].cachedCase { note(cached) }
                for scan in byJournal[index] { note(scan.table) }
            }
            // By index, so nothing else holds a journal's cache bytes when they are let go.
            for index in journals.indices {
                var place = 0
                func take<Source: SummarySource>(_ source: Source) {
                    let strings = source.strings
                    guard let wanted = strings.firstIndex(of: only).map(UInt32.init) else { return }
                    table.append(contentsOf: source) { entry in
                        guard entry.caseID == wanted else { return false }
                        defer { place += 1 }
                        let rank = FirstCopies.Rank(time: entry.time, journal: index, place: place)
                        return copies.counts(entry, strings: strings, at: rank)
                            && !Erasures.hides(entry.time, until: until)
                    }
                }
                if let cached = journals[index].cached { take(cached) }
                if let cached = journals[index].cachedCase { take(cached) }
                for scan in byJournal[index] { take(scan.table) }
                // Freed as soon as it is copied: the whole store need not be in memory twice.
                journals[index].cached = nil
                journals[index].cachedCase = nil
                byJournal[index] = []
            }
        } else {
            // The whole store: every journal's cache and pieces taken in on every core.
            var sources: [GatheredSource] = []
            for index in journals.indices {
                var first = 0
                if let cached = journals[index].cached {
                    sources.append(GatheredSource(entries: .cache(cached), journal: index, first: 0))
                    first = cached.count
                }
                if let streamed = journals[index].streamed {
                    journals[index].streamed = nil
                    first = streamed.count
                    sources.append(GatheredSource(entries: .streamed(streamed), journal: index, first: 0))
                }
                for scan in byJournal[index] {
                    sources.append(GatheredSource(entries: .table(scan.table), journal: index, first: first))
                    first += scan.table.count
                }
                journals[index].cached = nil
                byJournal[index] = []
            }
            do throws(DamagedCache) {
                table = try SummaryTable(gathering: &sources, leaving: repeated, erasures: erasures)
            } catch {
                damaged.insert(names[error.journal])
                return nil
            }
        }
        if let prepare, !prepareFirst {
            prepare.hand(others)
            others = OtherRecords()
        }
        if parsed >= Self.returnAfter { ProcessTuning.returnFreedMemory() }
        Phases.mark("take")
        return SummarySnapshot(
            table: table, otherRecords: others, problems: problems, journals: names.count,
            fingerprint: fingerprint.value)
    }

    /// For each journal, the places of its entries that are not the copy of their hexadecimal id
    /// that counts (see `FirstCopies`); none when only one case is read (its copies are few). A
    /// place in a journal counts its cached entries first, then those of its pieces. Fails when a
    /// streamed cache's order section turns out damaged.
    private static func repeatedIDs(_ journals: [JournalRead], scans byJournal: [[PieceScan]], only: String?)
        -> Result<[Set<Int>], DamagedCache>
    {
        let found =
            only != nil
            ? [] : parallelMap(journals.count) { journals[$0].idRuns($0, scans: byJournal[$0]) }
        var runs: [FirstCopies.Run] = []
        for (journal, run) in found.enumerated() {
            guard let run else { return .failure(DamagedCache(journal: journal)) }
            runs += run
        }
        return .success(repeated(journals, scans: byJournal, runs: runs))
    }

    /// `repeatedIDs` with the journals' sorted runs found.
    private static func repeated(
        _ journals: [JournalRead], scans byJournal: [[PieceScan]], runs: [FirstCopies.Run]
    )
        -> [Set<Int>]
    {
        FirstCopies.leftOut(sortedRuns: runs, journals: journals.count) {
            index, position in
            if let cached = journals[index].cached, position < cached.count {
                let entry = cached.entry(position)
                return .init(high: entry.idHigh, low: entry.idLow, time: entry.time)
            }
            if let streamed = journals[index].streamed, position < streamed.count {
                return streamed.copy(position)
            }
            var place = position - journals[index].cachedCount
            for scan in byJournal[index] {
                if place < scan.table.count {
                    let entry = scan.table.rows[place]
                    return .init(high: entry.idHigh, low: entry.idLow, time: entry.time)
                }
                place -= scan.table.count
            }
            preconditionFailure("no entry at place \(position) of journal \(index)")
        }
    }

    /// What a read hands its other records to (`readSummaries(preparingOthers:)`), and from how
    /// many bytes parsed it hands them over after the table is taken in.
    private typealias Preparation = (hand: (OtherRecords) -> Void, parsedLimit: Int)

    /// How many bytes parsed make it worth handing the memory freed back to the system.
    static let returnAfter = 64 << 20

    /// From how many bytes of journals to parse a read (of the whole store or of one case) writes
    /// their caches first and then reads those (`writeCachesAhead`): 2 GB of journals parsed at
    /// once hold about a gigabyte of tables and other records, beside the cache being written.
    package static let parseAheadLimit = 2 << 30

    /// When at least `limit` bytes of `journals` are to be parsed, and their caches can be written
    /// (the erasure lock is held, shared), parses them and writes their caches one journal at a
    /// time, each journal's pieces let go before the next is parsed; the read then starts again,
    /// and reads the caches as a warm read does. So a cold read of a big store never holds every
    /// journal parsed, and reads the same as a warm read.
    /// - Returns: whether any cache was written (the read then starts again); when none could be,
    ///   the read goes on and parses the journals again.
    private func writeCachesAhead(
        _ journals: inout [JournalRead], limit: Int, pieceSize: Int, cacheAfter: Int
    ) throws(StorageError) -> Bool {
        let parsing = journals.reduce(0) { $0 + ($1.file == nil ? 0 : $1.size - $1.covered) }
        // The lock is taken only when a cache may be written: a read that writes none (an
        // erasure's own, which holds the lock exclusively) would otherwise wait on itself.
        guard parsing >= limit, journals.contains(where: { $0.mayWriteCache(cacheAfter: cacheAfter) }),
            let lock = try? erasureLock(exclusive: false)
        else { return false }
        var wrote = false
        for index in journals.indices where journals[index].mayWriteCache(cacheAfter: cacheAfter) {
            var scans = parallelMap(taking: try journals[index].pieces(size: pieceSize)) { PieceScan($0) }
            guard journals[index].wantsCache(scans, cacheAfter: cacheAfter) else { continue }
            let run = journals[index].takeOthers(&scans)
            let written = journals[index].refreshCache(
                with: scans, others: run.inMergeOrder(), cacheAfter: cacheAfter, folder: cachePath,
                locked: true)
            journals[index].cached = nil
            scans = []
            ProcessTuning.returnFreedMemory()
            wrote = wrote || written
        }
        withExtendedLifetime(lock) {}
        return wrote
    }

    /// How many entries the caches written side by side may hold together (one is always written,
    /// however big): about 2M, a few hundred MB of tables and encoded bytes at once.
    static let cacheWriteBudget = 1 << 21

    /// The journals whose caches are written side by side, group after group: each group the
    /// journals that follow one another while their `sizes` (entries) add up to at most `budget`,
    /// and a journal bigger than that on its own.
    static func cacheWriteGroups(_ sizes: [Int], budget: Int = cacheWriteBudget) -> [[Int]] {
        var groups: [[Int]] = []
        var group: [Int] = []
        var held = 0
        for (index, size) in sizes.enumerated() {
            if !group.isEmpty && held + size > budget {
                groups.append(group)
                (group, held) = ([], 0)
            }
            group.append(index)
            held += size
        }
        if !group.isEmpty { groups.append(group) }
        return groups
    }

    var cachePath: String { directory + "/cache" }

    /// The summary cache file of the journal named `name`.
    func summaryCachePath(_ name: String) -> String {
        cachePath + "/" + name.dropLast(".jsonl".count) + ".summaries"
    }

    /// Returns what was saved under `name` for the store as it was when `fingerprint` was taken,
    /// or nil (nothing saved, or saved for another state of the journals).
    ///
    /// For figures learned from the whole store (expected bands), so a command about one case
    /// need not read every case again while nothing has been written.
    package func derived(_ name: String, fingerprint: UInt64) -> [UInt8]? {
        guard let saved = derived(name), saved.fingerprint == fingerprint else { return nil }
        return saved.bytes
    }

    /// Returns what was saved under `name` with the fingerprint of the store it was saved for,
    /// whatever the journals hold now; nil when nothing whole was saved.
    package func derived(_ name: String) -> (fingerprint: UInt64, bytes: [UInt8])? {
        guard let file = try? FileDescriptor.openForReading(derivedPath(name)),
            let bytes = try? file.readAll(), bytes.count >= 16
        else { return nil }
        let (stored, checksum) = bytes.withUnsafeBytes { raw in
            (
                raw.loadUnaligned(as: UInt64.self).littleEndian,
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
            )
        }
        let body = Array(bytes[16...])
        guard body.withUnsafeBytes({ SummaryCache.checksum($0) }) == checksum else { return nil }
        return (stored, body)
    }

    /// Saves `bytes` under `name` for the store as it was when `fingerprint` was taken; best
    /// effort, private like the rest of the cache, and deleted by an erasure.
    ///
    /// Saved only while the journals are still as `fingerprint` found them, checked under the
    /// erasure lock (see `erasureLockPath`): figures learned from a case erased since are not
    /// left behind.
    package func saveDerived(_ name: String, fingerprint: UInt64, _ bytes: [UInt8]) {
        var file: [UInt8] = []
        withUnsafeBytes(of: fingerprint.littleEndian) { file += $0 }
        withUnsafeBytes(of: bytes.withUnsafeBytes { SummaryCache.checksum($0) }.littleEndian) { file += $0 }
        file += bytes
        let path = derivedPath(name)
        let temporary = "\(path).\(processID).tmp"
        FileSystem.remove(temporary)
        do throws(SystemError) {
            try FileSystem.makeStoreFolder(cachePath)
            let lock = try erasureLock(exclusive: false)
            guard try currentFingerprint() == fingerprint else { return }
            try FileDescriptor.create(temporary).writeAll(file)
            try FileSystem.rename(temporary, path)
            withExtendedLifetime(lock) {}
        } catch {
            FileSystem.remove(temporary)
        }
    }

    /// The fingerprint of the journals as they are now, as `readSummaries` takes it.
    package func currentFingerprint() throws(SystemError) -> UInt64 {
        try journalStates().fingerprint
    }

    func derivedPath(_ name: String) -> String {
        cachePath + "/" + Self.fileName(name) + ".derived"
    }

    /// Deletes every summary cache file (an erasure's data must not linger in them).
    func removeCaches() {
        for name in (try? FileSystem.list(cachePath)) ?? [] { FileSystem.remove(cachePath + "/" + name) }
    }

    /// The offset just after the first line break at or after `offset` (or the end of the file).
    static func lineStart(_ file: FileDescriptor, after offset: Int, size: Int) throws(SystemError) -> Int {
        var position = offset
        while position < size {
            let window = try file.read(at: position, count: min(1 << 16, size - position))
            if let newline = window.firstIndex(of: 0x0A) { return position + newline + 1 }
            position += window.count
        }
        return size
    }
}

/// A stretch of a journal that starts at a line's start and ends after a line break (or at the
/// end of the file).
struct Piece: Sendable {
    var path: String
    var start: Int
    var end: Int
    /// Whether it is the journal's last piece (the only one that can end in a torn line).
    var last: Bool
}

/// The summaries, other records and problems of one piece; problem lines count from the piece.
struct PieceScan: Sendable {
    var table = SummaryTable()
    var others = OtherRecords()
    var problems: [StoreProblem] = []
    var lines = 0
    /// How many bytes from the piece's start end at a line break (all but a torn last line).
    var complete = 0

    /// Parses `piece`; with `caseID`, keeps only the records filed under that case (its problems
    /// are all found and kept).
    init(_ piece: Piece, keeping caseID: String? = nil) {
        let bytes: [UInt8]
        do {
            bytes = try FileDescriptor.openForReading(piece.path).read(
                at: piece.start, count: piece.end - piece.start)
        } catch {
            problems.append(.unreadable(piece.path, error))
            return
        }
        var table = SummaryTable()
        var others = OtherRecords()
        (problems, lines) = JournalLines.walk(bytes, file: piece.path) { line throws(RecordScanner.Problem) in
            if try !RecordScanner.summary(line, into: &table) {
                let record = try RecordScanner.parse(line, answers: false)
                if let caseID, record.caseID != caseID { return }
                others.append(record, line: Array(line))
            } else if let caseID, table.caseID(table.count - 1) != caseID {
                table.removeLast()
            }
        }
        self.table = table
        self.others = others
        complete = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
    }
}

/// One journal as a report reads it: the file, its size, and its cache if that still matches.
struct JournalRead: Sendable {
    var path: String
    var cachePath: String
    var file: FileDescriptor?
    var size = 0
    var identity: FileIdentity?
    /// The cache's header, when the cache matches the journal.
    var header: SummaryCache.Header?
    /// The cache, read whole (when it is to be written anew).
    var cached: LoadedCache?
    /// The cache for a whole-store read that does not write it anew: its entries are read from
    /// the file as they are taken in.
    var streamed: StreamedCache?
    /// The one case read from the cache through its case index (instead of `cached`).
    var cachedCase: SummaryTable?
    /// The cache's other records, taken out of `cached` (which is let go of sooner); one case's
    /// when `cachedCase` is read.
    var cachedOthers = OtherRecords()
    /// The problems the cache holds.
    var cachedProblems: [StoreProblem] = []
    /// Whether a cache file exists that does not match the journal (it is replaced or deleted).
    var stale = false
    var problem: StoreProblem?
    /// The hash of the journal's first and last bytes as far as it is read.
    var endHash: UInt64 = 0

    /// Opens the journal at `path` and reads its cache at `cache` if that still matches it.
    ///
    /// With `only`, just that case is read of the cache, through its case index, unless at least
    /// `cacheAfter` bytes were written after the cache: then the cache is rewritten, from the whole
    /// of it. Without, the cache is read whole only when it is to be rewritten; otherwise its
    /// entries stay in the file until they are taken in (`StreamedCache`).
    /// - Parameter ignoringCache: whether to treat the cache as damaged (it is then written anew).
    init(
        path: String, cache: String, only: String? = nil, cacheAfter: Int = 1 << 20,
        ignoringCache: Bool = false
    ) {
        self.path = path
        cachePath = cache
        do throws(SystemError) {
            let file = try FileDescriptor.openForReading(path)
            self.file = file
            size = try file.size()
            let identity = try file.identity()
            self.identity = identity
            endHash = try SummaryCache.tailHash(file, covered: size)
            guard let cacheFile = try? FileDescriptor.openForReading(cache) else { return }
            stale = true
            guard !ignoringCache, let header = SummaryCache.Header(cacheFile),
                Store.hasOnlyGrown(
                    file, identity: identity, size: size, since: header.identity, covered: header.covered,
                    tailHash: header.tailHash)
            else { return }
            let appended = size - header.covered
            if let only, appended == 0 || appended < cacheAfter {
                guard let one = CachedCase(cacheFile, header: header, caseID: only, journal: path) else {
                    return
                }
                cachedCase = one.table
                cachedOthers = one.others
                cachedProblems = one.problems
            } else if only == nil, appended == 0 || appended < cacheAfter {
                guard var taken = StreamedCache(cacheFile, header: header, journal: path) else { return }
                cachedOthers = taken.others
                cachedProblems = taken.problems
                taken.others = OtherRecords()
                streamed = taken
            } else {
                guard var taken = LoadedCache(cacheFile, header: header, journal: path) else { return }
                cachedOthers = taken.others
                cachedProblems = taken.problems
                taken.others = OtherRecords()
                cached = taken
            }
            self.header = header
            stale = false
        } catch {
            self.file = nil
            problem = .unreadable(path, error)
        }
    }

    /// How many bytes of the journal the cache covers (none without a cache).
    var covered: Int { header?.covered ?? 0 }

    /// The journal after what its cache covers, cut into pieces of about `size` bytes at line
    /// breaks (none when it could not be opened).
    func pieces(size: Int) throws(StorageError) -> [Piece] {
        guard let file else { return [] }
        var pieces: [Piece] = []
        var start = covered
        while start < self.size {
            let end: Int
            do {
                end = try Store.lineStart(file, after: start + max(1, size), size: self.size)
            } catch {
                throw StorageError(error)
            }
            pieces.append(Piece(path: path, start: start, end: end, last: end >= self.size))
            start = end
        }
        return pieces
    }

    /// How many entries the cache read whole or streamed holds (they come first in the journal's
    /// places).
    var cachedCount: Int { cached?.count ?? streamed?.count ?? 0 }

    /// The sorted runs of the journal's hexadecimal ids: the cache's, and the pieces' sorted now;
    /// nil when a streamed cache's order section is damaged.
    func idRuns(_ journal: Int, scans: [PieceScan]) -> [FirstCopies.Run]? {
        var runs: [FirstCopies.Run] = []
        var offset = 0
        if let cached {
            var run = FirstCopies.Run(journal: journal, highs: [], positions: [])
            run.highs.reserveCapacity(cached.orderCount)
            run.positions.reserveCapacity(cached.orderCount)
            for position in 0..<cached.orderCount {
                let (high, index) = cached.ordered(position)
                run.highs.append(high)
                run.positions.append(index)
            }
            runs.append(run)
            offset = cached.count
        }
        if let streamed {
            guard let run = streamed.idRun() else { return nil }
            runs.append(FirstCopies.Run(journal: journal, highs: run.highs, positions: run.positions))
            offset = streamed.count
        }
        var fresh: [(high: UInt64, position: Int)] = []
        for scan in scans {
            for (index, row) in scan.table.rows.enumerated() where !scan.table.hasTextID(index) {
                fresh.append((row.idHigh, offset + index))
            }
            offset += scan.table.count
        }
        fresh.sort { ($0.high, $0.position) < ($1.high, $1.position) }
        runs.append(
            FirstCopies.Run(journal: journal, highs: fresh.map(\.high), positions: fresh.map(\.position)))
        return runs
    }

    /// The problems of the cached part and of the pieces parsed after it, with line numbers
    /// counted from the journal's start.
    func problems(with scans: [PieceScan]) -> [StoreProblem] {
        if let problem { return [problem] }
        var problems = cachedProblems
        var lines = header?.lines ?? 0
        for scan in scans {
            problems += scan.problems.map { problem in
                var shifted = problem
                if shifted.line > 0 { shifted.line += lines }
                return shifted
            }
            lines += scan.lines
        }
        return problems
    }

    /// Whether the pieces parsed hold enough bytes of complete lines to write the cache anew.
    /// Whether a cache of the journal may be written by a read that parses what its cache does
    /// not cover: not when less than `cacheAfter` bytes are left to parse (`wantsCache` then says
    /// no, whatever the pieces hold).
    func mayWriteCache(cacheAfter: Int) -> Bool { file != nil && size - covered >= cacheAfter }

    /// The journal's other records as a read takes them, its cache's and then `scans`'s, taken
    /// out of both: held once, so that appending does not copy them.
    mutating func takeOthers(_ scans: inout [PieceScan]) -> OtherRecords {
        var run = OtherRecords()
        swap(&run, &cachedOthers)
        for scan in scans.indices {
            run.append(scans[scan].others, places: 0..<scans[scan].others.count)
            scans[scan].others = OtherRecords()
        }
        return run
    }

    func wantsCache(_ scans: [PieceScan], cacheAfter: Int) -> Bool {
        let fresh = scans.reduce(0) { $0 + $1.complete }
        return fresh > 0 && fresh >= cacheAfter && identity != nil && file != nil
    }

    /// Writes the journal's cache anew when the pieces parsed hold at least `cacheAfter` bytes
    /// of complete lines; deletes a cache that did not match otherwise.
    /// - Parameters:
    ///   - others: the journal's other records, its cache's and then its pieces'.
    ///   - locked: whether the erasure lock is held (shared); without it, nothing is written.
    /// - Returns: whether the cache was written.
    @discardableResult
    func refreshCache(
        with scans: [PieceScan], others: OtherRecords, cacheAfter: Int, folder: String, locked: Bool
    ) -> Bool {
        let fresh = scans.reduce(0) { $0 + $1.complete }
        // A journal replaced since it was read (by an erasure, under the lock this writer holds
        // now) may have lost lines the cache would keep. (A cache read for one case is not read
        // whole, so it is not rewritten; it is read whole when it would be.)
        guard locked, cachedCase == nil, wantsCache(scans, cacheAfter: cacheAfter), let identity, let file,
            FileIdentity.of(path) == identity
        else {
            // A cache of an older file may hold erased data: it must not stay behind.
            if stale { FileSystem.remove(cachePath) }
            return false
        }
        var table = SummaryTable()
        // Room made once: the journal's table is not copied as it grows.
        table.reserveCapacity(
            scans.reduce(cached?.count ?? 0) { $0 + $1.table.count },
            parts: scans.reduce(cached?.partCount ?? 0) { $0 + $1.table.partNames.count })
        if let cached { table.append(contentsOf: cached) }
        for scan in scans { table.append(contentsOf: scan.table) }
        let problems = self.problems(with: scans)
        let torn = problems.last?.kind == .tornLine
        let lines = (header?.lines ?? 0) + scans.reduce(0) { $0 + $1.lines }
        let covered = self.covered + fresh
        guard let tailHash = try? SummaryCache.tailHash(file, covered: covered) else { return false }
        let cache = SummaryCache(
            identity: identity, covered: covered, lines: torn ? lines - 1 : lines, tailHash: tailHash,
            table: table, others: others, problems: problems.filter { $0.kind != .tornLine })
        guard (try? FileSystem.makeStoreFolder(folder)) != nil, (try? cache.write(to: cachePath)) != nil
        else { return false }
        return true
    }
}

/// A 64-bit hash over the state of every journal read (FNV-1a).
struct Fingerprint {
    private var hash = FNV1a()

    var value: UInt64 { hash.value }

    /// Adds one journal's name and state.
    mutating func add(_ name: String, identity: FileIdentity?, size: Int, endHash: UInt64) {
        add(Array(name.utf8))
        add(identity?.device ?? 0, identity?.inode ?? 0, UInt64(size), endHash)
    }

    /// Adds bytes and their count (so that two fields cannot run into each other).
    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes { hash.add(byte) }
        add(UInt64(bytes.count))
    }

    mutating func add(_ numbers: UInt64...) {
        for number in numbers {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash.add(UInt8(truncatingIfNeeded: number >> UInt64(shift)))
            }
        }
    }
}
