import Support

extension FirstCopies {
    // The whole store's hexadecimal ids, found without hashing a million of them.
    //
    // Each journal gives runs of its ids' first 64 bits in order: the cache keeps one, the lines
    // parsed after it are sorted on the spot. A heap merges the runs; only ids whose first 64 bits
    // meet again are compared in full, and of those that are the same, all but the least `Rank`
    // are left out. Ids are random, so the merge is cut by their first four bits into slices of
    // about the same size, merged on every core.

    /// One sorted run: first halves of ids and the entries' places in their journal.
    struct Run {
        var journal: Int
        var highs: [UInt64]
        var positions: [Int]
    }

    /// A copy as the merge compares it: its whole id and when it was written.
    struct Copy {
        var high: UInt64
        var low: UInt64
        var time: Double
    }

    /// Returns, for each journal, the places of its entries that are not the copy of their id
    /// that counts.
    /// - Parameters:
    ///   - runs: the sorted runs of every journal.
    ///   - journals: how many journals there are.
    ///   - copy: the id and time of a journal's entry at a place.
    static func leftOut(
        sortedRuns runs: [Run], journals: Int, copy: @Sendable (_ journal: Int, _ position: Int) -> Copy
    ) -> [Set<Int>] {
        var repeated = Array(repeating: Set<Int>(), count: journals)
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
            repeats(
                runs: runs, ranges: runs.indices.map { starts[$0][slice]..<starts[$0][slice + 1] }, copy: copy
            )
        }
        for (journal, position) in found.joined() { repeated[journal].insert(position) }
        return repeated
    }

    /// The places to leave out among the runs' entries in `ranges` (one range per run).
    private static func repeats(
        runs: [Run], ranges: [Range<Int>], copy: (_ journal: Int, _ position: Int) -> Copy
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
            // Within a group whose first halves meet, the copies of each whole id: all but the
            // least rank are left out.
            var first: [HexID: Rank] = [:]
            let copies = group.map { member in
                let copy = copy(member.journal, member.position)
                let rank = Rank(time: copy.time, journal: member.journal, place: member.position)
                return (member: member, id: HexID(high: copy.high, low: copy.low), rank: rank)
            }
            for copy in copies where first[copy.id].map({ copy.rank < $0 }) ?? true {
                first[copy.id] = copy.rank
            }
            for copy in copies where first[copy.id] != copy.rank { found.append(copy.member) }
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
