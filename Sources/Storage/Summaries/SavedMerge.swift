import Support

/// What a whole-store read works out from every journal's records together, saved for the store
/// as it is (`Store.saveDerived`, under the fingerprint of its journals): the order in which the
/// merge takes the other records (`Store.mergeOrder`, with `FirstCopies` and `Erasures`), and
/// the places of the administrations that are not the copy of their id that counts
/// (`FirstCopies.leftOut`).
///
/// A read of a store that has not changed since takes both as saved rather than working them
/// out again: the rules are applied once per state of the store. It is saved and taken only by
/// a read that takes every journal from its cache alone (nothing parsed, no cache written),
/// whose records' places in each journal are the cache's; a read that parses anything works
/// them out. The journals' counts of records are saved beside them, and every place is checked
/// against them, so what is taken always names records there are.
struct SavedMerge: Sendable {
    /// The other records' places in the merged order (`run` the journal's number).
    var order: [(run: Int32, place: Int32)]
    /// For each journal, the places of its administrations left out.
    var repeated: [Set<Int>]

    /// The name it is saved under (`Store.derived`): a new cache format, which may number a
    /// journal's records otherwise, or a change to the rules it applies (the merge's order,
    /// `FirstCopies`, `Erasures`), which must raise `rules`, saves it anew.
    static let name = "merge-\(SummaryCache.formatVersion)-\(rules)"

    /// The version of the rules a saved merge was worked out by.
    static let rules = 1

    /// The bytes saved: the number of journals, each one's numbers of other records and of
    /// administrations, the order, then each journal's places left out.
    func encoded(others: [Int], administrations: [Int]) -> [UInt8] {
        var out = CacheWriter()
        out.reserve(8 * (3 + 2 * others.count + order.count) + 8 * repeated.reduce(0) { $0 + $1.count })
        out.u64(UInt64(others.count))
        for (other, administration) in zip(others, administrations) {
            out.u64(UInt64(other))
            out.u64(UInt64(administration))
        }
        out.u64(UInt64(order.count))
        for (run, place) in order {
            out.u32(UInt32(run))
            out.u32(UInt32(place))
        }
        for places in repeated {
            out.u64(UInt64(places.count))
            for place in places.sorted() { out.u64(UInt64(place)) }
        }
        return out.buffer
    }

    /// What `bytes` saved, or nil unless it was saved for journals of exactly `others` other
    /// records and `administrations` administrations and every place in it is one of theirs.
    init?(_ bytes: [UInt8], others: [Int], administrations: [Int]) {
        guard
            let decoded = bytes.withUnsafeBytes({ raw -> SavedMerge? in
                var reader = CacheReader(raw)
                guard reader.int() == others.count else { return nil }
                for (other, administration) in zip(others, administrations) {
                    guard reader.int() == other, reader.int() == administration else { return nil }
                }
                guard let count = reader.int(), count <= others.reduce(0, +), count * 8 <= reader.remaining
                else { return nil }
                var order: [(run: Int32, place: Int32)] = []
                order.reserveCapacity(count)
                for _ in 0..<count {
                    guard let run = reader.u32(), let place = reader.u32(), Int(run) < others.count,
                        Int(place) < others[Int(run)]
                    else { return nil }
                    order.append((Int32(run), Int32(place)))
                }
                var repeated: [Set<Int>] = []
                for administration in administrations {
                    guard let count = reader.int(), count <= administration else { return nil }
                    var places = Set<Int>(minimumCapacity: count)
                    for _ in 0..<count {
                        guard let place = reader.int(), place < administration else { return nil }
                        places.insert(place)
                    }
                    repeated.append(places)
                }
                guard reader.remaining == 0 else { return nil }
                return SavedMerge(order: order, repeated: repeated)
            })
        else { return nil }
        self = decoded
    }

    init(order: [(run: Int32, place: Int32)], repeated: [Set<Int>]) {
        self.order = order
        self.repeated = repeated
    }
}
