import Foundation

extension Store {
    /// Reads the store for reports: administrations as summaries (no answers, shared strings),
    /// other records in full. Journals are cut into pieces at line breaks and read in parallel.
    /// - Parameter pieceSize: about how many bytes one parallel task reads.
    public func readSummaries(pieceSize: Int = 8 << 20) throws(StorageError) -> SummarySnapshot {
        guard exists else { throw .noStore(directory) }
        let names: [String]
        var pieces: [Piece] = []
        do {
            names = (try FileSystem.list(journalsPath) ?? []).filter { $0.hasSuffix(".jsonl") }
            for name in names {
                let path = journalsPath + "/" + name
                let file = try FileDescriptor.openForReading(path)
                let size = try file.size()
                var start = 0
                while start < size {
                    let end = try Self.lineStart(file, after: start + max(1, pieceSize), size: size)
                    pieces.append(Piece(path: path, start: start, end: end, last: end >= size))
                    start = end
                }
            }
        } catch {
            throw StorageError(error)
        }
        let scans = parallelMap(pieces.count) { index in PieceScan(pieces[index]) }
        var problems: [StoreProblem] = []
        var line = 0
        for (index, scan) in scans.enumerated() {
            if index == 0 || pieces[index - 1].path != pieces[index].path { line = 0 }
            problems += scan.problems.map { problem in
                var shifted = problem
                if shifted.line > 0 { shifted.line += line }
                return shifted
            }
            line += scan.lines
        }
        let others = Self.merge(scans.map(\.others))
        var erasedUntil: [String: Date] = [:]
        for record in others where record.body == .erasure {
            erasedUntil[record.caseID] = max(erasedUntil[record.caseID] ?? record.time, record.time)
        }
        var seen = Set<String>()
        seen.reserveCapacity(scans.reduce(0) { $0 + $1.administrations.count })
        var administrations: [AdministrationSummary] = []
        administrations.reserveCapacity(seen.capacity)
        for scan in scans {
            for summary in scan.administrations where seen.insert(summary.id).inserted {
                if let until = erasedUntil[summary.caseID], summary.time <= until { continue }
                administrations.append(summary)
            }
        }
        return SummarySnapshot(
            administrations: administrations, others: others, problems: problems, journals: names.count)
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
    var administrations: [AdministrationSummary] = []
    var others: [Record] = []
    var problems: [StoreProblem] = []
    var lines = 0

    init(_ piece: Piece) {
        let bytes: [UInt8]
        do {
            bytes = try FileDescriptor.openForReading(piece.path).read(
                at: piece.start, count: piece.end - piece.start)
        } catch {
            problems.append(StoreProblem(file: piece.path, line: 0, kind: .unreadable, detail: error.reason))
            return
        }
        var strings = StringTable()
        var administrations: [AdministrationSummary] = []
        var others: [Record] = []
        (problems, lines) = JournalLines.walk(bytes, file: piece.path) { line throws(RecordScanner.Problem) in
            if let summary = try RecordScanner.summary(line, strings: &strings) {
                administrations.append(summary)
            } else {
                others.append(try RecordScanner.parse(line, answers: false))
            }
        }
        self.administrations = administrations
        self.others = others
    }
}
