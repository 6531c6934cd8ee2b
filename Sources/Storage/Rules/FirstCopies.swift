import Support

/// The rule for a record id met more than once in a read, and the one place that says which copy
/// counts.
///
/// A synced copy of a journal holds the same records as the journal it copies, and a record may
/// be appended twice (an import run again): every copy of an id but one is left out. The copy that
/// counts is the one written first, by `Rank`: the earliest time, then the journal first in name
/// order, then the first in its journal.
///
/// For true copies (the same record, byte for byte) which one counts changes nothing. It matters
/// for records that share an id but differ (a copy with another time, an id reused by hand or by
/// another tool), and then every path of a read must choose the same one: the merge of full
/// records and of the summary read's other records (`Store.mergeOrder`, which orders by time then
/// id with `Rank` settling ties, and keeps the first of an id met, `KeySet`), the whole-store summary
/// read (hexadecimal ids by `leftOut(sortedRuns:journals:copy:)`, text ids with `note` and `counts`) and the one-case read
/// (`note` and `counts`), and `check`'s count (`Store.countJournals`, with `Rank`). Time first, not journal name, so that what is read does not hang on how
/// the journals are named, and a copy stamped after an erasure cannot outlive the original it
/// hides. The rule is applied before an erasure hides anything (erased or not, a copy counts once).
///
/// The few (one case's entries, text ids) are settled with a dictionary: `note` every copy, then
/// ask `counts` of each.
///
/// The summary read applies the rule among administrations and among the other records apart;
/// an administration and a record of another kind that share an id (never made by Pejling, whose
/// ids are 128 random bits) are both read there, where the full merge keeps one.
struct FirstCopies {
    /// Where a copy stands in the order that decides which copy of an id counts; the least counts.
    struct Rank: Comparable {
        /// When it was written, in seconds since 1970.
        var time: Double
        /// The journal's number in the read (journals in name order).
        var journal: Int
        /// Its place in the journal (any numbering in the journal's own order).
        var place: Int

        static func < (a: Rank, b: Rank) -> Bool {
            (a.time, a.journal, a.place) < (b.time, b.journal, b.place)
        }
    }

    /// An id as an entry holds it: a text, or 128 bits.
    enum Key: Hashable, Sendable {
        case text(String)
        case bits(HexID)

        /// The key of an id as a record holds it: 32 lowercase hexadecimal digits as their bits,
        /// any other text as it is.
        init(_ id: String) {
            self = HexID(id).map(Key.bits) ?? .text(id)
        }

        // Written out, so that comparing two ids of bits is two comparisons of numbers.
        static func == (a: Key, b: Key) -> Bool {
            switch (a, b) {
            case (.bits(let left), .bits(let right)): return left.high == right.high && left.low == right.low
            case (.text(let left), .text(let right)): return left == right
            default: return false
            }
        }

        /// The id as written.
        var text: String {
            switch self {
            case .text(let text): return text
            case .bits(let bits): return bits.text
            }
        }

        /// Whether the text of id `a` goes before that of `b`.
        static func precedes(_ a: Key, _ b: Key) -> Bool {
            switch (a, b) {
            case (.bits(let left), .bits(let right)):
                // 32 lowercase hexadecimal digits order as their numbers.
                return (left.high, left.low) < (right.high, right.low)
            default:
                return a.text < b.text
            }
        }
    }

    /// A set of ids that finds ids of bits by their own bits (open addressing) rather than by
    /// hashing each one with `Hasher`: half a million of them are looked up in a merge.
    struct KeySet {
        /// The table: place `p` holds an id's bits at `2p` and `2p + 1` (one cache line), or
        /// nothing when both are 0 (the id of all zeros is kept apart, in `zero`).
        private var halves: [UInt64]
        private var zero = false
        private var count = 0
        private var texts = Set<String>()

        init(capacity: Int) {
            // Filled to three quarters at most: a million ids take 32 MB, not 64.
            var size = 16
            while size * 3 < capacity * 4 { size *= 2 }
            halves = Array(repeating: 0, count: size * 2)
        }

        /// How many places the table has.
        private var size: Int { halves.count / 2 }

        /// Adds `key`; whether it was not there yet.
        mutating func insert(_ key: Key) -> Bool {
            guard case .bits(let bits) = key else { return texts.insert(key.text).inserted }
            guard bits.high != 0 || bits.low != 0 else {
                defer { zero = true }
                return !zero
            }
            if (count + 1) * 4 > size * 3 { grow() }
            var place = place(bits)
            while halves[2 * place] != 0 || halves[2 * place + 1] != 0 {
                if halves[2 * place] == bits.high && halves[2 * place + 1] == bits.low { return false }
                place = (place + 1) & (size - 1)
            }
            (halves[2 * place], halves[2 * place + 1]) = (bits.high, bits.low)
            count += 1
            return true
        }

        /// Whether `key` is in the set.
        func contains(_ key: Key) -> Bool {
            guard case .bits(let bits) = key else { return texts.contains(key.text) }
            guard bits.high != 0 || bits.low != 0 else { return zero }
            var place = place(bits)
            while halves[2 * place] != 0 || halves[2 * place + 1] != 0 {
                if halves[2 * place] == bits.high && halves[2 * place + 1] == bits.low { return true }
                place = (place + 1) & (size - 1)
            }
            return false
        }

        /// Where to look first for `bits`: mixed, so that ids that are not random spread too.
        private func place(_ bits: HexID) -> Int {
            let mixed = (bits.high ^ (bits.low &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
            return Int(truncatingIfNeeded: mixed >> 32) & (size - 1)
        }

        private mutating func grow() {
            var larger = KeySet(capacity: size)
            (larger.texts, larger.zero) = (texts, zero)
            for place in 0..<size where halves[2 * place] != 0 || halves[2 * place + 1] != 0 {
                _ = larger.insert(.bits(HexID(high: halves[2 * place], low: halves[2 * place + 1])))
            }
            self = larger
        }
    }

    private var first: [Key: Rank] = [:]

    /// Notes a copy of the id of `entry` (its strings numbered in `strings`) at `rank`.
    mutating func note(_ entry: SummaryEntry, strings: [String], at rank: Rank) {
        let key = Self.key(entry, strings: strings)
        if let known = first[key], known < rank { return }
        first[key] = rank
    }

    /// Whether the copy of the id of `entry` at `rank` is the one that counts, of those noted.
    func counts(_ entry: SummaryEntry, strings: [String], at rank: Rank) -> Bool {
        first[Self.key(entry, strings: strings)] == rank
    }

    /// The id of `entry` (its strings numbered in `strings`) as a key.
    static func key(_ entry: SummaryEntry, strings: [String]) -> Key {
        entry.has(.textID)
            ? .text(strings[Int(entry.idHigh)]) : .bits(HexID(high: entry.idHigh, low: entry.idLow))
    }
}
