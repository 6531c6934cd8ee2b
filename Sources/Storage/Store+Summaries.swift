import Foundation

extension Store {
    /// Reads the store for reports: administrations as summaries (no answers, shared strings),
    /// other records in full.
    ///
    /// Each journal's complete lines are read from its summary cache (`cache/`, see
    /// `SummaryCache`) as far as the cache still matches the journal; the rest is cut into pieces
    /// at line breaks and parsed in parallel. When at least `cacheAfter` bytes were parsed, the
    /// journal's cache is written anew (best effort: a store others only read stays as it is).
    /// - Parameters:
    ///   - pieceSize: about how many bytes one parallel task parses.
    ///   - cacheAfter: how many newly parsed bytes make a journal's cache worth rewriting.
    public func readSummaries(pieceSize: Int = 8 << 20, cacheAfter: Int = 1 << 20) throws(StorageError)
        -> SummarySnapshot
    {
        guard exists else { throw .noStore(directory) }
        let names: [String]
        do {
            names = (try FileSystem.list(journalsPath) ?? []).filter { $0.hasSuffix(".jsonl") }
        } catch {
            throw StorageError(error)
        }
        let journals = parallelMap(names.count) { index in
            JournalRead(path: journalsPath + "/" + names[index], cache: cachePath(names[index]))
        }
        var pieces: [Piece] = []
        var owners: [Int] = []
        for (index, journal) in journals.enumerated() where journal.problem == nil {
            var start = journal.cached?.covered ?? 0
            while start < journal.size {
                let end: Int
                do {
                    end = try Self.lineStart(
                        journal.file!, after: start + max(1, pieceSize), size: journal.size)
                } catch {
                    throw StorageError(error)
                }
                pieces.append(Piece(path: journal.path, start: start, end: end, last: end >= journal.size))
                owners.append(index)
                start = end
            }
        }
        let scans = parallelMap(pieces.count) { index in PieceScan(pieces[index]) }
        var byJournal = Array(repeating: [PieceScan](), count: journals.count)
        for (index, scan) in scans.enumerated() { byJournal[owners[index]].append(scan) }
        let parts = parallelMap(journals.count) { index in
            journals[index].combined(with: byJournal[index], cacheAfter: cacheAfter, cacheFolder: cachePath)
        }

        var problems: [StoreProblem] = []
        var otherRuns: [[Record]] = []
        for part in parts {
            problems += part.problems
            otherRuns.append(part.others)
        }
        let others = Self.merge(otherRuns)
        var erasedUntil: [String: Date] = [:]
        for record in others where record.body == .erasure {
            erasedUntil[record.caseID] = max(erasedUntil[record.caseID] ?? record.time, record.time)
        }
        // Journals are merged in order; an id met again (a synced copy) is read the first time.
        var seen = Set<IDKey>()
        seen.reserveCapacity(parts.reduce(0) { $0 + $1.table.count })
        var table = SummaryTable()
        table.reserveCapacity(seen.capacity)
        for part in parts {
            let erased = erasedUntil.isEmpty ? [] : part.table.pool.strings.map { erasedUntil[$0] }
            table.append(contentsOf: part.table) { index in
                guard seen.insert(part.table.idKey(index)).inserted else { return false }
                let entry = part.table.entries[index]
                if !erased.isEmpty, let until = erased[Int(entry.caseID)] {
                    return entry.time > until.timeIntervalSince1970
                }
                return true
            }
        }
        return SummarySnapshot(table: table, others: others, problems: problems, journals: names.count)
    }

    var cachePath: String { directory + "/cache" }

    /// The summary cache file of the journal named `name`.
    func cachePath(_ name: String) -> String {
        cachePath + "/" + name.dropLast(".jsonl".count) + ".summaries"
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
    var others: [Record] = []
    /// The lines of `others`, as written.
    var otherLines: [[UInt8]] = []
    var problems: [StoreProblem] = []
    var lines = 0
    /// How many bytes from the piece's start end at a line break (all but a torn last line).
    var complete = 0

    init(_ piece: Piece) {
        let bytes: [UInt8]
        do {
            bytes = try FileDescriptor.openForReading(piece.path).read(
                at: piece.start, count: piece.end - piece.start)
        } catch {
            problems.append(StoreProblem(file: piece.path, line: 0, kind: .unreadable, detail: error.reason))
            return
        }
        var table = SummaryTable()
        var others: [Record] = []
        var otherLines: [[UInt8]] = []
        (problems, lines) = JournalLines.walk(bytes, file: piece.path) { line throws(RecordScanner.Problem) in
            if try !RecordScanner.summary(line, into: &table) {
                others.append(try RecordScanner.parse(line, answers: false))
                otherLines.append(Array(line))
            }
        }
        self.table = table
        self.others = others
        self.otherLines = otherLines
        complete = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
    }
}

/// One journal as a report reads it: the file, its size, and its cache if that still matches.
struct JournalRead {
    var path: String
    var cachePath: String
    var file: FileDescriptor?
    var size = 0
    var identity: FileIdentity?
    var cached: SummaryCache?
    /// The cache's other lines, read in full.
    var cachedOthers: [Record] = []
    /// Whether a cache file exists that does not match the journal (it is replaced or deleted).
    var stale = false
    var problem: StoreProblem?

    init(path: String, cache: String) {
        self.path = path
        cachePath = cache
        do throws(SystemError) {
            let file = try FileDescriptor.openForReading(path)
            self.file = file
            size = try file.size()
            let identity = try file.identity()
            self.identity = identity
            guard let cacheFile = try? FileDescriptor.openForReading(cache) else { return }
            stale = true
            guard let bytes = try? cacheFile.readAll(),
                let cached = SummaryCache(bytes, file: path),
                cached.identity == identity, cached.covered <= size,
                try SummaryCache.tailHash(file, covered: cached.covered) == cached.tailHash
            else { return }
            var others: [Record] = []
            others.reserveCapacity(cached.otherLines.count)
            for line in cached.otherLines {
                // Each line parsed when the cache was made; one that does not now means the cache
                // is not what it seems, so the journal is parsed instead.
                guard
                    let record = line.withUnsafeBufferPointer({ try? RecordScanner.parse($0, answers: false) }
                    )
                else { return }
                others.append(record)
            }
            self.cached = cached
            cachedOthers = others
            stale = false
        } catch {
            problem = StoreProblem(file: path, line: 0, kind: .unreadable, detail: error.reason)
        }
    }

    /// The journal's summaries, other records and problems: the cache's, then the pieces parsed
    /// after it (line numbers counted on from the cache's). Writes a new cache when the pieces
    /// hold at least `cacheAfter` bytes of complete lines.
    func combined(with scans: [PieceScan], cacheAfter: Int, cacheFolder: String) -> JournalPart {
        if let problem { return JournalPart(problems: [problem]) }
        var part = JournalPart()
        var lines = 0
        var fresh = 0
        if let cached {
            part.table = cached.table
            part.others = cachedOthers
            part.problems = cached.problems
            lines = cached.lines
        }
        var otherLines = cached?.otherLines ?? []
        for scan in scans {
            if part.table.count == 0 {
                part.table = scan.table
            } else {
                part.table.append(contentsOf: scan.table)
            }
            part.others += scan.others
            otherLines += scan.otherLines
            part.problems += scan.problems.map { problem in
                var shifted = problem
                if shifted.line > 0 { shifted.line += lines }
                return shifted
            }
            lines += scan.lines
            fresh += scan.complete
        }
        guard fresh > 0, fresh >= cacheAfter, let identity, let file else {
            // A cache of an older file may hold erased data: it must not stay behind.
            if stale { FileSystem.remove(cachePath) }
            return part
        }
        let torn = part.problems.last?.kind == .tornLine
        let covered = (cached?.covered ?? 0) + fresh
        guard let tailHash = try? SummaryCache.tailHash(file, covered: covered) else { return part }
        let cache = SummaryCache(
            identity: identity, covered: covered, lines: torn ? lines - 1 : lines, tailHash: tailHash,
            table: part.table, otherLines: otherLines,
            problems: part.problems.filter { $0.kind != .tornLine })
        if (try? FileSystem.makeDirectory(cacheFolder)) != nil { try? cache.write(to: cachePath) }
        return part
    }
}

/// What one journal adds to a report's read.
struct JournalPart: Sendable {
    var table = SummaryTable()
    var others: [Record] = []
    var problems: [StoreProblem] = []
}
