import Foundation
import Support

// `check` reads every journal as `read()` does and counts what `read()` would give, without
// holding the store: each journal is read in pieces of a few megabytes, pieces are checked on
// every core (the record scanner reads and checks each line in full, but makes no record of
// it), and of each record only what the counts need is kept, in flat arrays: its id, time, case
// (by number) and whether it is an erasure marker. The counts follow `merge`'s rules: the first
// copy of an id wins (`FirstCopies`: the least `Rank`, of hexadecimal ids found by
// `FirstCopies.leftOut`); a case's records up to its latest erasure marker are left out
// (`Erasures`).

extension Store {
    /// What the journals hold, counted as `read()` would count it, and their problems.
    struct JournalCount {
        var journals: Int
        var records: Int
        var cases: Int
        var problems: [StoreProblem]
    }

    /// How many bytes of a journal are read at a time (a piece grows to hold a longer line).
    static let checkPieceSize = 4 << 20

    /// Counts the records and cases of every journal and finds their problems, reading each
    /// journal in pieces: memory holds a few pieces and a small key per record, never the lines
    /// or the records.
    /// - Throws: `StorageError.noStore` when the folder does not exist.
    /// - Parameter pieceSize: about how many bytes are read at a time.
    func countJournals(pieceSize: Int = checkPieceSize) throws(StorageError) -> JournalCount {
        guard exists else { throw .noStore(directory) }
        let names = try journalNames()
        var tally = CheckTally()
        var journal = CheckPieces(
            paths: names.map { journalsPath + "/" + $0 }, pieceSize: max(1, pieceSize))
        let batch = max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)
        while true {
            var pieces: [CheckPiece] = []
            while pieces.count < batch, let piece = journal.next() { pieces.append(piece) }
            guard !pieces.isEmpty else { break }
            let scans = parallelMap(taking: pieces) { piece in CheckPieceScan(piece) }
            for scan in scans { tally.add(scan) }
        }
        return tally.count(journals: names.count)
    }
}

/// One piece of a journal: whole lines, or, at the end of the file, whatever follows the last
/// line break (a torn line); or the journal's read failure.
private struct CheckPiece: Sendable {
    var file: String
    var bytes: [UInt8]
    /// Whether this is the journal's last piece.
    var last: Bool
    /// Why the journal could not be read; the journal then counts nothing but this.
    var failure: SystemError?
}

/// Reads journals one after another, in pieces that end at a line break: each piece is read
/// from the file where the one before it ends, in one read, never copied.
private struct CheckPieces {
    let paths: [String]
    var journal = 0
    var file: FileDescriptor?
    var size = 0
    /// Where the next piece starts: the start of a line.
    var offset = 0
    let pieceSize: Int

    init(paths: [String], pieceSize: Int) {
        self.paths = paths
        self.pieceSize = pieceSize
    }

    mutating func next() -> CheckPiece? {
        while journal < paths.count {
            let path = paths[journal]
            do throws(SystemError) {
                if file == nil {
                    let opened = try FileDescriptor.openForReading(path)
                    file = opened
                    // As long as the file is when the read begins, as `readAll()` reads it.
                    size = try opened.size()
                    offset = 0
                }
                var count = pieceSize
                while true {
                    var bytes =
                        offset < size ? try file!.read(at: offset, count: min(count, size - offset)) : []
                    if bytes.isEmpty || offset + bytes.count >= size {
                        return finish(CheckPiece(file: path, bytes: bytes, last: true))
                    }
                    guard let lastBreak = bytes.lastIndex(of: 0x0A) else {
                        // A line longer than a piece: read it again, with room for more.
                        count *= 2
                        continue
                    }
                    bytes.removeSubrange((lastBreak + 1)...)
                    offset += bytes.count
                    return CheckPiece(file: path, bytes: bytes, last: false)
                }
            } catch {
                return finish(
                    CheckPiece(file: path, bytes: [], last: true, failure: error))
            }
        }
        return nil
    }

    private mutating func finish(_ piece: CheckPiece) -> CheckPiece {
        file = nil
        journal += 1
        return piece
    }
}

/// What the counts need of records, in the order they were read: flat arrays, no key or string
/// per record but for ids that are not 32 hexadecimal digits (`texts`, by place).
private struct CheckedRecords: Sendable {
    /// Each id's 128 bits (both 0 for an id kept in `texts`).
    var highs: [UInt64] = []
    var lows: [UInt64] = []
    var times: [Double] = []
    /// Each record's case by number (the piece's numbering in a scan, the store's in the tally).
    var cases: [Int32] = []
    var erasures: [Bool] = []
    /// The ids that are not 32 lowercase hexadecimal digits, by the place of their record.
    var texts: [(place: Int, id: String)] = []

    var count: Int { times.count }

    mutating func append(_ other: CheckedRecords, cases caseNumbers: [Int32]) {
        for (place, id) in other.texts { texts.append((count + place, id)) }
        highs += other.highs
        lows += other.lows
        times += other.times
        cases += other.cases.lazy.map { caseNumbers[Int($0)] }
        erasures += other.erasures
    }
}

/// One piece checked: what the counts need of its records, its cases (numbered in the piece), its
/// problems (numbered from the piece's first line) and how many lines it has.
private struct CheckPieceScan: Sendable {
    var file: String
    var last: Bool
    var failure: SystemError?
    var records = CheckedRecords()
    var caseIDs: [String] = []
    var problems: [StoreProblem] = []
    var lines = 0

    init(_ piece: consuming CheckPiece) {
        file = piece.file
        last = piece.last
        failure = piece.failure
        var records = CheckedRecords()
        var caseIDs: [String] = []
        var caseNumbers: [String: Int32] = [:]
        // The case of the record before: most lines follow one of the same case.
        var lastCase: [UInt8] = []
        var lastNumber: Int32 = -1
        (problems, lines) = JournalLines.walk(piece.bytes, file: piece.file) {
            line throws(RecordScanner.Problem) in
            var scanner = Scanner(bytes: line)
            let scanned = try scanner.scannedRecord()
            let id = scanned.id!
            if !id.escaped, let bits = HexID(scanner.slice(id)) {
                records.highs.append(bits.high)
                records.lows.append(bits.low)
            } else {
                switch FirstCopies.Key(scanner.text(id)) {
                case .bits(let bits):
                    records.highs.append(bits.high)
                    records.lows.append(bits.low)
                case .text(let text):
                    records.texts.append((records.count, text))
                    records.highs.append(0)
                    records.lows.append(0)
                }
            }
            records.times.append(scanned.time!.timeIntervalSince1970)
            records.erasures.append(scanned.kind == .erasure)
            let number = scanner.withText(scanned.caseID!) { caseID in
                if caseID.equals(lastCase) { return lastNumber }
                let text = String(decoding: caseID, as: UTF8.self)
                let number = caseNumbers[text] ?? Int32(caseIDs.count)
                if number == caseIDs.count {
                    caseNumbers[text] = number
                    caseIDs.append(text)
                }
                (lastCase, lastNumber) = (Array(caseID), number)
                return number
            }
            records.cases.append(number)
        }
        self.records = records
        self.caseIDs = caseIDs
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes equal `other`'s.
    fileprivate func equals(_ other: [UInt8]) -> Bool {
        other.withUnsafeBufferPointer { equals($0) }
    }
}

/// The counts so far: the records of every journal read whole, and of the journal being read
/// (its records count only once the whole journal has been read, as a journal that fails to
/// read counts nothing).
private struct CheckTally {
    var journals: [CheckedRecords] = []
    var caseNumbers: [String: Int32] = [:]
    var caseIDs: [String] = []
    var problems: [StoreProblem] = []
    var pending = CheckedRecords()
    var pendingProblems: [StoreProblem] = []
    var linesBefore = 0

    mutating func add(_ scan: CheckPieceScan) {
        if let failure = scan.failure {
            problems.append(.unreadable(scan.file, failure))
        } else {
            let numbers = scan.caseIDs.map { caseID in
                if let number = caseNumbers[caseID] { return number }
                let number = Int32(caseIDs.count)
                caseNumbers[caseID] = number
                caseIDs.append(caseID)
                return number
            }
            pending.append(scan.records, cases: numbers)
            for var problem in scan.problems {
                problem.line += linesBefore
                pendingProblems.append(problem)
            }
            linesBefore += scan.lines
            guard scan.last else { return }
            problems += pendingProblems
            journals.append(pending)
        }
        pending = CheckedRecords()
        pendingProblems = []
        linesBefore = 0
    }

    /// The records (as `read()` gives them) and their cases.
    func count(journals count: Int) -> Store.JournalCount {
        let left = leftOut()
        func counts(_ journal: Int, _ place: Int) -> Bool {
            left[journal].isEmpty || !left[journal].contains(place)
        }
        var erasures = Erasures()
        for (journal, records) in journals.enumerated() {
            for place in records.erasures.indices where records.erasures[place] && counts(journal, place) {
                erasures.note(erasureOf: caseIDs[Int(records.cases[place])], at: records.times[place])
            }
        }
        // Until when each case (by its number) is hidden, looked up once per case.
        let until = caseIDs.map { erasures.until($0) }
        var records = 0
        var counted = [Bool](repeating: false, count: caseIDs.count)
        for (journal, held) in journals.enumerated() {
            for place in 0..<held.count where counts(journal, place) {
                let caseNumber = Int(held.cases[place])
                if !held.erasures[place], Erasures.hides(held.times[place], until: until[caseNumber]) {
                    continue
                }
                records += 1
                counted[caseNumber] = true
            }
        }
        return Store.JournalCount(
            journals: count, records: records, cases: counted.count { $0 }, problems: problems)
    }

    /// For each journal read whole (by its place in `journals`, which keeps the read's order),
    /// the places of its records that are not the copy of their id that counts (`FirstCopies`).
    private func leftOut() -> [Set<Int>] {
        let journals = journals
        // Hexadecimal ids: each journal's first halves sorted, merged by `FirstCopies.leftOut`.
        let runs = parallelMap(journals.count) { journal in
            let records = journals[journal]
            let texts = Set(records.texts.map(\.place))
            let places = (0..<records.count).filter { texts.isEmpty || !texts.contains($0) }
            let sorted = Self.sortedByHigh(places, highs: records.highs)
            return FirstCopies.Run(
                journal: journal, highs: sorted.map { records.highs[$0] }, positions: sorted)
        }
        var left = FirstCopies.leftOut(sortedRuns: runs, journals: journals.count) { journal, place in
            FirstCopies.Copy(
                high: journals[journal].highs[place], low: journals[journal].lows[place],
                time: journals[journal].times[place])
        }
        // Other ids, which few stores have: the least rank of each.
        var first: [String: FirstCopies.Rank] = [:]
        for (journal, records) in journals.enumerated() {
            for (place, id) in records.texts {
                let rank = FirstCopies.Rank(time: records.times[place], journal: journal, place: place)
                if let held = first[id], held < rank { continue }
                first[id] = rank
            }
        }
        for (journal, records) in journals.enumerated() {
            for (place, id) in records.texts where first[id]?.journal != journal || first[id]?.place != place
            {
                left[journal].insert(place)
            }
        }
        return left
    }

    /// `places` (in increasing order) ordered by the first halves of their ids, places of equal
    /// halves in increasing order: a stable radix sort, sixteen bits a pass, in four passes over
    /// the places rather than the comparisons of a general sort.
    private static func sortedByHigh(_ places: [Int], highs: [UInt64]) -> [Int] {
        var from = places
        var to = [Int](repeating: 0, count: places.count)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: 0, to: 64, by: 16) {
            for index in counts.indices { counts[index] = 0 }
            for place in from { counts[Int(truncatingIfNeeded: highs[place] >> UInt64(shift)) & 0xFFFF] += 1 }
            var start = 0
            for index in counts.indices { (counts[index], start) = (start, start + counts[index]) }
            for place in from {
                let digit = Int(truncatingIfNeeded: highs[place] >> UInt64(shift)) & 0xFFFF
                to[counts[digit]] = place
                counts[digit] += 1
            }
            swap(&from, &to)
        }
        return from
    }
}
