import Foundation
import Support

// `check` reads every journal as `read()` does and counts what `read()` would give, without
// holding the store: each journal is read in pieces of a few megabytes, pieces are parsed on
// every core, and of each record only what the counts need is kept (its id, time, case and
// whether it is an erasure marker). The counts follow `merge`'s rules: the first copy of an id in
// time order wins (on equal times, the first journal, then the first line); a case's records up
// to its latest erasure marker are left out.

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
    var journal: Int
    var file: String
    var bytes: [UInt8]
    /// Whether this is the journal's last piece.
    var last: Bool
    /// Why the journal could not be read; the journal then counts nothing but this.
    var failure: SystemError?
}

/// Reads journals one after another, in pieces that end at a line break.
private struct CheckPieces {
    let paths: [String]
    var journal = 0
    var file: FileDescriptor?
    var size = 0
    var offset = 0
    var carry: [UInt8] = []
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
                    carry = []
                }
                while true {
                    let chunk =
                        offset < size
                        ? try file!.read(at: offset, count: min(pieceSize, size - offset)) : []
                    offset += chunk.count
                    // Taken, not copied: the piece grows in place.
                    var bytes = carry
                    carry = []
                    bytes += chunk
                    if chunk.isEmpty || offset >= size {
                        return finish(CheckPiece(journal: journal, file: path, bytes: bytes, last: true))
                    }
                    guard let lastBreak = bytes.lastIndex(of: 0x0A) else {
                        carry = bytes
                        continue
                    }
                    carry = Array(bytes[(lastBreak + 1)...])
                    bytes.removeSubrange((lastBreak + 1)...)
                    return CheckPiece(journal: journal, file: path, bytes: bytes, last: false)
                }
            } catch {
                return finish(
                    CheckPiece(journal: journal, file: path, bytes: [], last: true, failure: error))
            }
        }
        return nil
    }

    private mutating func finish(_ piece: CheckPiece) -> CheckPiece {
        file = nil
        carry = []
        journal += 1
        return piece
    }
}

/// What the counts need of one record.
private struct CheckedRecord: Sendable {
    var identity: FirstCopies.Key
    var time: Double
    var caseID: String
    var erasure: Bool
}

/// One piece parsed: its records, its problems (numbered from the piece's first line) and how
/// many lines it has.
private struct CheckPieceScan: Sendable {
    var journal: Int
    var file: String
    var last: Bool
    var failure: SystemError?
    var records: [CheckedRecord] = []
    var problems: [StoreProblem] = []
    var lines = 0

    init(_ piece: consuming CheckPiece) {
        journal = piece.journal
        file = piece.file
        last = piece.last
        failure = piece.failure
        var records: [CheckedRecord] = []
        (problems, lines) = JournalLines.walk(piece.bytes, file: piece.file) {
            line throws(RecordScanner.Problem) in
            let record = try RecordScanner.parse(line)
            var erasure = false
            if case .erasure = record.body { erasure = true }
            records.append(
                CheckedRecord(
                    identity: FirstCopies.Key(record.id), time: record.time.timeIntervalSince1970,
                    caseID: record.caseID, erasure: erasure))
        }
        self.records = records
    }
}

/// The counts so far: the winning copy of every id, and the journal being read (its records are
/// counted only once the whole journal has been read, as a journal that fails to read counts
/// nothing).
private struct CheckTally {
    struct Winner {
        /// Where the copy stands among the copies of its id (`FirstCopies`: the least counts).
        var rank: FirstCopies.Rank
        var caseNumber: Int32
        var erasure: Bool
    }

    var winners: [FirstCopies.Key: Winner] = [:]
    var caseNumbers: [String: Int32] = [:]
    var problems: [StoreProblem] = []
    var pending: [(identity: FirstCopies.Key, winner: Winner)] = []
    var pendingProblems: [StoreProblem] = []
    var linesBefore = 0

    mutating func add(_ scan: CheckPieceScan) {
        if let failure = scan.failure {
            problems.append(.unreadable(scan.file, failure))
        } else {
            for record in scan.records {
                let number = caseNumbers[record.caseID] ?? Int32(caseNumbers.count)
                if number == caseNumbers.count { caseNumbers[record.caseID] = number }
                let rank = FirstCopies.Rank(time: record.time, journal: scan.journal, place: pending.count)
                pending.append(
                    (record.identity, Winner(rank: rank, caseNumber: number, erasure: record.erasure)))
            }
            for var problem in scan.problems {
                problem.line += linesBefore
                pendingProblems.append(problem)
            }
            linesBefore += scan.lines
            guard scan.last else { return }
            problems += pendingProblems
            for (identity, winner) in pending {
                if let held = winners[identity], held.rank < winner.rank { continue }
                winners[identity] = winner
            }
        }
        pending = []
        pendingProblems = []
        linesBefore = 0
    }

    func count(journals: Int) -> Store.JournalCount {
        var caseIDs = [String](repeating: "", count: caseNumbers.count)
        for (caseID, number) in caseNumbers { caseIDs[Int(number)] = caseID }
        var erasures = Erasures()
        for winner in winners.values where winner.erasure {
            erasures.note(erasureOf: caseIDs[Int(winner.caseNumber)], at: winner.rank.time)
        }
        // Until when each case (by its number) is hidden, looked up once per case.
        let until = caseIDs.map { erasures.until($0) }
        var records = 0
        var cases = Set<Int32>()
        for winner in winners.values {
            if !winner.erasure, Erasures.hides(winner.rank.time, until: until[Int(winner.caseNumber)]) {
                continue
            }
            records += 1
            cases.insert(winner.caseNumber)
        }
        return Store.JournalCount(
            journals: journals, records: records, cases: cases.count, problems: problems)
    }
}
