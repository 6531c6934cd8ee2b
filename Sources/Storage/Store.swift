import Foundation

/// A store: a folder of append-only journals, one per writer, merged when read.
///
/// Each writer (a person on a machine) appends only to its own journal, so a team can share a
/// store on a network drive or a synced folder with no lock held across machines. A record is
/// acknowledged only once its whole line is written and fsync'ed. Corrections and decisions are
/// new records; history is rewritten only by an explicit erasure or a repair, each atomically
/// (new file, fsync, rename, fsync of the folder).
///
/// Layout: `journals/<writer>.jsonl`, `quarantine/` for lines set aside, `audit/<writer>.jsonl`.
/// Folders are created 0700 and files 0600.
public struct Store: Sendable {
    public let directory: String
    public let writer: String
    private let now: @Sendable () -> Date
    private let makeID: @Sendable () -> String

    /// - Parameters:
    ///   - writer: who writes, such as `anna@laptop`; names the journal file.
    ///   - now: the clock, injected for tests.
    ///   - makeID: record ids; the default is 128 random bits in hex.
    public init(
        directory: String, writer: String, now: @escaping @Sendable () -> Date = Date.init,
        makeID: @escaping @Sendable () -> String = Store.randomID
    ) {
        self.directory =
            directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        self.writer = writer
        self.now = now
        self.makeID = makeID
    }

    /// 128 random bits as 32 hexadecimal digits.
    @Sendable public static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex(generator.next()) + hex(generator.next())
    }

    /// A 64-bit value as 16 hexadecimal digits.
    public static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    var journalsPath: String { directory + "/journals" }
    var quarantinePath: String { directory + "/quarantine" }
    var auditPath: String { directory + "/audit" }

    /// The writer's journal file.
    public var journalPath: String { journalsPath + "/" + Self.fileName(writer) + ".jsonl" }

    static func fileName(_ writer: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        let name = String(writer.map { allowed.contains($0) ? $0 : "_" })
        return name.isEmpty || name.hasPrefix(".") ? "_" + name : name
    }

    /// Whether the store folder exists.
    public var exists: Bool { FileSystem.mode(directory) != nil }

    // MARK: Writing

    /// Appends one record and returns it once it is on disk.
    /// - Throws: `StorageError.invalidCaseID` for an id that may not be used (a CPR number), or
    ///   `.io` when the disk refuses.
    @discardableResult
    public func append(_ body: RecordBody, caseID: String) throws(StorageError) -> Record {
        try append(batch: [(caseID, body)])[0]
    }

    /// Appends records with one write and one fsync (for a session's goals and answers together,
    /// or the simulator), and returns them once they are on disk. All or nothing: the ids are
    /// checked before anything is written.
    @discardableResult
    public func append(batch: [(caseID: String, body: RecordBody)]) throws(StorageError) -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(batch.count)
        let time = TimeFormat.truncated(now())
        for entry in batch {
            let caseID = try CaseID.validate(entry.caseID)
            records.append(Record(id: makeID(), writer: writer, time: time, caseID: caseID, body: entry.body))
        }
        try write(records)
        return records
    }

    /// Appends records made elsewhere (an import), keeping their ids and times.
    public func append(records: [Record]) throws(StorageError) {
        for record in records { _ = try CaseID.validate(record.caseID) }
        try write(records)
    }

    private func write(_ records: [Record]) throws(StorageError) {
        guard !records.isEmpty else { return }
        var bytes: [UInt8] = []
        for record in records {
            bytes.append(contentsOf: record.encodedLine().utf8)
            bytes.append(0x0A)
        }
        do {
            try FileSystem.makeDirectory(journalsPath)
            while true {
                let (file, created) = try FileDescriptor.openForAppend(journalPath)
                try file.lock()
                // A repair or erasure may have replaced the file while we waited for the lock.
                guard FileIdentity.of(journalPath) == (try file.identity()) else { continue }
                try setAsideTornTail(file)
                try file.writeAll(bytes)
                try file.sync()
                if created { FileSystem.syncDirectory(journalsPath) }
                return
            }
        } catch {
            throw StorageError(error)
        }
    }

    /// Moves an incomplete last line of the writer's own journal to quarantine, under its lock.
    private func setAsideTornTail(_ file: FileDescriptor) throws(SystemError) {
        let size = try file.size()
        guard size > 0, try file.byte(at: size - 1) != 0x0A else { return }
        let content = try file.readAll()
        let start = (content.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        try quarantine([Array(content[start...])], from: journalPath)
        try file.truncate(to: start)
        try file.sync()
    }

    /// Writes lines to a new quarantine file and returns its path.
    @discardableResult
    func quarantine(_ lines: [[UInt8]], from source: String) throws(SystemError) -> String {
        try FileSystem.makeDirectory(quarantinePath)
        let base = (source as NSString).lastPathComponent.replacingOccurrences(of: ".jsonl", with: "")
        let stamp = TimeFormat.string(now()).replacingOccurrences(of: ":", with: "")
        var path = "\(quarantinePath)/\(base)-\(stamp).jsonl"
        var counter = 1
        while FileSystem.mode(path) != nil {
            counter += 1
            path = "\(quarantinePath)/\(base)-\(stamp)-\(counter).jsonl"
        }
        let file = try FileDescriptor.create(path)
        var bytes: [UInt8] = []
        for line in lines {
            bytes += line
            bytes.append(0x0A)
        }
        try file.writeAll(bytes)
        try file.sync()
        FileSystem.syncDirectory(quarantinePath)
        return path
    }

    // MARK: Reading

    /// Returns every record, merged from all journals, de-duplicated by id and ordered by time.
    ///
    /// Lines that are not records are reported and skipped; nothing is changed on disk.
    /// - Throws: `StorageError.noStore` when the folder does not exist.
    /// - Parameter answers: whether to read the answers (reports need only the scores).
    public func read(answers: Bool = true) throws(StorageError) -> StoreSnapshot {
        guard exists else { throw .noStore(directory) }
        let names: [String]
        do {
            names = (try FileSystem.list(journalsPath) ?? []).filter { $0.hasSuffix(".jsonl") }
        } catch {
            throw StorageError(error)
        }
        // Journals are read in parallel, one per task; each is already in time order.
        let scans = parallelMap(names.count) { index -> JournalScan in
            let path = journalsPath + "/" + names[index]
            do throws(SystemError) {
                let bytes = try FileDescriptor.openForReading(path).readAll()
                return JournalScan(bytes: bytes, file: path, answers: answers)
            } catch {
                var scan = JournalScan(bytes: [], file: path)
                scan.problems.append(
                    StoreProblem(file: path, line: 0, kind: .unreadable, detail: error.reason))
                return scan
            }
        }
        return StoreSnapshot(
            records: Self.merge(scans.map(\.records)), problems: scans.flatMap(\.problems),
            journals: names.count)
    }

    /// Merges journals into one list ordered by time then id, drops duplicate ids, and leaves out
    /// records of erased cases older than their erasure (a stale copy of a journal synced back
    /// must not bring them back).
    ///
    /// Each journal is appended in time order, so this is a k-way merge of sorted runs (a journal
    /// out of order, from a clock set back, is sorted first); a duplicate, which has the same time
    /// and id as its original, then stands next to it.
    static func merge(_ journals: [[Record]]) -> [Record] {
        func before(_ a: Record, _ b: Record) -> Bool { a.time != b.time ? a.time < b.time : a.id < b.id }
        let runs = journals.map { run -> [Record] in
            for index in run.indices.dropFirst() where before(run[index], run[index - 1]) {
                return run.sorted(by: before)
            }
            return run
        }
        var merged: [Record] = []
        merged.reserveCapacity(runs.reduce(0) { $0 + $1.count })
        var heads = Array(repeating: 0, count: runs.count)
        while true {
            var best = -1
            for run in runs.indices where heads[run] < runs[run].count {
                if best < 0 || before(runs[run][heads[run]], runs[best][heads[best]]) { best = run }
            }
            guard best >= 0 else { break }
            let record = runs[best][heads[best]]
            heads[best] += 1
            if let last = merged.last, last.id == record.id, last.time == record.time { continue }
            merged.append(record)
        }
        var erasedUntil: [String: Date] = [:]
        for record in merged where record.body == .erasure {
            erasedUntil[record.caseID] = max(erasedUntil[record.caseID] ?? record.time, record.time)
        }
        guard !erasedUntil.isEmpty else { return merged }
        return merged.filter { record in
            guard let until = erasedUntil[record.caseID], record.body != .erasure else { return true }
            return record.time > until
        }
    }

    /// Returns the records of one case.
    public func records(forCase caseID: String) throws(StorageError) -> [Record] {
        try read().records.filter { $0.caseID == caseID }
    }

    /// Returns everything the store holds about one case as JSON Lines, exactly as stored (the
    /// citizen's right of access, GDPR art. 15).
    public func exportCase(_ caseID: String) throws(StorageError) -> String {
        let records = try records(forCase: caseID)
        guard !records.isEmpty else { throw .unknownCase(caseID) }
        return records.map { $0.encodedLine() + "\n" }.joined()
    }

    // MARK: Health

    /// Reports the store's health without changing anything.
    public func check() throws(StorageError) -> StoreHealth {
        let snapshot = try read()
        return StoreHealth(
            journals: snapshot.journals, records: snapshot.records.count,
            cases: Set(snapshot.records.map(\.caseID)).count, problems: snapshot.problems, quarantined: [])
    }

    /// Moves every line that is not a record (torn or malformed) of every journal into quarantine,
    /// rewriting each journal atomically; lines from a newer Pejling stay. Nothing is deleted.
    public func repair() throws(StorageError) -> StoreHealth {
        let before = try read()
        var quarantined: [String] = []
        let paths = Set(
            before.problems.filter { $0.kind == .tornLine || $0.kind == .malformedLine }.map(\.file))
        do {
            for path in paths.sorted() {
                try rewrite(path) { (lines: [[UInt8]]) throws(SystemError) -> [[UInt8]] in
                    var keep: [[UInt8]] = []
                    var drop: [[UInt8]] = []
                    for line in lines {
                        let good = line.withUnsafeBufferPointer { buffer -> Bool in
                            do throws(RecordScanner.Problem) {
                                _ = try RecordScanner.parse(buffer)
                                return true
                            } catch {
                                if case .newerVersion = error { return true }
                                return false
                            }
                        }
                        if good { keep.append(line) } else if !line.isEmpty { drop.append(line) }
                    }
                    if !drop.isEmpty { quarantined.append(try quarantine(drop, from: path)) }
                    return keep
                }
            }
        } catch {
            throw StorageError(error)
        }
        var health = try check()
        health.quarantined = quarantined
        return health
    }

    /// Replaces the file at `path` with the lines `transform` keeps, under the file's lock:
    /// write a new file, fsync, rename over the old one, fsync the folder.
    /// - Returns: whether anything changed.
    @discardableResult
    private func rewrite(_ path: String, _ transform: ([[UInt8]]) throws(SystemError) -> [[UInt8]])
        throws(SystemError) -> Bool
    {
        guard let file = try FileDescriptor.openForUpdate(path) else { return false }
        try file.lock()
        let content = try file.readAll()
        var lines = content.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let kept = try transform(lines)
        guard kept != lines || content.last != 0x0A && !content.isEmpty else { return false }
        let temporary = "\(path).\(processID).tmp"
        FileSystem.remove(temporary)
        let fresh = try FileDescriptor.create(temporary)
        var bytes: [UInt8] = []
        for line in kept {
            bytes += line
            bytes.append(0x0A)
        }
        try fresh.writeAll(bytes)
        try fresh.sync()
        try FileSystem.rename(temporary, path)
        FileSystem.syncDirectory(FileSystem.parentOf(path))
        return true
    }

    // MARK: Erasure

    /// Removes every record of a case from every journal and quarantine file, atomically per file,
    /// then leaves an erasure marker that holds no answers (the right to erasure, GDPR art. 17).
    /// - Throws: `StorageError.unknownCase` when the store holds nothing about the case.
    public func erase(caseID: String) throws(StorageError) -> ErasureReport {
        let caseID = try CaseID.validate(caseID)
        guard try read().records.contains(where: { $0.caseID == caseID }) else { throw .unknownCase(caseID) }
        var removed: [String: Int] = [:]
        let quoted = Array(("\"" + caseID + "\"").utf8)
        do {
            var files = (try FileSystem.list(journalsPath) ?? []).map { journalsPath + "/" + $0 }
            files += (try FileSystem.list(quarantinePath) ?? []).map { quarantinePath + "/" + $0 }
            for path in files where path.hasSuffix(".jsonl") {
                var count = 0
                try rewrite(path) { (lines: [[UInt8]]) throws(SystemError) -> [[UInt8]] in
                    lines.filter { line in
                        let belongs = line.withUnsafeBufferPointer { buffer -> Bool in
                            if let record = try? RecordScanner.parse(buffer) {
                                return record.caseID == caseID
                            }
                            // A line that is not a record goes if it mentions the case at all.
                            return Self.contains(line, quoted)
                        }
                        if belongs { count += 1 }
                        return !belongs
                    }
                }
                if count > 0 { removed[path] = count }
            }
        } catch {
            throw StorageError(error)
        }
        let marker = try append(.erasure, caseID: caseID)
        return ErasureReport(removed: removed, marker: marker)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    // MARK: Audit

    /// Records that `command` read or changed case data, without any answers: who, what, when.
    public func audit(command: String, caseID: String?) throws(StorageError) {
        var line = "{"
        line += "\"time\":"
        JSONText.quote(TimeFormat.string(now()), into: &line)
        line += ",\"writer\":"
        JSONText.quote(writer, into: &line)
        line += ",\"command\":"
        JSONText.quote(command, into: &line)
        if let caseID {
            line += ",\"case\":"
            JSONText.quote(caseID, into: &line)
        }
        line += "}\n"
        do {
            try FileSystem.makeDirectory(auditPath)
            let path = auditPath + "/" + Self.fileName(writer) + ".jsonl"
            let (file, created) = try FileDescriptor.openForAppend(path)
            try file.lock()
            try file.writeAll(Array(line.utf8))
            try file.sync()
            if created { FileSystem.syncDirectory(auditPath) }
        } catch {
            throw StorageError(error)
        }
    }
}

/// The records and problems of one journal's bytes.
struct JournalScan {
    var records: [Record] = []
    var problems: [StoreProblem] = []

    init(bytes: [UInt8], file: String, answers: Bool = true) {
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            var line = 0
            while start < buffer.count {
                line += 1
                var end = start
                while end < buffer.count, buffer[end] != 0x0A { end += 1 }
                if end == buffer.count {
                    problems.append(
                        StoreProblem(
                            file: file, line: line, kind: .tornLine,
                            detail: "\(end - start) bytes without a line break"))
                    break
                }
                if end > start {
                    do throws(RecordScanner.Problem) {
                        records.append(
                            try RecordScanner.parse(UnsafeBufferPointer(rebasing: buffer[start..<end])))
                    } catch {
                        switch error {
                        case .newerVersion(let version):
                            problems.append(
                                StoreProblem(
                                    file: file, line: line, kind: .newerVersion, detail: String(version)))
                        case .malformed(let detail):
                            problems.append(
                                StoreProblem(file: file, line: line, kind: .malformedLine, detail: detail))
                        }
                    }
                }
                start = end + 1
            }
        }
    }
}
