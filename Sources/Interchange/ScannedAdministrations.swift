import Foundation
import Storage
import Support

/// The administrations of a store scan as they stand, in the store's order: what
/// `StoredAdministration.current(_:caseID:goalWording:)` returns for an export streamed from a
/// `StoreScan`.
///
/// They are what `StoredAdministration.current(_:goalWording:)` makes of the records `read()`
/// gives (one case's, when asked), made a chunk at a time: each chunk's records are read from
/// the journals, made and rendered on every core, and written in order, so memory holds a few
/// chunks, never the store.
package struct ScannedAdministrations: Sendable {
    private let scan: StoreScan
    private let caseID: String?
    /// The positions of the withdrawn administrations.
    private let withdrawn: Set<Int32>
    /// For each corrected administration (by its position in the scan), the position of the
    /// correction that stands for it.
    private let corrections: [Int32: Int32]
    /// The kind of each record of the scan, by position: read once, on every core, for the
    /// passes below, each of which would otherwise read every record's entry out of order.
    private let kinds: [RecordKind]
    /// The wording of a goal of a case when it was rated, as the read model says: what an
    /// administration's `goalTexts` hold (`StoredAdministration.goalTexts(of:caseID:rated:goalWording:)`).
    package let goalWording: StoredAdministration.SharedGoalWording

    init(
        _ scan: StoreScan, caseID: String?, goalWording: @escaping StoredAdministration.SharedGoalWording
    ) {
        let stretch = 1 << 16
        let kinds = parallelMap((scan.count + stretch - 1) / stretch) { number in
            (number * stretch..<min(scan.count, (number + 1) * stretch)).map(scan.kind)
        }.flatMap { $0 }
        var amending: [Record] = []
        var amendingPositions: [Int32] = []
        for position in 0..<scan.count where caseID == nil || scan.caseID(position) == caseID {
            switch kinds[position] {
            case .correction, .withdrawal:
                amending.append(scan.held(position)!)
                amendingPositions.append(Int32(position))
            default: break
            }
        }
        var withdrawn = Set<Int32>()
        var corrections: [Int32: Int32] = [:]
        // The administrations are listed only when something may amend them (rarely): the
        // others are visited in place, a stretch of the scan at a time.
        if !amending.isEmpty {
            let administrations = (0..<scan.count).compactMap { position in
                kinds[position] == .administration && (caseID == nil || scan.caseID(position) == caseID)
                    ? Int32(position) : nil
            }
            let amendments = scan.amendments(amending, administrations: administrations)
            withdrawn = Set(amendments.withdrawnPlaces.map { administrations[$0] })
            for (number, correction) in amendments.corrections {
                corrections[administrations[number]] = amendingPositions[correction]
            }
        }
        self.scan = scan
        self.caseID = caseID
        self.withdrawn = withdrawn
        self.corrections = corrections
        self.kinds = kinds
        self.goalWording = goalWording
    }

    /// Hands `body` each standing administration's position among `positions` of the scan, in
    /// order, with that of the correction that stands for it (or -1).
    private func visit(_ positions: Range<Int>, _ body: (_ position: Int, _ correction: Int) -> Void) {
        for position in positions where kinds[position] == .administration {
            if let caseID, scan.caseID(position) != caseID { continue }
            if !withdrawn.isEmpty && withdrawn.contains(Int32(position)) { continue }
            body(position, corrections.isEmpty ? -1 : corrections[Int32(position)].map(Int.init) ?? -1)
        }
    }

    /// The distinct keys of the administrations' answers and scores as they stand (corrected
    /// ones by their corrections'); the scan must have noted them.
    package var contentKeys: [ContentKeys] {
        // Stretches of the scan on every core, each record's entry read out of order.
        let stretch = 1 << 16
        let found = parallelMap((scan.count + stretch - 1) / stretch) { [self] number in
            var numbers = Set<Int>()
            visit(number * stretch..<min(scan.count, (number + 1) * stretch)) { position, correction in
                if let number = scan.keys(correction >= 0 ? correction : position) { numbers.insert(number) }
            }
            return numbers
        }
        return found.reduce(into: Set<Int>()) { $0.formUnion($1) }.sorted().map { scan.contentKeys[$0] }
    }
}

extension ScannedAdministrations {
    /// The standing administrations of a stretch of the scan, read from their lines (see
    /// `writeRows`).
    package struct Rows {
        fileprivate let scan: StoreScan
        fileprivate let bytes: [UInt8]
        fileprivate let ends: [Int]
        fileprivate let positions: [Int]
        /// When each record at `positions` was written, as the scan read it.
        fileprivate let times: [Date]
        /// The number in the scan's `contentKeys` of the keys of each record at `positions`, or -1.
        fileprivate let keys: [Int32]
        /// Each administration's line and its correction's (or -1), by their numbers in `positions`.
        fileprivate let lines: [(original: Int, correction: Int)]

        /// Hands over each standing administration in order: to `lines`, its line and the line of
        /// the content that stands (the same, or its correction's), valid while `lines` runs, the
        /// number in the scan's `contentKeys` of the answers' and scores' keys they name, and
        /// where the values of the content's answers and scores start in its line
        /// (`AdministrationLine.value(at:)`), in the order of the keys, when the content that
        /// stands names the keys the scan noted in their order (nearly always); otherwise to
        /// `made`, the administration made from its records, without its goals' wordings
        /// (`goalWording` gives them). The lines are lent, not copied, as a chunk has thousands.
        /// - Throws: `.io` when a journal no longer holds the record the scan found.
        package func visit(
            lines body: (
                _ original: borrowing AdministrationLine, _ content: borrowing AdministrationLine,
                _ keys: Int,
                _ answers: [Int], _ scores: [Int]
            ) -> Void,
            made: (StoredAdministration) -> Void
        ) throws(StorageError) {
            // Where the values of the content's answers and scores start, for each row in turn.
            var answers: [Int] = []
            var scores: [Int] = []
            let contentKeys = scan.contentKeys
            // Lines of a shape met before in the chunk are read without a walk.
            var reader = AdministrationLine.Reader()
            try bytes.withUnsafeBufferPointer { buffer throws(StorageError) in
                func line(_ number: Int) -> UnsafeBufferPointer<UInt8> {
                    UnsafeBufferPointer(rebasing: buffer[(number == 0 ? 0 : ends[number - 1])..<ends[number]])
                }
                for (original, correction) in lines {
                    let standing = correction >= 0 ? correction : original
                    do throws(RecordScanner.Problem) {
                        // Read through the scan's open files, so the lines the scan checked.
                        // The content's line read last, so that it is read with its keys.
                        let keys = Int(self.keys[standing])
                        let first =
                            correction >= 0 || keys < 0
                            ? try reader.read(
                                line(original), checked: times[original], hint: Int(self.keys[original]))
                            : nil
                        var content = first
                        var names = false
                        if keys >= 0 {
                            let read = try reader.read(
                                line(standing), checked: times[standing], hint: keys,
                                naming: contentKeys[keys], answerStarts: &answers, scoreStarts: &scores)
                            (content, names) = (read.line, read.names)
                        } else if correction >= 0 {
                            content = try reader.read(line(correction), checked: times[correction], hint: -1)
                        }
                        if names, let content {
                            if let first {
                                body(first, content, keys, answers, scores)
                            } else {
                                body(content, content, keys, answers, scores)
                            }
                            continue
                        }
                        let record = try RecordScanner.parse(line(original))
                        let replacement = correction >= 0 ? try RecordScanner.parse(line(correction)) : nil
                        if let administration = StoredAdministration(
                            record, correctedBy: replacement, goalWording: nil)
                        {
                            made(administration)
                        }
                    } catch {
                        throw scan.changed(at: positions[standing])
                    }
                }
            }
        }
    }

    /// The keys of every administration and correction the scan noted, by number.
    package var scannedKeys: [ContentKeys] { scan.contentKeys }

    /// Renders the administrations with `render` from their lines, a chunk of about `chunk` at a
    /// time on every core, and hands `write` each chunk's bytes in order: a renderer reads each
    /// administration's fields from its lines rather than from a record.
    /// - Throws: `.read` when a journal cannot be read again, or whatever `write` throws.
    package func writeRows(
        chunk: Int, render: @escaping @Sendable (Rows) throws(StorageError) -> [UInt8],
        to write: ([UInt8]) throws(FileOutputError) -> Void
    ) throws(StreamedExportError) {
        try StreamedExport.write(count: scan.count, chunk: chunk, to: write) {
            [self] range throws(StorageError) in
            var positions: [Int] = []
            var times: [Date] = []
            var keys: [Int32] = []
            var lines: [(original: Int, correction: Int)] = []
            var corrections: [Int] = []
            visit(range) { position, correction in
                positions.append(position)
                // Its time and keys as the scan read them, in the order of the chunk's rows.
                times.append(scan.time(position))
                keys.append(Int32(scan.keys(position) ?? -1))
                if correction >= 0 { corrections.append(correction) }
                lines.append((positions.count - 1, correction >= 0 ? corrections.count - 1 : -1))
            }
            let administrations = positions.count
            for index in lines.indices where lines[index].correction >= 0 {
                lines[index].correction += administrations
            }
            positions += corrections
            times += corrections.map(scan.time)
            keys += corrections.map { Int32(scan.keys($0) ?? -1) }
            let (bytes, ends) = try scan.lineBytes(positions)
            return try render(
                Rows(
                    scan: scan, bytes: bytes, ends: ends, positions: positions, times: times, keys: keys,
                    lines: lines))
        }
    }
}

extension StoredAdministration {
    /// `GoalWording` that may be asked on every core.
    package typealias SharedGoalWording =
        @Sendable (_ caseID: String, _ goal: String, _ rated: Date) -> String?

    /// Returns the administrations of the records `scan` found (one case's, when `caseID` is
    /// given) as they stand, in the store's order: what `current(_:goalWording:)` gives of the
    /// same records, streamed.
    package static func current(
        _ scan: StoreScan, caseID: String?, goalWording: @escaping SharedGoalWording
    ) -> ScannedAdministrations {
        ScannedAdministrations(scan, caseID: caseID, goalWording: goalWording)
    }
}

/// Why a streamed export stopped.
package enum StreamedExportError: Error {
    /// The output could not be written.
    case output(FileOutputError)
    /// A journal could not be read again.
    case read(StorageError)
}

/// Output written in chunks made on every core and written in order.
package enum StreamedExport {
    /// How many chunks are made at once: enough to keep every core busy.
    static let batch = max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)

    /// How many records a chunk of JSON Lines or CSV rows holds. A chunk's lines are read in
    /// order of journal and place, lines close together with one read; in a journal written case
    /// by case, a case's meetings lie together but a chunk in order of time holds only those of a
    /// day or two: four times 2048 rows need a quarter fewer reads (at 1M, 442k against 589k),
    /// for about 4 MB more a chunk.
    static let lineChunk = 8192

    /// Makes the bytes of `0..<count` in chunks of about `chunk` with `make` on every core, and
    /// hands `write` each chunk's bytes in order, the next chunks made while it writes.
    static func write(
        count: Int, chunk: Int, to write: ([UInt8]) throws(FileOutputError) -> Void,
        make: @escaping @Sendable (Range<Int>) throws(StorageError) -> [UInt8]
    ) throws(StreamedExportError) {
        try parallelPipeline(stretchesOf: count, size: chunk, batch: batch) {
            range -> Result<[UInt8], StorageError> in
            do throws(StorageError) {
                return .success(try make(range))
            } catch {
                return .failure(error)
            }
        } consume: { (made: consuming Result<[UInt8], StorageError>) throws(StreamedExportError) in
            switch made {
            case .success(let bytes):
                do throws(FileOutputError) {
                    try write(bytes)
                } catch {
                    throw .output(error)
                }
            case .failure(let error): throw .read(error)
            }
        }
    }

    /// Writes the records `scan` found (one case's, when `caseID` is given) as JSON Lines, in the
    /// store's order: each record's `encodedLine()` and a line break, as for the records `read()`
    /// gives (`StoreScan.encodedLines`; fastest from a scan that noted `lines`).
    package static func writeLines(
        _ scan: StoreScan, caseID: String?, to write: ([UInt8]) throws(FileOutputError) -> Void
    ) throws(StreamedExportError) {
        // The whole store's positions are counted, not listed.
        let positions = caseID.map { caseID in (0..<scan.count).filter { scan.caseID($0) == caseID } }
        try Self.write(count: positions?.count ?? scan.count, chunk: lineChunk, to: write) {
            range throws(StorageError) in
            try scan.encodedLines(positions.map { Array($0[range]) } ?? Array(range))
        }
    }
}
