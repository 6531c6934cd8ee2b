import Support

/// Finds administrations whose id stands earlier in a read (a synced copy of a journal, a record
/// appended twice), without hashing a million ids.
///
/// Each journal gives runs of its hexadecimal ids' first 64 bits in order: the cache keeps one,
/// the lines parsed after it are sorted on the spot. A heap merges the runs; only ids whose first
/// 64 bits meet again are compared in full. Of ids that are the same, the one first in journal
/// order, then in the journal's own order, stays. Ids are random, so the merge is cut by their
/// first four bits into slices of about the same size, merged on every core.
struct RepeatedIDs {
    /// One sorted run: first halves of ids and the entries' places in their journal.
    struct Run {
        var journal: Int
        var highs: [UInt64]
        var positions: [Int]
    }

    /// For each journal, the places of its entries to leave out.
    private(set) var repeated: [Set<Int>]

    /// - Parameters:
    ///   - runs: the sorted runs of every journal.
    ///   - journals: how many journals there are.
    ///   - id: the whole id of a journal's entry at a place.
    init(runs: [Run], journals: Int, id: @Sendable (_ journal: Int, _ position: Int) -> (UInt64, UInt64)) {
        repeated = Array(repeating: [], count: journals)
        let slices = 16
        // Where each slice starts in each run: the first id whose first four bits are the slice's.
        let starts = runs.map { run in
            (0...slices).map { slice in
                slice == slices
                    ? run.highs.count
                    : run.highs.partitioningIndex { $0 >> 60 >= UInt64(slice) }
            }
        }
        let found = parallelMap(slices) { slice in
            Self.repeats(
                runs: runs, ranges: runs.indices.map { starts[$0][slice]..<starts[$0][slice + 1] }, id: id)
        }
        for (journal, position) in found.joined() { repeated[journal].insert(position) }
    }

    /// The places to leave out among the runs' entries in `ranges` (one range per run).
    private static func repeats(
        runs: [Run], ranges: [Range<Int>], id: (_ journal: Int, _ position: Int) -> (UInt64, UInt64)
    ) -> [(journal: Int, position: Int)] {
        // A binary heap of runs, the smallest current first half on top; keys kept beside it.
        // Every run in one stretch of memory, so the merge touches no reference counts.
        var highs: [UInt64] = []
        var positions: [Int] = []
        var ends: [Int] = []
        var heap: [(key: UInt64, run: Int, head: Int)] = []
        for (run, range) in zip(runs, ranges) where !range.isEmpty {
            heap.append((run.highs[range.lowerBound], ends.count, highs.count))
            highs += run.highs[range]
            positions += run.positions[range]
            ends.append(highs.count)
        }
        let journalOf = zip(runs, ranges).filter { !$0.1.isEmpty }.map(\.0.journal)
        func down(_ start: Int) {
            var parent = start
            while true {
                let left = parent * 2 + 1
                guard left < heap.count else { return }
                var child = left
                if left + 1 < heap.count, heap[left + 1].key < heap[left].key { child = left + 1 }
                guard heap[child].key < heap[parent].key else { return }
                heap.swapAt(child, parent)
                parent = child
            }
        }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { down(index) }
        var found: [(journal: Int, position: Int)] = []
        var last: (key: UInt64, journal: Int, position: Int)?
        var group: [(journal: Int, position: Int)] = []
        func settle() {
            guard group.count > 1 else { return }
            var first = Set<[UInt64]>()
            for member in group.sorted(by: { ($0.journal, $0.position) < ($1.journal, $1.position) }) {
                let (high, low) = id(member.journal, member.position)
                if !first.insert([high, low]).inserted { found.append(member) }
            }
        }
        while !heap.isEmpty {
            let top = heap[0]
            let member = (key: top.key, journal: journalOf[top.run], position: positions[top.head])
            if let previous = last, previous.key == member.key {
                if group.isEmpty { group.append((previous.journal, previous.position)) }
                group.append((member.journal, member.position))
            } else if !group.isEmpty {
                settle()
                group = []
            }
            last = member
            let next = top.head + 1
            if next < ends[top.run] {
                heap[0] = (highs[next], top.run, next)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            down(0)
        }
        settle()
        return found
    }
}

/// The ids met so far in a read: the rule for repeated ids (the first copy in journal order, then
/// in the journal's own order, stands), applied one entry at a time with sets, for what is few (one
/// case's entries, ids that are not hexadecimal). `RepeatedIDs` applies the same rule to a whole
/// store's hexadecimal ids at once.
struct FirstCopies {
    private var texts = Set<String>()
    private var bits = Set<HexID>()

    /// Whether `entry` (its strings numbered in `strings`) is the first copy of its id met; notes it.
    mutating func isFirst(_ entry: SummaryEntry, strings: [String]) -> Bool {
        entry.has(.textID)
            ? texts.insert(strings[Int(entry.idHigh)]).inserted
            : bits.insert(HexID(high: entry.idHigh, low: entry.idLow)).inserted
    }
}

extension Collection {
    /// The index of the first element for which `belongs` holds, all before it being ones for
    /// which it does not (the collection partitioned so).
    package func partitioningIndex(where belongs: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if belongs(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}
