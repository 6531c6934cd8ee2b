import Support

extension FirstCopies {
    // The whole store's hexadecimal ids, found without hashing a million of them.
    //
    // Each journal gives runs of its ids' first 64 bits in order: the cache keeps one, the lines
    // parsed after it are sorted on the spot. Ids are random, so the runs are cut by their first
    // four bits into slices of about the same size, each on a core of its own. In a slice, a table
    // of bits finds the few first halves that may be met more than once; only ids whose first 64
    // bits meet again are compared in full, and of those that are the same, all but the least
    // `Rank` are left out.

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
        let count = ranges.reduce(0) { $0 + $1.count }
        guard count > 1 else { return [] }
        // One bit for every sixteen places or more, each first half at a bit mixed from it: one
        // met again finds its bit set, as a few others do by chance. Only the first halves at such
        // bits are put in order and compared, a few percent of them, instead of merging all.
        var width: UInt64 = 6
        while 1 << width < 16 * count { width += 1 }
        var seen = [UInt64](repeating: 0, count: 1 << (width - 6))
        var again = seen
        @inline(__always) func bit(_ high: UInt64) -> Int {
            Int(truncatingIfNeeded: ((high ^ (high >> 33)) &* 0xFF51_AFD7_ED55_8CCD) >> (64 - width))
        }
        for (run, range) in zip(runs, ranges) {
            for high in run.highs[range] {
                let place = bit(high)
                let mask: UInt64 = 1 << UInt64(place & 63)
                if seen[place >> 6] & mask != 0 {
                    again[place >> 6] |= mask
                } else {
                    seen[place >> 6] |= mask
                }
            }
        }
        seen = []
        var members: [(high: UInt64, journal: Int, position: Int)] = []
        for (run, range) in zip(runs, ranges) {
            for index in range {
                let place = bit(run.highs[index])
                guard again[place >> 6] & (1 << UInt64(place & 63)) != 0 else { continue }
                members.append((run.highs[index], run.journal, run.positions[index]))
            }
        }
        members.sort { $0.high < $1.high }
        var found: [(journal: Int, position: Int)] = []
        var start = 0
        while start < members.count {
            var end = start + 1
            while end < members.count, members[end].high == members[start].high { end += 1 }
            if end - start > 1 {
                // Within a group whose first halves meet, the copies of each whole id: all but the
                // least rank are left out.
                var first: [HexID: Rank] = [:]
                let copies = members[start..<end].map { member in
                    let copy = copy(member.journal, member.position)
                    let rank = Rank(time: copy.time, journal: member.journal, place: member.position)
                    return (
                        member: (member.journal, member.position), id: HexID(high: copy.high, low: copy.low),
                        rank: rank
                    )
                }
                for copy in copies where first[copy.id].map({ copy.rank < $0 }) ?? true {
                    first[copy.id] = copy.rank
                }
                for copy in copies where first[copy.id] != copy.rank { found.append(copy.member) }
            }
            start = end
        }
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
