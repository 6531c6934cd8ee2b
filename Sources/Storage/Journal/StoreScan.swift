import Foundation
import Support

/// The records of a store as `Store.read()` gives them (the same records, in the same order),
/// found by reading every journal once without holding them: for each, where its line stands,
/// and what the record rules need of it. An export reads the records a chunk at a time by it, so
/// memory holds a few records' answers, never the store's.
///
/// Every journal is read in pieces, parsed on every core by the one full parser; a line it does
/// not read is a problem, as in `read()`. The order and the copy of an id that counts are
/// `Store.mergeOrder`'s, what an erasure hides is `Erasures`'. The journals stay open, so the
/// records read later are those of the files the scan read, whatever is renamed over them since.
package struct StoreScan: Sendable {
    /// What the export needs of one record besides its line.
    ///
    /// Plain numbers only, 40 bytes, so that the entries of ten million records fit in 400
    /// megabytes and the merge compares them without touching a reference count.
    struct Entry: Sendable {
        /// When the record was written, as `Date.timeIntervalSinceReferenceDate`.
        var time: Double
        /// The id's 128 bits, or (when `textID`) the number of its text in `idTexts`, in `low`.
        var high: UInt64 = 0
        var low: UInt64 = 0
        /// Where the line starts in its journal (the upper 40 bits) and its length (the lower 24:
        /// `longLength` for a line that long or longer, whose length the scan's `longLines` holds).
        private var span: UInt64
        /// The number of its case in `caseIDs`.
        var caseNumber: Int32
        /// The kind (the lowest 4 bits), the flags (the next 4), and one more than the number in
        /// `contentKeys` of an administration's or correction's keys (the upper 24; 0 for none).
        private var packed: UInt32

        /// The length that stands for a line of this length or longer.
        static let longLength = (1 << 24) - 1

        init(time: Double, offset: Int, length: Int, caseNumber: Int32, kind: RecordKind) {
            precondition(offset < 1 << 40, "a journal of a terabyte or more")
            self.time = time
            span = UInt64(offset) << 24 | UInt64(min(length, Self.longLength))
            self.caseNumber = caseNumber
            packed = UInt32(kind.rawValue)
        }

        var offset: Int { Int(span >> 24) }
        /// The line's length, or `longLength` when it is that long or longer.
        var shortLength: Int { Int(span & UInt64(Self.longLength)) }
        var kind: RecordKind { RecordKind(rawValue: UInt8(packed & 0xF))! }

        var flags: Flags {
            get { Flags(rawValue: UInt8(packed >> 4 & 0xF)) }
            set { packed = packed & ~0xF0 | UInt32(newValue.rawValue) << 4 }
        }

        /// The number in `contentKeys` of an administration's or correction's keys, or -1.
        var keys: Int32 {
            get { Int32(packed >> 8) - 1 }
            set {
                precondition(newValue < (1 << 24) - 1, "more than 16 million sets of answers' keys")
                packed = packed & 0xFF | UInt32(newValue + 1) << 8
            }
        }

        struct Flags: OptionSet, Sendable {
            let rawValue: UInt8
            /// The line is the record's `encodedLine()` (noted with `lines: true` only).
            static let encoded = Flags(rawValue: 1)
            /// The id is not 32 lowercase hexadecimal digits: `low` numbers its text.
            static let textID = Flags(rawValue: 2)
        }

        /// The record's time and id as the merge compares them, `place` its place in its journal.
        func mergeKey(place: Int) -> MergeKey {
            flags.contains(.textID)
                ? MergeKey(time: time, high: 0, low: 0, text: Int32(low), place: Int32(place))
                : MergeKey(time: time, high: high, low: low, text: -1, place: Int32(place))
        }
    }

    /// Each journal's records, in line order.
    private let journalEntries: [[Entry]]
    /// The corrections, withdrawals and erasure markers, whole but without answers, by journal and
    /// place (they are few; they settle what the administrations are).
    private let held: [[Int: Record]]
    /// The records in the store's order: their journals and places.
    private let order: [(run: Int32, place: Int32)]
    /// The cases the entries name, by number.
    private let caseIDs: [String]
    /// The ids that are not 32 lowercase hexadecimal digits, by number.
    private let idTexts: [String]
    /// The lengths of lines of `Entry.longLength` bytes or more, by journal and offset.
    private let longLines: [[Int: Int]]
    private let files: [FileDescriptor?]
    private let paths: [String]
    /// The distinct keys of administrations' answers and scores (`keys: true` only).
    package let contentKeys: [ContentKeys]
    /// The lines that are not records, as `read()` reports them.
    package let problems: [StoreProblem]
    /// How many journal files were read.
    package let journals: Int

    /// Scans the journals named `names` (in `folder`), noting the keys of administrations'
    /// answers and scores when `keys` is set.
    init(folder: String, names: [String], keys: Bool, lines: Bool, pieceSize: Int) {
        Phases.begin()
        let paths = names.map { folder + "/" + $0 }
        var files: [FileDescriptor?] = []
        var pieces: [ScanPiece] = []
        var unreadable: [Int: StoreProblem] = [:]
        for (journal, path) in paths.enumerated() {
            do throws(SystemError) {
                let file = try FileDescriptor.openForReading(path)
                let size = try file.size()
                var start = 0
                while start < size {
                    let end = try Store.lineStart(file, after: start + max(1, pieceSize), size: size)
                    pieces.append(ScanPiece(journal: journal, file: file, start: start, end: end))
                    start = end
                }
                files.append(file)
            } catch {
                files.append(nil)
                unreadable[journal] = .unreadable(path, error)
            }
        }
        var scans = parallelMap(taking: pieces) { piece in ScannedPiece(piece, keys: keys, lines: lines) }
        Phases.mark("scan")
        // Each journal's pieces put together: places, line numbers and keys numbered anew, each
        // piece let go once taken in.
        var journalEntries = Array(repeating: [Entry](), count: paths.count)
        var totals = Array(repeating: 0, count: paths.count)
        for scan in scans { totals[scan.journal] += scan.entries.count }
        var held = Array(repeating: [Int: Record](), count: paths.count)
        var longLines = Array(repeating: [Int: Int](), count: paths.count)
        var journalProblems = Array(repeating: [StoreProblem](), count: paths.count)
        var lines = Array(repeating: 0, count: paths.count)
        var contentKeys = Numbering<ContentKeys>()
        var caseIDs = Numbering<String>()
        var idTexts: [String] = []
        for index in scans.indices {
            var scan = scans[index]
            scans[index] = ScannedPiece(journal: scan.journal)
            let journal = scan.journal
            if let failure = scan.failure {
                unreadable[journal] = .unreadable(paths[journal], failure)
                continue
            }
            let numbers = scan.keys.map { contentKeys.number($0) }
            let cases = scan.caseIDs.map { caseIDs.number($0) }
            let firstText = UInt64(idTexts.count)
            idTexts += scan.idTexts
            // A journal's room is taken when its first piece comes, once the pieces before have
            // been let go: the entries are held about once, never twice.
            if journalEntries[journal].isEmpty { journalEntries[journal].reserveCapacity(totals[journal]) }
            let first = journalEntries[journal].count
            for index in scan.entries.indices {
                scan.entries[index].caseNumber = cases[Int(scan.entries[index].caseNumber)]
                if scan.entries[index].keys >= 0 {
                    scan.entries[index].keys = numbers[Int(scan.entries[index].keys)]
                }
                if scan.entries[index].flags.contains(.textID) { scan.entries[index].low += firstText }
            }
            for (place, record) in scan.held { held[journal][first + place] = record }
            for (offset, length) in scan.longLines { longLines[journal][offset] = length }
            journalEntries[journal] += scan.entries
            journalProblems[journal] += scan.problems.map { problem in
                var shifted = problem
                if shifted.line > 0 { shifted.line += lines[journal] }
                return shifted
            }
            lines[journal] += scan.lines
            // The piece's entries are freed here, on another core's heap than the journal's
            // room: handed back at once, they are never held twice over.
            scan = ScannedPiece(journal: journal)
            ProcessTuning.returnFreedMemory()
        }
        // A journal that fails anywhere counts nothing but its failure, as in `read()`.
        for (journal, problem) in unreadable {
            journalEntries[journal] = []
            held[journal] = [:]
            longLines[journal] = [:]
            journalProblems[journal] = [problem]
        }
        Phases.mark("gather")
        let entries = journalEntries
        journalEntries = []
        let runs = entries.map { ScannedRun(entries: $0, caseIDs: caseIDs.values, idTexts: idTexts) }
        let order = Store.mergeOrder(runs, keys: runs, texts: idTexts)
        // The merge's set of ids is freed.
        ProcessTuning.returnFreedMemory()
        Phases.mark("order")
        self.journalEntries = entries
        self.held = held
        self.order = order
        self.caseIDs = caseIDs.values
        self.idTexts = idTexts
        self.longLines = longLines
        self.files = files
        self.paths = paths
        self.contentKeys = contentKeys.values
        problems = journalProblems.flatMap { $0 }
        journals = paths.count
    }

    /// How many records there are.
    package var count: Int { order.count }

    private func entry(_ position: Int) -> Entry {
        let (run, place) = order[position]
        return journalEntries[Int(run)][Int(place)]
    }

    /// When the record at `position` was written, as the scan read it.
    package func time(_ position: Int) -> Date { Date(timeIntervalSinceReferenceDate: entry(position).time) }

    /// The kind of the record at `position` (in the store's order).
    package func kind(_ position: Int) -> RecordKind { entry(position).kind }

    /// The case of the record at `position`.
    package func caseID(_ position: Int) -> String { caseIDs[Int(entry(position).caseNumber)] }

    /// The id of the record at `position`, as written.
    package func id(_ position: Int) -> String { key(position).text }

    /// The id of the record at `position` as the record rules compare ids.
    private func key(_ position: Int) -> FirstCopies.Key { entry(position).mergeKey(place: 0).id(idTexts) }

    /// Settles the corrections and withdrawals `amending` (held records, in the store's order)
    /// against the administrations at `administrations` (positions, in the store's order), as
    /// `Amendments` does, comparing the administrations' ids as the scan holds them.
    package func amendments(_ amending: [Record], administrations: [Int32]) -> Amendments {
        Amendments(
            amending, administrations: administrations.count,
            id: { key(Int(administrations[$0])) }, key: FirstCopies.Key.init,
            caseID: { caseID(Int(administrations[$0])) })
    }

    /// The number in `contentKeys` of the keys of the administration or correction at
    /// `position`, or nil (other kinds, or a scan without keys).
    package func keys(_ position: Int) -> Int? {
        let number = entry(position).keys
        return number >= 0 ? Int(number) : nil
    }

    /// The record at `position` without its answers when it is a correction, withdrawal or erasure
    /// marker (held since the scan), else nil.
    package func held(_ position: Int) -> Record? {
        let (run, place) = order[position]
        return held[Int(run)][Int(place)]
    }

    /// Returns the records of `kind` of the case `caseID` or of every case, in the store's order,
    /// read in full from their journals (as `records(_:)`).
    package func records(of kind: RecordKind, caseID: String? = nil) throws(StorageError) -> [Record] {
        try records(
            (0..<count).filter { position in
                let entry = entry(position)
                return entry.kind == kind && (caseID == nil || caseIDs[Int(entry.caseNumber)] == caseID)
            })
    }

    /// Returns the records at `positions`, in that order, read in full from their journals:
    /// nearby lines with one read, parsed by the full parser.
    /// - Throws: `StorageError.io` when a journal cannot be read, or no longer holds the record
    ///   the scan found (it was cut short since).
    package func records(_ positions: [Int]) throws(StorageError) -> [Record] {
        var records = [Record?](repeating: nil, count: positions.count)
        try lines(positions) { index, line, path throws(StorageError) in
            guard let record = try? RecordScanner.parse(line) else { throw Self.changed(path) }
            records[index] = record
        }
        return records.map { $0! }
    }

    /// Returns the records at `positions` as JSON Lines: each record's `encodedLine()` and a line
    /// break, as for `records(positions)`. A line the scan found to be its record's encoding
    /// already (`lines: true`; every line Pejling writes) is copied as it stands.
    package func encodedLines(_ positions: [Int]) throws(StorageError) -> [UInt8] {
        // Lines that are their encodings already (nearly always all) are copied straight to their
        // places in the output.
        var starts: [Int] = []
        starts.reserveCapacity(positions.count + 1)
        var total = 0
        for position in positions {
            let entry = entry(position)
            guard entry.flags.contains(.encoded) else { break }
            starts.append(total)
            total += length(entry, in: Int(order[position].run)) + 1
        }
        if starts.count == positions.count {
            var failure: StorageError?
            let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
                do throws(StorageError) {
                    try lines(positions, starts: starts, into: buffer)
                    for index in starts.indices {
                        buffer[(index + 1 < starts.count ? starts[index + 1] : total) - 1] = 0x0A
                    }
                    initialized = total
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            return bytes
        }
        var pieces = [[UInt8]](repeating: [], count: positions.count)
        try lines(positions) { index, line, path throws(StorageError) in
            if entry(positions[index]).flags.contains(.encoded) {
                pieces[index] = Array(line)
            } else {
                guard let record = try? RecordScanner.parse(line) else { throw Self.changed(path) }
                record.appendEncodedLine(to: &pieces[index])
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pieces.reduce(positions.count) { $0 + $1.count })
        for piece in pieces {
            bytes += piece
            bytes.append(0x0A)
        }
        return bytes
    }

    /// Returns the lines of the records at `positions`, one after another in that order (no line
    /// breaks), and where each ends: read as `records(_:)` reads them, for a caller that reads
    /// only what it needs of each.
    /// - Throws: `StorageError.io` when a journal cannot be read, or no longer holds the record
    ///   the scan found (it was cut short since).
    package func lineBytes(_ positions: [Int]) throws(StorageError) -> (bytes: [UInt8], ends: [Int]) {
        var ends: [Int] = []
        ends.reserveCapacity(positions.count)
        var total = 0
        for position in positions {
            total += length(entry(position), in: Int(order[position].run))
            ends.append(total)
        }
        var failure: StorageError?
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            do throws(StorageError) {
                try lines(positions, starts: [0] + ends.dropLast(), into: buffer)
                initialized = total
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return (bytes, ends)
    }

    /// The error that says the journal of the record at `position` no longer holds what the scan
    /// found there.
    package func changed(at position: Int) -> StorageError {
        Self.changed(paths[Int(order[position].run)])
    }

    /// The length of the line of `entry`, of the journal `run`.
    private func length(_ entry: Entry, in run: Int) -> Int {
        let length = entry.shortLength
        return length < Entry.longLength ? length : longLines[run][entry.offset]!
    }

    private static func changed(_ path: String) -> StorageError {
        .io(call: "read", path: path, reason: "the journal changed while it was read")
    }

    /// At most how many bytes between two lines are read (and thrown away) to read both with one
    /// call: about what a call costs to copy. Lines of one stretch of time lie far apart in a
    /// journal written case by case; a wider gap copied the journal again to read them.
    static let readGap = 4 << 10

    /// Hands `body` the line of each record at `positions` (by its index in `positions`) and its
    /// journal's path, reading them in order of journal and place, lines that lie close together
    /// with one read, into one buffer.
    private func lines(
        _ positions: [Int],
        _ body: (_ index: Int, _ line: UnsafeBufferPointer<UInt8>, _ path: String) throws(StorageError) ->
            Void
    ) throws(StorageError) {
        var bytes: [UInt8] = []
        try readGroups(positions) { run, file, start, end, lines throws(StorageError) in
            try eachLine(run, file, start, end, lines, into: &bytes) { index, line throws(StorageError) in
                try body(index, line, paths[run])
            }
        }
    }

    /// Reads the line of each record at `positions` into `buffer`, that of `positions[index]` at
    /// `starts[index]`, as `lines(_:_:)` reads them: a line read alone (nearly every line of a
    /// journal written case by case) straight to its place, with no copy.
    private func lines(
        _ positions: [Int], starts: [Int], into buffer: UnsafeMutableBufferPointer<UInt8>
    ) throws(StorageError) {
        var bytes: [UInt8] = []
        try readGroups(positions) { run, file, start, end, lines throws(StorageError) in
            if lines.count == 1, let line = lines.first {
                let place = UnsafeMutableBufferPointer(
                    rebasing: buffer[starts[line.index]..<starts[line.index] + line.length])
                let read: Int
                do throws(SystemError) {
                    read = try file.read(at: line.offset, into: place)
                } catch {
                    throw StorageError(error)
                }
                guard read == line.length else { throw Self.changed(paths[run]) }
                return
            }
            try eachLine(run, file, start, end, lines, into: &bytes) { index, line throws(StorageError) in
                _ = UnsafeMutableBufferPointer(rebasing: buffer[starts[index]..<starts[index] + line.count])
                    .initialize(from: line)
            }
        }
    }

    /// Reads `start..<end` of `file`, journal `run`'s, into `bytes` and hands `body` each of
    /// `lines` (by its index in the positions read) in place: one group of `readGroups`.
    private func eachLine(
        _ run: Int, _ file: FileDescriptor, _ start: Int, _ end: Int,
        _ lines: UnsafeBufferPointer<(index: Int, offset: Int, length: Int)>, into bytes: inout [UInt8],
        _ body: (_ index: Int, _ line: UnsafeBufferPointer<UInt8>) throws(StorageError) -> Void
    ) throws(StorageError) {
        let read: Int
        do throws(SystemError) {
            read = try file.read(at: start, count: end - start, into: &bytes)
        } catch {
            throw StorageError(error)
        }
        try bytes.withUnsafeBufferPointer { buffer throws(StorageError) in
            for line in lines {
                let from = line.offset - start
                guard from + line.length <= read else { throw Self.changed(paths[run]) }
                try body(line.index, UnsafeBufferPointer(rebasing: buffer[from..<from + line.length]))
            }
        }
    }

    /// Hands `body` the lines of the records at `positions` in order of journal and place, in
    /// groups that one read takes (lines that lie close together in one journal): the journal's
    /// number and open file, where the read starts and ends, and each line's index in `positions`,
    /// offset and length.
    private func readGroups(
        _ positions: [Int],
        _ body: (
            _ run: Int, _ file: FileDescriptor, _ start: Int, _ end: Int,
            _ lines: UnsafeBufferPointer<(index: Int, offset: Int, length: Int)>
        ) throws(StorageError) -> Void
    ) throws(StorageError) {
        // Sorted by journal and place (a place is in one journal once), as numbers.
        let wanted = Store.placesSorted(
            by: positions.map { position in
                let (run, place) = order[position]
                return UInt64(run) << 32 | UInt64(UInt32(place))
            }
        ).places.map(Int.init)
        // Each line's journal, offset and length, its entry looked up once, in its journal's
        // entries taken once for all its lines (they come together).
        var runs: [Int32] = []
        runs.reserveCapacity(wanted.count)
        var lines: [(index: Int, offset: Int, length: Int)] = []
        lines.reserveCapacity(wanted.count)
        while lines.count < wanted.count {
            let run = order[positions[wanted[lines.count]]].run
            let entries = journalEntries[Int(run)]
            repeat {
                let index = wanted[lines.count]
                let (_, place) = order[positions[index]]
                let entry = entries[Int(place)]
                runs.append(run)
                lines.append((index, entry.offset, length(entry, in: Int(run))))
            } while lines.count < wanted.count && order[positions[wanted[lines.count]]].run == run
        }
        // A group's lines handed over in place (no slice of the array made, and counted, for each).
        try lines.withUnsafeBufferPointer { lines throws(StorageError) in
            var next = 0
            while next < lines.count {
                // The open file of the journal of the lines at hand, bound once for all its
                // groups: each core counting references to one shared file for every group (as a
                // variable reassigned in the loop is) slowed both.
                let run = Int(runs[next])
                // A journal that could not be opened has no records in the scan.
                guard let file = files[run] else { throw Self.changed(paths[run]) }
                repeat {
                    let first = lines[next]
                    var end = next + 1
                    var spanEnd = first.offset + first.length
                    while end < lines.count, Int(runs[end]) == run {
                        let line = lines[end]
                        let lineEnd = line.offset + line.length
                        guard line.offset >= first.offset, line.offset - spanEnd <= Self.readGap,
                            lineEnd - first.offset <= 8 << 20
                        else { break }
                        spanEnd = max(spanEnd, lineEnd)
                        end += 1
                    }
                    try body(
                        run, file, first.offset, spanEnd, UnsafeBufferPointer(rebasing: lines[next..<end]))
                    next = end
                } while next < lines.count && Int(runs[next]) == run
            }
        }
    }
}

extension Store {
    /// Scans every journal for an export (see `StoreScan`): the records `read()` gives, in its
    /// order, without holding them.
    /// - Parameters:
    ///   - keys: whether to note the keys of administrations' answers and scores (a table's
    ///     columns).
    ///   - lines: whether to note which lines are their records' encodings already, so that
    ///     `encodedLines` copies them.
    ///   - pieceSize: about how many bytes one parallel task parses.
    /// - Throws: `StorageError.noStore` when the folder does not exist.
    package func scan(keys: Bool = false, lines: Bool = false, pieceSize: Int = 8 << 20) throws(StorageError)
        -> StoreScan
    {
        guard exists else { throw .noStore(directory) }
        return StoreScan(
            folder: journalsPath, names: try journalNames(), keys: keys, lines: lines, pieceSize: pieceSize)
    }
}

/// The kind of a record, as a scan notes it.
package enum RecordKind: UInt8, Sendable {
    case administration, correction, withdrawal, goal, decision, erasure

    init(_ body: RecordBody) {
        switch body {
        case .administration: self = .administration
        case .correction: self = .correction
        case .withdrawal: self = .withdrawal
        case .goal: self = .goal
        case .decision: self = .decision
        case .erasure: self = .erasure
        }
    }
}

/// The keys of an administration's answers and scores, each sorted: what columns it fills.
package struct ContentKeys: Hashable, Sendable {
    package var instrument: String
    package var answers: [String]
    package var scores: [String]

    init(_ content: AdministrationRecord) {
        instrument = content.instrument
        answers = content.answers.keys.sorted()
        scores = content.scores.keys.sorted()
    }

    /// Whether `content` has exactly these keys.
    func fits(_ content: AdministrationRecord) -> Bool {
        content.instrument == instrument && content.answers.count == answers.count
            && content.scores.count == scores.count && answers.allSatisfy { content.answers[$0] != nil }
            && scores.allSatisfy { content.scores[$0] != nil }
    }

    /// Whether the administration `scanned` read from `scanner`'s line has exactly these keys,
    /// found without making its record: its answers and scores name them in their sorted order,
    /// byte for byte (false when they do not, though a record made of it might still fit).
    ///
    /// Sets `answerStarts` and `scoreStarts` to where each answer's and score's value starts in
    /// the line, in the line's order, as far as it read them: all of them when it fits, found by
    /// the same walk.
    func fits(
        _ scanned: ScannedRecord, in scanner: Scanner, answerStarts: inout [Int], scoreStarts: inout [Int]
    ) -> Bool {
        guard let answers = scanned.answers, let scores = scanned.scores else {
            answerStarts.removeAll(keepingCapacity: true)
            scoreStarts.removeAll(keepingCapacity: true)
            return false
        }
        return fits(
            answers: answers, scores: scores, in: scanner, answerStarts: &answerStarts,
            scoreStarts: &scoreStarts)
    }

    /// `fits(_:in:answerStarts:scoreStarts:)` for a line whose answers and scores start where
    /// `answers` and `scores` say, with that many members.
    func fits(
        answers found: (start: Int, count: Int), scores foundScores: (start: Int, count: Int),
        in scanner: Scanner, answerStarts: inout [Int], scoreStarts: inout [Int]
    ) -> Bool {
        answerStarts.removeAll(keepingCapacity: true)
        scoreStarts.removeAll(keepingCapacity: true)
        let (answersStart, answerCount) = found
        let (scoresStart, scoreCount) = foundScores
        guard answerCount == answers.count, scoreCount == scores.count else { return false }
        func named(_ names: [String], from start: Int, _ starts: inout [Int]) -> Bool {
            var reader = scanner
            reader.index = start
            var place = 0
            var same = true
            do throws(RecordScanner.Problem) {
                try names.withUnsafeBufferPointer { names throws(RecordScanner.Problem) in
                    try reader.members { inner, key throws(RecordScanner.Problem) in
                        if same, place < names.count {
                            var name = names[place]
                            same = name.withUTF8 { $0.equals(key) }
                        }
                        place += 1
                        // The line is checked already: a value ends at the next comma or brace
                        // outside a string.
                        inner.skipSpace()
                        starts.append(inner.index)
                        if inner.index < inner.bytes.count, inner.bytes[inner.index] == UInt8(ascii: "\"") {
                            _ = try inner.span()
                        } else {
                            while inner.index < inner.bytes.count,
                                inner.bytes[inner.index] != UInt8(ascii: ","),
                                inner.bytes[inner.index] != UInt8(ascii: "}")
                            {
                                inner.index += 1
                            }
                        }
                    }
                }
            } catch {
                return false
            }
            return same && place == names.count
        }
        return named(answers, from: answersStart, &answerStarts)
            && named(scores, from: scoresStart, &scoreStarts)
    }
}

/// A stretch of a journal that starts at a line's start and ends after a line break (or at the
/// end of the file).
private struct ScanPiece: Sendable {
    var journal: Int
    var file: FileDescriptor
    var start: Int
    var end: Int
}

/// One piece scanned: its records' entries, the few held whole, its problems (lines numbered
/// from the piece's first) and the keys its entries' numbers refer to.
private struct ScannedPiece: Sendable {
    var journal: Int
    var entries: [StoreScan.Entry] = []
    var held: [(place: Int, record: Record)] = []
    var keys: [ContentKeys] = []
    /// The cases the entries' numbers refer to.
    var caseIDs: [String] = []
    /// The ids that are not 32 lowercase hexadecimal digits the entries' numbers refer to.
    var idTexts: [String] = []
    /// The offsets and lengths of lines of `StoreScan.Entry.longLength` bytes or more.
    var longLines: [(offset: Int, length: Int)] = []
    var problems: [StoreProblem] = []
    var lines = 0
    var failure: SystemError?

    /// Nothing of the journal `journal`.
    init(journal: Int) {
        self.journal = journal
    }

    init(_ piece: consuming ScanPiece, keys noting: Bool, lines encodings: Bool) {
        journal = piece.journal
        let bytes: [UInt8]
        do {
            bytes = try piece.file.read(at: piece.start, count: piece.end - piece.start)
        } catch {
            failure = error
            return
        }
        var entries: [StoreScan.Entry] = []
        var held: [(place: Int, record: Record)] = []
        var keys: [ContentKeys] = []
        var caseIDs = Numbering<String>()
        var idTexts: [String] = []
        var longLines: [(offset: Int, length: Int)] = []
        // The keys last seen of each instrument: most administrations of one have the same.
        var latest = LatestKeys()
        // Room for where the values of the answers and scores start, as `ContentKeys.fits` finds them.
        var answerStarts: [Int] = []
        var scoreStarts: [Int] = []
        // One record's encoding at a time, in one buffer; the shapes of lines found to be theirs.
        var encoded: [UInt8] = []
        var shapes = LineShapes()
        // The case of the line before (its bytes, empty when it had escapes) and its number.
        var lastCase: [UInt8] = []
        var lastCaseNumber: Int32 = -1
        // Room for a record a line, taken once: an array grown by doubling holds up to twice that.
        entries.reserveCapacity(
            bytes.withUnsafeBufferPointer { buffer in
                var (count, next) = (0, 0)
                while next < buffer.count {
                    next = lineBreak(in: buffer, from: next) + 1
                    count += 1
                }
                return count
            })
        let start = piece.start
        (problems, lines) = JournalLines.walk(bytes, file: piece.file.path) {
            line, offset throws(RecordScanner.Problem) in
            // Checked once as the full parser checks it; a record is made only where more than
            // the line's time, id, case and kind is needed.
            var scanner = Scanner(bytes: line)
            scanner.readsAnswers = noting || encodings
            let scanned = try scanner.scannedRecord()
            let kind = scanned.kind
            let id = scanned.id!
            // A journal holds a case's records together: the case before, as bytes, is looked
            // up no more.
            let caseSpan = scanned.caseID!
            let caseNumber: Int32
            if !caseSpan.escaped, lastCaseNumber >= 0,
                lastCase.withUnsafeBufferPointer({ $0.equals(scanner.slice(caseSpan)) })
            {
                caseNumber = lastCaseNumber
            } else {
                caseNumber = caseIDs.number(scanner.text(caseSpan))
                lastCase = caseSpan.escaped ? [] : Array(scanner.slice(caseSpan))
                lastCaseNumber = caseNumber
            }
            var entry = StoreScan.Entry(
                time: scanned.time!.timeIntervalSinceReferenceDate, offset: start + offset,
                length: line.count,
                caseNumber: caseNumber, kind: kind)
            if line.count >= StoreScan.Entry.longLength { longLines.append((start + offset, line.count)) }
            let bits = !id.escaped ? HexID(scanner.slice(id)) : HexID(scanner.text(id))
            if let bits {
                (entry.high, entry.low) = (bits.high, bits.low)
            } else {
                entry.low = UInt64(idTexts.count)
                entry.flags.insert(.textID)
                idTexts.append(scanner.text(id))
            }
            if noting, !encodings, kind == .administration,
                let known = latest.keys(
                    of: scanned.texts[AdministrationField.instrument.recordTextSlot]!, in: scanner),
                keys[Int(known)].fits(
                    scanned, in: scanner, answerStarts: &answerStarts, scoreStarts: &scoreStarts)
            {
                // The keys last seen of its instrument, as the record would have them.
                entry.keys = known
                entries.append(entry)
                return
            }
            // A line of a shape known to be an encoding needs no record to tell (nearly every line).
            let encodingUnknown =
                encodings
                && !shapes.isEncoding(line, time: scanned.time!, hint: Self.shapeHint(scanned, scanner))
            if encodings && !encodingUnknown { entry.flags.insert(.encoded) }
            let holds = kind == .correction || kind == .withdrawal || kind == .erasure
            guard encodingUnknown || holds || (noting && kind == .administration) else {
                entries.append(entry)
                return
            }
            var record = try scanner.record(scanned)
            if encodingUnknown {
                encoded.removeAll(keepingCapacity: true)
                record.appendEncodedLine(to: &encoded)
                if encoded.count == line.count
                    && encoded.withUnsafeBufferPointer({
                        memcmp($0.baseAddress!, line.baseAddress!, line.count) == 0
                    })
                {
                    entry.flags.insert(.encoded)
                    shapes.learn()
                }
            }
            switch record.body {
            case .administration(let content) where noting, .correction(_, let content) where noting:
                if let known = latest.keys(of: content.instrument), keys[Int(known)].fits(content) {
                    entry.keys = known
                } else {
                    entry.keys = Int32(keys.count)
                    keys.append(ContentKeys(content))
                    latest.set(entry.keys, of: content.instrument)
                }
            default: break
            }
            switch kind {
            case .correction, .withdrawal, .erasure:
                // Held without answers: the rules need only their targets, cases, times and texts.
                if noting || encodings, case .correction(let target, var replacement) = record.body {
                    replacement.answers = [:]
                    record.body = .correction(target: target, replacement: replacement)
                }
                held.append((entries.count, record))
            case .administration, .decision, .goal: break
            }
            entries.append(entry)
        }
        self.entries = entries
        self.held = held
        self.keys = keys
        self.caseIDs = caseIDs.values
        self.idTexts = idTexts
        self.longLines = longLines
    }
}

extension ScannedPiece {
    /// What tells most lines of different shapes apart (`LineShapes`): the kind, the instrument
    /// and how many answers and scores there are.
    static func shapeHint(_ scanned: ScannedRecord, _ scanner: Scanner) -> Int {
        var hint =
            UInt64(scanned.kind.rawValue) | UInt64(scanned.answers?.count ?? 0) << 4
            | UInt64(scanned.scores?.count ?? 0) << 12
        if let instrument = scanned.texts[AdministrationField.instrument.recordTextSlot] {
            for byte in scanner.slice(instrument) { hint = (hint ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return Int(truncatingIfNeeded: hint)
    }
}

extension FirstCopies.Key: Comparable {
    /// Ids ordered as their texts are (32 lowercase hexadecimal digits compare as their bits do).
    static func < (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.bits(let left), .bits(let right)): return (left.high, left.low) < (right.high, right.low)
        case (.text(let left), .text(let right)): return left < right
        case (.bits(let left), .text(let right)): return left.text < right
        case (.text(let left), .bits(let right)): return left < right.text
        }
    }
}

/// A journal's scanned entries as the one merge (`Store.mergeOrder`) reads them: their times and
/// ids as they stand (text ids by their numbers in the scan's `idTexts`).
private struct ScannedRun: MergeableRun, MergeKeys {
    let entries: [StoreScan.Entry]
    let caseIDs: [String]
    let idTexts: [String]

    var count: Int { entries.count }
    func key(_ place: Int) -> MergeKey { entries[place].mergeKey(place: place) }
    func time(_ place: Int) -> Double { entries[place].time }
    func id(_ place: Int) -> FirstCopies.Key { key(place).id(idTexts) }
    func caseID(_ place: Int) -> String { caseIDs[Int(entries[place].caseNumber)] }
    func isErasure(_ place: Int) -> Bool { entries[place].kind == .erasure }
}

/// The number of the keys last seen of each instrument (a scan's), found by the bytes of a line's
/// instrument without making its text: a journal names a few instruments, a million times.
private struct LatestKeys {
    private var numbers: [String: Int32] = [:]
    /// The instruments of `numbers` as UTF-8, beside their numbers, while there are a few.
    private var names: [(name: [UInt8], keys: Int32)] = []
    private static let fewNames = 16

    func keys(of instrument: String) -> Int32? { numbers[instrument] }

    /// The number of the keys last seen of the instrument the string `span` of `scanner`'s line
    /// names.
    func keys(of span: TextSpan, in scanner: Scanner) -> Int32? {
        guard !span.escaped, numbers.count <= Self.fewNames else { return numbers[scanner.text(span)] }
        let name = scanner.slice(span)
        for (known, keys) in names where known.withUnsafeBufferPointer({ $0.equals(name) }) { return keys }
        return nil
    }

    mutating func set(_ keys: Int32, of instrument: String) {
        numbers[instrument] = keys
        guard numbers.count <= Self.fewNames else { return }
        let name = Array(instrument.utf8)
        if let index = names.firstIndex(where: { $0.name == name }) {
            names[index].keys = keys
        } else {
            names.append((name, keys))
        }
    }
}

/// Values numbered in the order first seen: a value's number is its place in `values`.
struct Numbering<Value: Hashable> {
    private(set) var values: [Value] = []
    private var numbers: [Value: Int32] = [:]

    /// The number of `value`, given it now if it has none.
    mutating func number(_ value: Value) -> Int32 {
        if let number = numbers[value] { return number }
        let number = Int32(values.count)
        values.append(value)
        numbers[value] = number
        return number
    }
}
