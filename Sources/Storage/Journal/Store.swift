import Foundation
import Support

/// A store: a folder of append-only journals, one per writer, merged when read.
///
/// Each writer (a person on a machine) appends only to its own journal, so a team can share a
/// store on a network drive or a synced folder with no lock held across machines. A record is
/// acknowledged only once its whole line is written and fsync'ed. Corrections and decisions are
/// new records; history is rewritten only by an explicit erasure or a repair, each atomically
/// (new file, fsync, rename, fsync of the folder).
///
/// Layout: `journals/<writer>.jsonl`, `quarantine/` for lines set aside, `audit/<writer>.jsonl`,
/// and `cache/<writer>.summaries`, what reports read of each journal in binary (`SummaryCache`),
/// made anew from the journals whenever it does not match them, and `erasure.lock`, which keeps
/// those caches from outliving an erasure (`erasureLockPath`).
/// Files inside the store are regular files: a symbolic link in its folders is never followed
/// (it would carry case data out of the store), but refused and reported by `check`; the store's
/// own folder may be a link.
/// Folders are created 0700 and files 0600, by mkdir(2) and open(2) themselves (never chmod'ed
/// after), so a file is private from its first byte under any usual umask.
///
/// A journal is JSON Lines: one record per line, each line ending in `\n`, appended in time order
/// under an advisory `flock` on the journal, with one `write` and one `fsync` per append or batch
/// (and an fsync of `journals/` when the file is new). A last line without `\n` is torn: readers
/// report it, the writer's next append or a repair moves it to `quarantine/`.
package struct Store: Sendable {
    package let directory: String
    package let writer: String
    private let now: @Sendable () -> Date
    private let makeID: @Sendable () -> String

    /// - Parameters:
    ///   - writer: who writes, such as `anna@laptop`; names the journal file.
    ///   - now: the clock, injected for tests.
    ///   - makeID: record ids; the default is 128 random bits in hex.
    package init(
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
    @Sendable package static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.string(generator.next()) + Hex.string(generator.next())
    }

    var journalsPath: String { directory + "/journals" }

    /// The names of the journals (`*.jsonl` in `journals/`), as the folder lists them; none when
    /// the folder is not there yet.
    func journalFiles() throws(SystemError) -> [String] {
        try FileSystem.list(journalsPath)?.filter { $0.hasSuffix(".jsonl") } ?? []
    }

    /// `journalFiles()`, its failure as the store's.
    package func journalNames() throws(StorageError) -> [String] {
        do {
            return try journalFiles()
        } catch {
            throw StorageError(error)
        }
    }
    var quarantinePath: String { directory + "/quarantine" }
    var auditPath: String { directory + "/audit" }

    /// The writer's journal file.
    package var journalPath: String { journalsPath + "/" + Self.fileName(writer) + ".jsonl" }

    static func fileName(_ writer: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        let name = String(writer.map { allowed.contains($0) ? $0 : "_" })
        return name.isEmpty || name.hasPrefix(".") ? "_" + name : name
    }

    /// Whether the store folder exists.
    package var exists: Bool { FileSystem.mode(directory) != nil }

    // MARK: Writing

    /// Appends one record and returns it once it is on disk.
    /// - Throws: `StorageError.invalidCaseID` for an id that may not be used (a CPR number), or
    ///   `.io` when the disk refuses.
    @discardableResult
    package func append(_ body: RecordBody, caseID: String) throws(StorageError) -> Record {
        try append(batch: [(caseID, body)])[0]
    }

    /// Appends records with one write and one fsync (for a session's goals and answers together,
    /// or the simulator), and returns them once they are on disk. All or nothing: the ids are
    /// checked before anything is written.
    @discardableResult
    package func append(batch: [(caseID: String, body: RecordBody)]) throws(StorageError) -> [Record] {
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

    /// Appends records made elsewhere (an import, the simulator), keeping their ids and times,
    /// with one fsync: all of them or, if any cannot be written, none.
    ///
    /// The records are encoded and written a few megabytes at a time as the sequence gives them,
    /// so a sequence that makes them as it goes (a checked CSV file) never holds them all; the
    /// journal stays locked until the last is written.
    package func append(records: some Sequence<Record>) throws(StorageError) {
        try write(records)
    }

    /// Writes whole lines under the journal's lock, with one fsync at the end.
    ///
    /// Nothing is acknowledged before the fsync returns. When a record cannot be written (its case
    /// id, a number that is not finite, unfit text) or a write or the fsync fails, the file is cut
    /// back to where it was, so a failed append leaves neither its records nor a torn line behind.
    /// An empty sequence writes nothing and makes no file.
    private func write(_ records: some Sequence<Record>) throws(StorageError) {
        var iterator = records.makeIterator()
        guard let first = iterator.next() else { return }
        let file: FileDescriptor
        let created: Bool
        let start: Int
        do throws(SystemError) {
            try FileSystem.makeStoreFolder(journalsPath)
            while true {
                let (opened, new) = try FileDescriptor.openForAppend(journalPath)
                try opened.lock()
                // A repair or erasure may have replaced the file while we waited for the lock.
                guard FileIdentity.of(journalPath) == (try opened.identity()) else { continue }
                try setAsideTornTail(opened)
                (file, created, start) = (opened, new, try opened.size())
                break
            }
        } catch {
            throw StorageError(error)
        }
        // The lock goes with the descriptor: it is held until everything below is done.
        defer { withExtendedLifetime(file) {} }
        let flushAt = 1 << 22
        var bytes: [UInt8] = []
        bytes.reserveCapacity(flushAt + 4096)
        func flush() throws(StorageError) {
            do throws(SystemError) {
                try file.writeAll(bytes)
            } catch {
                throw StorageError(error)
            }
            bytes.removeAll(keepingCapacity: true)
        }
        do throws(StorageError) {
            var next: Record? = first
            while let record = next {
                _ = try CaseID.validate(record.caseID)
                if let field = record.nonFiniteField {
                    throw .notANumber(field: field, caseID: record.caseID)
                }
                if let (field, problem) = record.textProblem {
                    throw .unfitText(field: field, problem: problem, caseID: record.caseID)
                }
                bytes.append(contentsOf: record.encodedLine().utf8)
                bytes.append(0x0A)
                if bytes.count >= flushAt { try flush() }
                next = iterator.next()
            }
            try flush()
            do throws(SystemError) {
                try file.sync()
                // The file's name must be on disk as well as its bytes. Its creator may have died
                // before syncing the folder, so whoever writes the first bytes syncs it too.
                if created || start == 0 { try FileSystem.syncDirectory(journalsPath) }
            } catch {
                throw StorageError(error)
            }
        } catch {
            try? file.truncate(to: start)
            try? file.sync()
            throw error
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
        try FileSystem.makeStoreFolder(quarantinePath)
        let base = (source as NSString).lastPathComponent.replacingOccurrences(of: ".jsonl", with: "")
        let stamp = TimeFormat.string(now()).replacingOccurrences(of: ":", with: "")
        var path = "\(quarantinePath)/\(base)-\(stamp).jsonl"
        var counter = 1
        // Created exclusively, so two processes setting lines aside at once never share a file.
        var created = try FileDescriptor.createIfAbsent(path)
        while created == nil {
            counter += 1
            path = "\(quarantinePath)/\(base)-\(stamp)-\(counter).jsonl"
            created = try FileDescriptor.createIfAbsent(path)
        }
        let file = created!
        var bytes: [UInt8] = []
        for line in lines {
            bytes += line
            bytes.append(0x0A)
        }
        try file.writeAll(bytes)
        try file.sync()
        try FileSystem.syncDirectory(quarantinePath)
        return path
    }

    // MARK: Reading

    /// Returns every record, merged from all journals, de-duplicated by id and ordered by time.
    ///
    /// Lines that are not records are reported and skipped; nothing is changed on disk.
    /// - Throws: `StorageError.noStore` when the folder does not exist.
    /// - Parameter answers: whether to read the answers (reports need only the scores).
    package func read(answers: Bool = true) throws(StorageError) -> StoreSnapshot {
        guard exists else { throw .noStore(directory) }
        let names = try journalNames()
        // Journals are read in parallel, one per task; each is already in time order.
        let scans = parallelMap(names.count) { index -> JournalScan in
            let path = journalsPath + "/" + names[index]
            do throws(SystemError) {
                let bytes = try FileDescriptor.openForReading(path).readAll()
                return JournalScan(bytes: bytes, file: path, answers: answers)
            } catch {
                var scan = JournalScan(bytes: [], file: path)
                scan.problems.append(.unreadable(path, error))
                return scan
            }
        }
        return StoreSnapshot(
            records: Self.merge(scans.map(\.records)), problems: scans.flatMap(\.problems),
            journals: names.count)
    }

    /// Merges journals into one list ordered by time then id, keeps one copy of each id (the one
    /// `FirstCopies` says counts), and leaves out records of erased cases older than their erasure
    /// (a stale copy of a journal synced back must not bring them back).
    /// - Parameter stretches: as `mergeOrder(_:keys:texts:stretches:)` takes it.
    static func merge(_ journals: [[Record]], stretches: Int? = nil) -> [Record] {
        mergeOrder(journals, stretches: stretches).map { journals[Int($0.run)][Int($0.place)] }
    }

    /// The places of `merge`'s records in their journals (`run` the journal's number), in the
    /// merged order: the one merge of full records and of the summary read's other records.
    ///
    /// Each journal is appended in time order, so this is a k-way merge of sorted runs (a journal
    /// out of order, from a clock set back, is sorted first: `orderedPlaces`; a summary cache
    /// keeps a journal's other records in this order, see `OtherRecords.inMergeOrder`). Copies of one id are ordered by
    /// `FirstCopies.Rank` (their times, then their journals and places), so the first met is the one
    /// that counts. Eight bytes a record (a merge of ten million other records holds it beside
    /// them and their merged copy).
    static func mergeOrder<Run: MergeableRun>(_ journals: [Run], stretches: Int? = nil) -> [(
        run: Int32, place: Int32
    )] {
        // Each journal's times and ids on its own core, then their texts numbered in all of them.
        let runs = parallelMap(journals.count) { mergeKeys(journals[$0]) }
        var texts: [String] = []
        var keys: [[MergeKey]] = []
        for run in runs {
            let offset = Int32(texts.count)
            texts += run.texts
            keys.append(offset == 0 || run.texts.isEmpty ? run.keys : run.keys.map { $0.shifted(by: offset) })
        }
        return mergeOrder(journals, keys: keys, texts: texts, stretches: stretches)
    }

    /// The times and ids of one journal's records, taken out once as plain numbers (text ids by
    /// their number in `texts`).
    static func mergeKeys<Run: MergeableRun>(_ journal: Run) -> (keys: [MergeKey], texts: [String]) {
        var texts: [String] = []
        let keys = (0..<journal.count).map { place in
            let time = journal.time(place)
            switch journal.id(place) {
            case .bits(let bits):
                return MergeKey(time: time, high: bits.high, low: bits.low, text: -1, place: Int32(place))
            case .text(let text):
                texts.append(text)
                return MergeKey(
                    time: time, high: 0, low: 0, text: Int32(texts.count - 1), place: Int32(place))
            }
        }
        return (keys, texts)
    }

    /// The places of one journal's records (their times and ids `keys`, text ids by their number
    /// in `texts`) in the order `mergeOrder` takes them, or nil when they stand in it already: a
    /// journal is appended in time order, unless its clock was set back.
    static func orderedPlaces<Keys: MergeKeys>(_ journal: Keys, texts: [String]) -> [Int32]? {
        let order = MergeOrder(texts: texts)
        let inOrder = (0..<journal.count).dropFirst().allSatisfy {
            !order.before(journal.key($0), in: 0, journal.key($0 - 1), in: 0)
        }
        guard !inOrder else { return nil }
        // Sorted by time (places in order within a time), then each run of one time by the whole
        // order: most of a journal's records share their time with others (a day's meetings at
        // one hour), so each run's keys are taken out once, side by side, and sorted there
        // rather than fetched again for every comparison.
        var (times, places) = placesSorted(
            by: (0..<journal.count).map { Self.orderedBits(journal.key($0).time) })
        var run: [MergeKey] = []
        var start = 0
        while start < times.count {
            var end = start + 1
            while end < times.count, times[end] == times[start] { end += 1 }
            if end - start > 1 {
                run.removeAll(keepingCapacity: true)
                for place in places[start..<end] {
                    var key = journal.key(Int(place))
                    key.place = place
                    run.append(key)
                }
                run.sort { order.before($0, in: 0, $1, in: 0) }
                for (offset, key) in run.enumerated() { places[start + offset] = key.place }
            }
            start = end
        }
        return places
    }

    /// The bits of a time (`Date.timeIntervalSinceReferenceDate`), ordered as the times are: the
    /// sign bit set for a time not before the reference date, every bit flipped for one before it
    /// (zero of either sign the same). A time is never NaN (`TimeFormat.date` makes none).
    @inline(__always)
    static func orderedBits(_ time: Double) -> UInt64 {
        let bits = (time == 0 ? 0 : time).bitPattern
        return bits >> 63 == 0 ? bits | 1 << 63 : ~bits
    }

    /// `keys` sorted, and the places `0..<keys.count` in that order, equal keys in order of place:
    /// a stable sort by 8 or 16 bits at a time from the lowest (a radix sort), bits every key
    /// shares passed over. A journal's times share their top bits, and sorting a quarter of a
    /// million of them so takes a few passes rather than millions of comparisons.
    static func placesSorted(by keys: consuming [UInt64]) -> (keys: [UInt64], places: [Int32]) {
        let count = keys.count
        precondition(count < Int(Int32.max), "two billion keys or more")
        var places = (0..<Int32(count)).map { $0 }
        guard count > 1 else { return (keys, places) }
        // The bits that differ between keys; a digit none of them falls in is passed over.
        let varying = keys.withUnsafeBufferPointer { keys in
            var (all, any) = (UInt64.max, UInt64(0))
            for key in keys {
                all &= key
                any |= key
            }
            return all ^ any
        }
        // Few keys take digits of 8 bits, so that the counts are not most of the work.
        let width: UInt64 = count < 1 << 14 ? 8 : 16
        let digits = (UInt64(1) << width) - 1
        var otherKeys = [UInt64](repeating: 0, count: count)
        var otherPlaces = [Int32](repeating: 0, count: count)
        var starts = [Int](repeating: 0, count: Int(digits) + 1)
        for shift in stride(from: UInt64(0), to: 64, by: Int(width)) where varying >> shift & digits != 0 {
            starts.withUnsafeMutableBufferPointer { starts in
                for index in starts.indices { starts[index] = 0 }
                keys.withUnsafeBufferPointer { keys in
                    for key in keys { starts[Int(truncatingIfNeeded: key >> shift & digits)] += 1 }
                }
                var total = 0
                for digit in starts.indices {
                    let number = starts[digit]
                    starts[digit] = total
                    total += number
                }
                keys.withUnsafeBufferPointer { keys in
                    places.withUnsafeBufferPointer { places in
                        otherKeys.withUnsafeMutableBufferPointer { otherKeys in
                            otherPlaces.withUnsafeMutableBufferPointer { otherPlaces in
                                for index in 0..<count {
                                    let digit = Int(truncatingIfNeeded: keys[index] >> shift & digits)
                                    let to = starts[digit]
                                    starts[digit] = to + 1
                                    otherKeys[to] = keys[index]
                                    otherPlaces[to] = places[index]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &otherKeys)
            swap(&places, &otherPlaces)
        }
        return (keys, places)
    }

    /// `mergeOrder(_:)` of journals whose records' times and ids `keys` gives, place by place
    /// (text ids by their number in `texts`): a journal that holds them as plain numbers already
    /// is merged without a copy of them.
    /// - Parameter stretches: into how many stretches the merge is cut, merged side by side (by
    ///   default one for a small merge, else twice as many as there are cores).
    static func mergeOrder<Run: MergeableRun, Keys: MergeKeys>(
        _ journals: [Run], keys: [Keys], texts: [String], stretches: Int? = nil
    ) -> [(run: Int32, place: Int32)] {
        let order = MergeOrder(texts: texts)
        // Each journal in order, on every core: as it stands unless its clock was set back, when
        // its places are sorted.
        let sorted: [[Int32]?] = parallelMap(keys.count) { run in orderedPlaces(keys[run], texts: texts) }
        // The sorts' room (times beside places, and the sort's own) is handed back before the
        // merge takes its own.
        if sorted.contains(where: { $0 != nil }) { ProcessTuning.returnFreedMemory() }
        // Each journal's places in order (as they stand when empty), read without a copy of
        // either array per record.
        let places = (consume sorted).map { $0 ?? [] }
        let total = keys.reduce(0) { $0 + $1.count }
        // Only ids that may be met more than once are looked up in a set (see `mergeStretch`).
        let repeated = RepeatedIDs(keys)
        // The journals are cut at a few keys into stretches of the whole order, merged side by
        // side; a stretch ends where the next begins, so they are the merge's order one after
        // another. The copies of an id met in an earlier stretch are then left out of the later.
        let pivots = Self.mergePivots(
            keys, places: places,
            stretches: stretches ?? (total < 1 << 16 ? 1 : 2 * ProcessInfo.processInfo.activeProcessorCount))
        var stretches = parallelMap(pivots.count + 1) { stretch in
            // The first stretch's array takes the others after it: it has room for them all.
            mergeStretch(
                keys, places: places, order: order, repeated: repeated,
                from: stretch == 0 ? nil : pivots[stretch - 1],
                to: stretch == pivots.count ? nil : pivots[stretch], room: stretch == 0 ? total : 0)
        }
        // The journals' places are let go before the stretches are put together.
        _ = consume places
        var merged: [(run: Int32, place: Int32)] = []
        var seen = FirstCopies.KeySet(capacity: 16)
        for number in stretches.indices {
            // Each stretch let go once taken in: the order is held about once, never twice.
            let stretch = stretches[number]
            stretches[number] = ([], [])
            guard number > 0 else {
                merged = stretch.merged
                if stretches.count > 1 {
                    for (_, key) in stretch.mayRepeat { _ = seen.insert(key.id(texts)) }
                }
                continue
            }
            var left = Set<Int>()
            for (index, key) in stretch.mayRepeat where !seen.insert(key.id(texts)) { left.insert(index) }
            if left.isEmpty {
                merged += stretch.merged
            } else {
                for (index, place) in stretch.merged.enumerated() where !left.contains(index) {
                    merged.append(place)
                }
            }
        }
        // Erasures are few: the merged records are looked through for them (in the merge's order,
        // out of each journal's) only when a journal holds one.
        let erased = parallelMap(journals.count) { run in
            let journal = journals[run]
            return (0..<journal.count).contains { journal.isErasure($0) }
        }
        guard erased.contains(true) else { return merged }
        var erasures = Erasures()
        for (run, place) in merged {
            guard journals[Int(run)].isErasure(Int(place)) else { continue }
            erasures.note(
                erasureOf: journals[Int(run)].caseID(Int(place)),
                at: Date(timeIntervalSinceReferenceDate: journals[Int(run)].time(Int(place)))
                    .timeIntervalSince1970)
        }
        guard !erasures.isEmpty else { return merged }
        merged.removeAll { run, place in
            erasures.hides(
                caseID: journals[Int(run)].caseID(Int(place)),
                isErasure: journals[Int(run)].isErasure(Int(place)),
                time: Date(timeIntervalSinceReferenceDate: journals[Int(run)].time(Int(place)))
                    .timeIntervalSince1970)
        }
        return merged
    }

    /// Where a merge of `keys` (each journal's order as it stands, or by `places`) is cut into
    /// `stretches` stretches merged side by side: keys of the largest journal at even spaces,
    /// each with its journal, where a stretch ends and the next begins.
    private static func mergePivots<Keys: MergeKeys>(
        _ keys: [Keys], places: [[Int32]], stretches: Int
    ) -> [(key: MergeKey, run: Int)] {
        guard stretches > 1, let largest = keys.indices.max(by: { keys[$0].count < keys[$1].count }),
            keys[largest].count > 0
        else { return [] }
        let count = keys[largest].count
        return (1..<stretches).map { stretch in
            let head = count * stretch / stretches
            return (keys[largest].key(places[largest].isEmpty ? head : Int(places[largest][head])), largest)
        }
    }

    /// One stretch of the merge, from the first record not before `start` (the first of all when
    /// nil) up to the first not before `end` (every one when nil): the records in order, each
    /// id's first copy within the stretch, and those of them whose ids may be met more than once
    /// (`RepeatedIDs`), by their number in the stretch. The array of records has room for at
    /// least `room`.
    private static func mergeStretch<Keys: MergeKeys>(
        _ keys: [Keys], places: [[Int32]], order: MergeOrder, repeated: RepeatedIDs,
        from start: (key: MergeKey, run: Int)?, to end: (key: MergeKey, run: Int)?, room: Int
    ) -> (merged: [(run: Int32, place: Int32)], mayRepeat: [(index: Int, key: MergeKey)]) {
        @inline(__always) func key(_ run: Int, _ head: Int) -> MergeKey {
            keys[run].key(places[run].isEmpty ? head : Int(places[run][head]))
        }
        // Where each journal's records stand against a cut: those before it, found by halving
        // (a journal's records stand in the merge's order).
        func before(_ cut: (key: MergeKey, run: Int)?, in run: Int) -> Int {
            guard let cut else { return 0 }
            var (low, high) = (0, keys[run].count)
            while low < high {
                let middle = (low + high) / 2
                if order.before(key(run, middle), in: run, cut.key, in: cut.run) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return low
        }
        var heads = keys.indices.map { before(start, in: $0) }
        let ends = keys.indices.map { end == nil ? keys[$0].count : before(end, in: $0) }
        var merged: [(run: Int32, place: Int32)] = []
        merged.reserveCapacity(max(room, zip(heads, ends).reduce(0) { $0 + $1.1 - $1.0 }))
        var mayRepeat: [(index: Int, key: MergeKey)] = []
        // A synced copy of a record has its original's time and id, so it lands next to it; a
        // set catches the rare copy whose time differs (the earlier, met first, counts). Only ids
        // that may be met more than once go in it.
        var seen = FirstCopies.KeySet(capacity: 16)
        var last: MergeKey?
        // The journals not yet merged through, each one's next key.
        var live = keys.indices.filter { heads[$0] < ends[$0] }
        var next = keys.indices.map { heads[$0] < ends[$0] ? key($0, heads[$0]) : MergeKey() }
        while !live.isEmpty {
            var best = live[0]
            for run in live.dropFirst() where order.before(next[run], in: run, next[best], in: best) {
                best = run
            }
            let bestKey = next[best]
            heads[best] += 1
            if heads[best] < ends[best] {
                next[best] = key(best, heads[best])
            } else {
                live.removeAll { $0 == best }
            }
            if let last, order.sameID(last, bestKey) { continue }
            if repeated.mayHold(bestKey) {
                guard seen.insert(bestKey.id(order.texts)) else { continue }
                mayRepeat.append((merged.count, bestKey))
            }
            last = bestKey
            merged.append((Int32(best), bestKey.place))
        }
        return (merged, mayRepeat)
    }

    /// Returns the records of one case.
    package func records(forCase caseID: String) throws(StorageError) -> [Record] {
        try read().records.filter { $0.caseID == caseID }
    }

    /// Returns everything the store holds about one case as JSON Lines, each line exactly as
    /// stored (the citizen's right of access, GDPR art. 15).
    ///
    /// Lines come in the order `read()` gives their records, duplicates once, records hidden by an
    /// erasure left out; records of the case written by a newer Pejling follow, as they are.
    /// - Throws: `StorageError.unknownCase` when the store holds nothing about the case.
    package func exportCase(_ caseID: String) throws(StorageError) -> String {
        guard exists else { throw .noStore(directory) }
        let quoted = Array(("\"" + caseID + "\"").utf8)
        var records: [[Record]] = []
        var lines: [String: [UInt8]] = [:]
        var newer: [[UInt8]] = []
        do {
            for name in try journalFiles() {
                let bytes = try FileDescriptor.openForReading(journalsPath + "/" + name).readAll()
                var run: [Record] = []
                for line in bytes.split(separator: 0x0A) {
                    line.withUnsafeBufferPointer { buffer in
                        guard Self.contains(buffer, quoted) else { return }
                        do throws(RecordScanner.Problem) {
                            let record = try RecordScanner.parse(buffer)
                            guard record.caseID == caseID else { return }
                            run.append(record)
                            if lines[record.id] == nil { lines[record.id] = Array(buffer) }
                        } catch {
                            if case .newerVersion = error, RecordScanner.peek(buffer)?.caseID == caseID {
                                newer.append(Array(buffer))
                            }
                        }
                    }
                }
                records.append(run)
            }
        } catch {
            throw StorageError(error)
        }
        let merged = Self.merge(records)
        guard !merged.isEmpty || !newer.isEmpty else { throw .unknownCase(caseID) }
        var out: [UInt8] = []
        for line in merged.compactMap({ lines[$0.id] }) + newer {
            out += line
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Health

    /// Reports the store's health without changing anything: the journals, records and cases, the
    /// lines that are not records, files or folders that others than their owner may read, and
    /// symbolic links inside the store.
    package func check() throws(StorageError) -> StoreHealth {
        // Counted as `read()` would, without holding the records (Store+Check.swift).
        let snapshot = try countJournals()
        // A journal that is a link is found by the read and by the look at the files: once.
        let found = Set(snapshot.problems.filter { $0.kind == .symbolicLink }.map(\.file))
        return StoreHealth(
            journals: snapshot.journals, records: snapshot.records, cases: snapshot.cases,
            problems: snapshot.problems + fileProblems().filter { !found.contains($0.file) }, quarantined: [])
    }

    /// Files and folders of the store with bits for group or others (the store is 0700, files
    /// 0600), and symbolic links inside it (never looked through: what a link points to is not
    /// the store's).
    private func fileProblems() -> [StoreProblem] {
        var problems: [StoreProblem] = []
        func inspect(_ path: String, folder: Bool) {
            guard let mode = FileSystem.mode(path, following: path == directory), mode & 0o077 != 0 else {
                return
            }
            let octal = String(mode, radix: 8)
            let detail =
                (folder ? "folder, mode 0" : "mode 0")
                + String(repeating: "0", count: max(0, 3 - octal.count)) + octal
            problems.append(StoreProblem(file: path, line: 0, kind: .permissions, detail: detail))
        }
        func link(_ path: String) -> Bool {
            guard FileSystem.isSymbolicLink(path) else { return false }
            problems.append(StoreProblem(file: path, line: 0, kind: .symbolicLink, detail: ""))
            return true
        }
        inspect(directory, folder: true)
        if !link(erasureLockPath) { inspect(erasureLockPath, folder: false) }
        for folder in [journalsPath, quarantinePath, auditPath, cachePath] {
            guard !link(folder), FileSystem.isDirectory(folder) else { continue }
            inspect(folder, folder: true)
            for name in (try? FileSystem.list(folder)) ?? [] {
                let path = folder + "/" + name
                if !link(path) { inspect(path, folder: FileSystem.isDirectory(path)) }
            }
        }
        return problems
    }

    /// Moves every line that is not a record (torn or malformed) of every journal into quarantine,
    /// rewriting each journal atomically; lines from a newer Pejling stay. Nothing is deleted.
    /// Files and folders others may read are made private (0600, folders 0700).
    package func repair() throws(StorageError) -> StoreHealth {
        let before = try countJournals()
        var quarantined: [String] = []
        var madePrivate: [String] = []
        // Links are never changed: setMode refuses to follow one, and none is listed here.
        for problem in fileProblems() where problem.kind == .permissions {
            do throws(SystemError) {
                try FileSystem.setMode(
                    problem.file, problem.detail.hasPrefix("folder") ? 0o700 : 0o600,
                    following: problem.file == directory)
            } catch {
                throw StorageError(error)
            }
            madePrivate.append(problem.file)
        }
        let paths = Set(
            before.problems.filter { $0.kind == .tornLine || $0.kind == .malformedLine }.map(\.file))
        do {
            for path in paths.sorted() {
                var drop: [[UInt8]] = []
                try rewrite(
                    path,
                    keeping: { (line, torn) throws(SystemError) -> Bool in
                        // A torn last line goes even if it happens to parse: it was never acknowledged.
                        if torn {
                            drop.append(Array(line))
                            return false
                        }
                        do throws(RecordScanner.Problem) {
                            _ = try RecordScanner.parse(line)
                            return true
                        } catch {
                            if case .newerVersion = error { return true }
                        }
                        if !line.isEmpty { drop.append(Array(line)) }
                        return false
                    },
                    beforeReplacing: { () throws(SystemError) in
                        if !drop.isEmpty { quarantined.append(try quarantine(drop, from: path)) }
                    })
            }
        } catch {
            throw StorageError(error)
        }
        var health = try check()
        health.quarantined = quarantined
        health.madePrivate = madePrivate
        return health
    }

    /// Replaces the file at `path` with the lines `keep` keeps, under the file's lock: write a new
    /// file, fsync, rename over the old one, fsync the folder. Nothing is written when every line
    /// is kept.
    ///
    /// The file is read a block at a time and the new one written as the lines go by, so a journal
    /// of any size is rewritten in a few megabytes of memory: the new file is begun at the first
    /// line left out, with the bytes before that line copied as they stand.
    /// - Parameters:
    ///   - keep: whether to keep a line, given without its line break (its bytes are valid only
    ///     during the call) and whether it is a torn last line (the file does not end with a line
    ///     break).
    ///   - beforeReplacing: runs once the new file is on disk, before it takes the old one's place
    ///     (`repair` sets the lines it leaves out aside there, so no line is only in memory).
    /// - Returns: whether anything changed.
    @discardableResult
    private func rewrite(
        _ path: String,
        keeping keep: (_ line: UnsafeBufferPointer<UInt8>, _ torn: Bool) throws(SystemError) -> Bool,
        beforeReplacing: () throws(SystemError) -> Void = {}
    ) throws(SystemError) -> Bool {
        var locked: FileDescriptor?
        while locked == nil {
            guard let file = try FileDescriptor.openForUpdate(path) else { return false }
            try file.lock()
            // Another rewrite may have replaced the file while we waited: read the one that is there.
            if FileIdentity.of(path) == (try file.identity()) { locked = file }
        }
        let file = locked!
        let size = try file.size()
        let temporary = "\(path).\(processID).tmp"
        let blockSize = Self.rewriteBlock
        var fresh: FileDescriptor?
        // The kept lines not yet written to `fresh`.
        var pending: [UInt8] = []
        // Decides the line that starts at `start` in the file; at the first line left out, begins
        // the new file with every byte before it.
        func take(_ line: UnsafeBufferPointer<UInt8>, start: Int, torn: Bool) throws(SystemError) {
            if try keep(line, torn) {
                guard let fresh else { return }
                pending.append(contentsOf: line)
                pending.append(0x0A)
                if pending.count >= blockSize {
                    try fresh.writeAll(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            } else if fresh == nil {
                FileSystem.remove(temporary)
                let created = try FileDescriptor.create(temporary)
                // Appenders that open the new file under its final name wait on this lock until the
                // rename is on disk, so none acknowledges a record in a file a crash could still undo.
                try created.lock()
                fresh = created
                var copied = 0
                while copied < start {
                    let bytes = try file.read(at: copied, count: min(blockSize, start - copied))
                    guard !bytes.isEmpty else { throw SystemError(call: "read", path: path, code: EIO) }
                    try created.writeAll(bytes)
                    copied += bytes.count
                }
            }
        }
        do throws(SystemError) {
            // The start of a line the last block ended in, and where that line starts in the file.
            var carry: [UInt8] = []
            var lineStart = 0
            var offset = 0
            while offset < size {
                let block = try file.read(at: offset, count: min(blockSize, size - offset))
                guard !block.isEmpty else { break }
                var failure: SystemError?
                block.withUnsafeBufferPointer { bytes in
                    do throws(SystemError) {
                        var start = 0
                        while case let end = lineBreak(in: bytes, from: start), end < bytes.count {
                            if carry.isEmpty {
                                try take(
                                    UnsafeBufferPointer(rebasing: bytes[start..<end]), start: lineStart,
                                    torn: false)
                            } else {
                                carry.append(contentsOf: bytes[start..<end])
                                try carry.withUnsafeBufferPointer { line throws(SystemError) in
                                    try take(line, start: lineStart, torn: false)
                                }
                                carry.removeAll(keepingCapacity: true)
                            }
                            start = end + 1
                            lineStart = offset + start
                        }
                        carry.append(contentsOf: bytes[start...])
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
                offset += block.count
            }
            if !carry.isEmpty {
                try carry.withUnsafeBufferPointer { line throws(SystemError) in
                    try take(line, start: lineStart, torn: true)
                }
            }
            guard let fresh else { return false }
            try fresh.writeAll(pending)
            try fresh.sync()
            try beforeReplacing()
            try FileSystem.rename(temporary, path)
        } catch {
            if fresh != nil { FileSystem.remove(temporary) }
            throw error
        }
        try FileSystem.syncDirectory(FileSystem.parentOf(path))
        // Closing a descriptor releases its lock: keep both open until the rename is on disk
        // (Swift may otherwise end an object's life at its last use).
        withExtendedLifetime((file, fresh)) {}
        return true
    }

    /// How many bytes `rewrite` reads, and holds of the new file, at a time.
    static let rewriteBlock = 4 << 20

    // MARK: Erasure

    /// Removes every record of a case from every journal and quarantine file, atomically per file,
    /// and leaves an erasure marker that holds no answers (the right to erasure, GDPR art. 17).
    ///
    /// The marker is written first: should the erasure stop half-way, readers already leave the
    /// case out, and running it again finishes the job. Readers also leave out the case's records
    /// older than the marker that a stale copy of a journal brings back later.
    /// - Throws: `StorageError.unknownCase` when the store holds nothing about the case.
    package func erase(caseID: String) throws(StorageError) -> ErasureReport {
        let caseID = try CaseID.validate(caseID)
        // Held from the first read until the caches are gone, so no report writes a cache of a
        // journal as it was before this erasure (see `erasureLockPath`).
        let lock: FileDescriptor
        do {
            lock = try erasureLock(exclusive: true)
        } catch {
            throw StorageError(error)
        }
        // Also when the erasure stops half-way: caches made before it may hold the case.
        defer {
            removeCaches()
            withExtendedLifetime(lock) {}
        }
        guard try holdsRecords(of: caseID) else { throw .unknownCase(caseID) }
        // A journal that is a link would be replaced by the rewrite while the case's data stayed
        // in the file it points to: nothing is erased, and not reported done, until it is a file.
        do throws(SystemError) {
            for folder in [journalsPath, quarantinePath] {
                if FileSystem.isSymbolicLink(folder) { throw .symbolicLink(folder) }
                for name in try FileSystem.list(folder) ?? []
                where FileSystem.isSymbolicLink(folder + "/" + name) {
                    throw .symbolicLink(folder + "/" + name)
                }
            }
        } catch {
            throw StorageError(error)
        }
        let marker = try append(.erasure, caseID: caseID)
        var removed: [String: Int] = [:]
        let quoted = Array(("\"" + caseID + "\"").utf8)
        do {
            // Every file, not only journals: a temporary copy left by a crash holds data too.
            var files = (try FileSystem.list(journalsPath) ?? []).map { journalsPath + "/" + $0 }
            files += (try FileSystem.list(quarantinePath) ?? []).map { quarantinePath + "/" + $0 }
            for path in files where !FileSystem.isDirectory(path) {
                var count = 0
                try rewrite(path) { (line, _) throws(SystemError) -> Bool in
                    let belongs = Self.line(line, belongsTo: caseID, quoted: quoted)
                    if belongs { count += 1 }
                    return !belongs
                }
                if count > 0 { removed[path] = count }
            }
        } catch {
            throw StorageError(error)
        }
        // The summary caches hold the case's scores too (removed on the way out, above); reports
        // make them anew.
        return ErasureReport(removed: removed, marker: marker)
    }

    /// Whether a read of the store gives any record of `caseID` (an erasure marker too), found
    /// through the case's part of the summary caches rather than by reading every record; no
    /// cache is written (an erasure holds the erasure lock that writing one would wait for).
    /// - Parameter parsingAhead: as `readSummaries(caseID:pieceSize:cacheAfter:parsingAhead:)`
    ///   takes it (a test sets it low, as a big store's cold read has it).
    func holdsRecords(of caseID: String, parsingAhead: Int = parseAheadLimit) throws(StorageError) -> Bool {
        let snapshot = try readSummaries(caseID: caseID, cacheAfter: .max, parsingAhead: parsingAhead)
        return snapshot.table.count > 0 || snapshot.otherRecords.count > 0
    }

    /// Whether a line holds data of the case: a record (of any version) of the case other than an
    /// erasure marker, or a line that is not a record but mentions the case's id.
    static func line(_ line: UnsafeBufferPointer<UInt8>, belongsTo caseID: String, quoted: [UInt8]) -> Bool {
        // A record of the case holds its id in quotes; most lines are ruled out without parsing.
        guard contains(line, quoted) else { return false }
        guard let peek = RecordScanner.peek(line) else { return true }
        return peek.caseID == caseID && peek.kind != "erasure"
    }

    /// Whether `needle` occurs in `hay` (memmem: every line of a journal an erasure rewrites is
    /// searched for its case's id).
    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        occurs(needle, in: hay)
    }

    // MARK: Audit

    /// Records that `command` read or changed case data, without any answers: who, what, when.
    ///
    /// The audit journal is `audit/<writer>.jsonl`, one JSON object per line with `time`,
    /// `writer`, `command` and, when one case was concerned, `case`. It never holds answers,
    /// comments or scores.
    package func audit(command: String, caseID: String?) throws(StorageError) {
        var line = "{"
        line += "\"time\":"
        JSONString.quote(TimeFormat.string(TimeFormat.truncated(now())), into: &line)
        line += ",\"writer\":"
        JSONString.quote(writer, into: &line)
        line += ",\"command\":"
        JSONString.quote(command, into: &line)
        if let caseID {
            line += ",\"case\":"
            JSONString.quote(caseID, into: &line)
        }
        line += "}\n"
        do throws(SystemError) {
            try FileSystem.makeStoreFolder(auditPath)
            let path = auditPath + "/" + Self.fileName(writer) + ".jsonl"
            let (file, created) = try FileDescriptor.openForAppend(path)
            try file.lock()
            let size = try file.size()
            // After a crash mid-line, start on a new line so this entry stays whole.
            var torn = false
            if size > 0 { torn = try file.byte(at: size - 1) != 0x0A }
            try file.writeAll(Array(((torn ? "\n" : "") + line).utf8))
            try file.sync()
            if created || size == 0 { try FileSystem.syncDirectory(auditPath) }
            withExtendedLifetime(file) {}
        } catch {
            throw StorageError(error)
        }
    }
}

/// A record's time and id as `Store.mergeOrder` compares them, and its place in its journal: plain
/// numbers, so that comparing touches no reference count; the id's 128 bits, or (`text` ≥ 0) the
/// number of its text.
struct MergeKey: Sendable {
    var time: Double = 0
    var high: UInt64 = 0
    var low: UInt64 = 0
    var text: Int32 = -1
    var place: Int32 = 0

    /// The id, its text (if it has one) in `texts`.
    func id(_ texts: [String]) -> FirstCopies.Key {
        text < 0 ? .bits(HexID(high: high, low: low)) : .text(texts[Int(text)])
    }

    /// The key with its text's number (if it has one) moved on by `offset`.
    func shifted(by offset: Int32) -> MergeKey {
        var key = self
        if key.text >= 0 { key.text += offset }
        return key
    }
}

/// The order `Store.mergeOrder` takes records in: by time, then by id (`FirstCopies.Key.precedes`),
/// then by `FirstCopies.Rank` (journal, then place); ids of bits compared as numbers, with no
/// `FirstCopies.Key` made, as most records of a busy day share a time.
struct MergeOrder: Sendable {
    /// The texts of the text ids, by `MergeKey.text`.
    let texts: [String]

    /// Whether `left`, of journal `a`, goes before `right`, of journal `b`.
    @inline(__always)
    func before(_ left: MergeKey, in a: Int, _ right: MergeKey, in b: Int) -> Bool {
        if left.time != right.time { return left.time < right.time }
        if left.text < 0 && right.text < 0 {
            // 32 lowercase hexadecimal digits order as their numbers (`Key.precedes`).
            if left.high != right.high { return left.high < right.high }
            if left.low != right.low { return left.low < right.low }
        } else {
            let (first, second) = (left.id(texts), right.id(texts))
            if first != second { return FirstCopies.Key.precedes(first, second) }
        }
        return FirstCopies.Rank(time: left.time, journal: a, place: Int(left.place))
            < FirstCopies.Rank(time: left.time, journal: b, place: Int(right.place))
    }

    /// Whether the two keys are of one id (as `FirstCopies.Key` compares them).
    @inline(__always)
    func sameID(_ left: MergeKey, _ right: MergeKey) -> Bool {
        if left.text < 0 && right.text < 0 { return left.high == right.high && left.low == right.low }
        return left.id(texts) == right.id(texts)
    }
}

/// The ids of bits that may be met more than once in a merge, and every text id: found with one
/// bit for every place of a table of at least sixteen places per id, so that a merge of millions of
/// random ids sets aside a few percent of them rather than all.
///
/// Those set aside are looked up for every record merged: a small table of bits of their own (at
/// least sixteen per id, a few kilobytes where the set is megabytes) answers no for almost every
/// other id without a look into the set.
private struct RepeatedIDs {
    private var bits: [UInt64]
    private let shift: UInt64
    private var candidates = FirstCopies.KeySet(capacity: 16)
    /// A bit for each place of a table of the candidates, at `mixed(key) >> filterShift`.
    private var filter: [UInt64] = []
    private var filterShift: UInt64 = 58

    init(_ journals: [some MergeKeys]) {
        let count = journals.reduce(0) { $0 + $1.count }
        var width: UInt64 = 10
        while 1 << width < 16 * count { width += 1 }
        bits = Array(repeating: 0, count: 1 << (width - 6))
        shift = 64 - width
        var found: [HexID] = []
        for journal in journals {
            for place in 0..<journal.count {
                let key = journal.key(place)
                guard key.text < 0 else { continue }
                let bit = Int(truncatingIfNeeded: Self.mixed(key) >> shift)
                let mask: UInt64 = 1 << (bit & 63)
                if bits[bit >> 6] & mask != 0 {
                    let id = HexID(high: key.high, low: key.low)
                    if candidates.insert(.bits(id)) { found.append(id) }
                } else {
                    bits[bit >> 6] |= mask
                }
            }
        }
        bits = []
        var filterWidth: UInt64 = 6
        while 1 << filterWidth < 16 * found.count { filterWidth += 1 }
        filterShift = 64 - filterWidth
        filter = Array(repeating: 0, count: 1 << (filterWidth - 6))
        for id in found {
            let bit = Int(truncatingIfNeeded: Self.mixed(MergeKey(high: id.high, low: id.low)) >> filterShift)
            filter[bit >> 6] |= 1 << (bit & 63)
        }
    }

    private static func mixed(_ key: MergeKey) -> UInt64 {
        (key.high ^ (key.low &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    }

    /// Whether the id of `key` may be met more than once (always, for a text id).
    @inline(__always)
    func mayHold(_ key: MergeKey) -> Bool {
        guard key.text < 0 else { return true }
        let bit = Int(truncatingIfNeeded: Self.mixed(key) >> filterShift)
        return filter[bit >> 6] & 1 << (bit & 63) != 0
            && candidates.contains(.bits(HexID(high: key.high, low: key.low)))
    }
}

/// One journal's records' times and ids as `Store.mergeOrder` compares them, by place.
protocol MergeKeys: Sendable {
    var count: Int { get }
    func key(_ place: Int) -> MergeKey
}

extension Array: MergeKeys where Element == MergeKey {
    func key(_ place: Int) -> MergeKey { self[place] }
}

/// What `Store.mergeOrder` reads of one journal's records.
protocol MergeableRun: Sendable {
    var count: Int { get }
    /// When the record at `place` was written, as `Date.timeIntervalSinceReferenceDate` (which
    /// orders as the dates do).
    func time(_ place: Int) -> Double
    func id(_ place: Int) -> FirstCopies.Key
    func caseID(_ place: Int) -> String
    func isErasure(_ place: Int) -> Bool
}

extension Array: MergeableRun where Element == Record {
    func time(_ place: Int) -> Double { self[place].time.timeIntervalSinceReferenceDate }
    func id(_ place: Int) -> FirstCopies.Key { FirstCopies.Key(self[place].id) }
    func caseID(_ place: Int) -> String { self[place].caseID }
    func isErasure(_ place: Int) -> Bool {
        if case .erasure = self[place].body { return true }
        return false
    }
}

/// The records and problems of one journal's bytes.
struct JournalScan {
    var records: [Record] = []
    var problems: [StoreProblem] = []

    init(bytes: [UInt8], file: String, answers: Bool = true) {
        var records: [Record] = []
        problems =
            JournalLines.walk(bytes, file: file) { line throws(RecordScanner.Problem) in
                records.append(try RecordScanner.parse(line, answers: answers))
            }.problems
        self.records = records
    }
}

/// Walks the lines of a journal's bytes, handing each non-empty complete line to `body` and
/// turning what it throws, and an incomplete last line, into problems with their line numbers.
enum JournalLines {
    static func walk(
        _ bytes: [UInt8], file: String,
        _ body: (UnsafeBufferPointer<UInt8>) throws(RecordScanner.Problem) -> Void
    ) -> (problems: [StoreProblem], lines: Int) {
        walk(bytes, file: file) { line, _ throws(RecordScanner.Problem) in try body(line) }
    }

    /// `walk(_:file:_:)`, handing `body` each line's offset in `bytes` too.
    static func walk(
        _ bytes: [UInt8], file: String,
        _ body: (UnsafeBufferPointer<UInt8>, _ start: Int) throws(RecordScanner.Problem) -> Void
    ) -> (problems: [StoreProblem], lines: Int) {
        var problems: [StoreProblem] = []
        var line = 0
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                line += 1
                let end = lineBreak(in: buffer, from: start)
                if end == buffer.count {
                    problems.append(
                        StoreProblem(
                            file: file, line: line, kind: .tornLine,
                            detail: "\(end - start) bytes without a line break"))
                    break
                }
                if end > start {
                    do throws(RecordScanner.Problem) {
                        try body(UnsafeBufferPointer(rebasing: buffer[start..<end]), start)
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
        return (problems, line)
    }
}
