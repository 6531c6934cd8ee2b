import Support

/// Flags in `FlagOrder`, read in place from the lists they were found in: a store of a million
/// administrations has a hundred thousand open flags, and copying each into one list would take
/// longer than finding them.
///
/// What `flags` and the team review list: every case's flags found on every core, in runs of
/// cases (`CaseRuns`), then put in order by plain numbers (cases are taken in order of their ids,
/// so a case's number orders as its id; an id's number as the id, see `FlagNumber`).
package struct FlagList: RandomAccessCollection, Sendable, Equatable {
    private struct Place: Sendable {
        var run: Int32
        var index: Int32
    }

    private let runs: [[Flag]]
    private let order: [Place]

    package init() {
        runs = []
        order = []
    }

    /// The flags of `found`, in `FlagOrder`; ties keep their order of case, then the order found.
    /// - Parameters:
    ///   - found: each run's flags (run `r` of `caseRuns`), its cases' one after another in order.
    ///   - count: how many flags the case with this number has in its run's list.
    package init(found: [[Flag]], caseRuns: CaseRuns, count: (_ number: Int) -> Int) {
        self.init(found: found, cases: caseRuns.count, list: { caseRuns.place(of: $0).run }, count: count)
    }

    /// The flags of `found`, in `FlagOrder`; ties keep their order of case, then the order found.
    /// - Parameters:
    ///   - found: lists of flags, each its cases' one after another in order.
    ///   - cases: how many cases there are.
    ///   - list: the list in `found` that holds the flags of the case with this number.
    ///   - count: how many flags the case with this number has in its list.
    package init(
        found: [[Flag]], cases: Int, list: (_ number: Int) -> Int, count: (_ number: Int) -> Int
    ) {
        var keys: [Key] = []
        keys.reserveCapacity(found.reduce(0) { $0 + $1.count })
        var taken = [Int](repeating: 0, count: found.count)
        for number in 0..<cases {
            let run = list(number)
            let flags = count(number)
            for index in taken[run]..<taken[run] + flags {
                // Read in place: a flag copied out of its list would be counted for nothing.
                let id = found[run][index].idNumber
                keys.append(
                    Key(
                        since: Int32(found[run][index].since.number), caseNumber: Int32(number), id: id ?? 0,
                        numbered: id != nil, place: Place(run: Int32(run), index: Int32(index)),
                        arrival: Int32(keys.count)))
            }
            taken[run] += flags
        }
        func id(_ key: Key) -> String { found[Int(key.place.run)][Int(key.place.index)].id }
        keys.sort { a, b in
            let before =
                a.numbered && b.numbered
                ? FlagOrder.before((Int(a.since), a.caseNumber, a.id), (Int(b.since), b.caseNumber, b.id))
                : FlagOrder.before((Int(a.since), a.caseNumber, id(a)), (Int(b.since), b.caseNumber, id(b)))
            return before ?? (a.arrival < b.arrival)
        }
        runs = found
        order = keys.map(\.place)
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { order.count }

    package subscript(position: Int) -> Flag {
        _read { yield runs[Int(order[position].run)][Int(order[position].index)] }
    }

    package static func == (lhs: FlagList, rhs: FlagList) -> Bool { lhs.elementsEqual(rhs) }

    /// What orders a flag, and where it stands among the flags found.
    private struct Key {
        var since: Int32
        var caseNumber: Int32
        /// The id's number, when `numbered` (the engine's own ids); else the ids are compared.
        var id: UInt64
        var numbered: Bool
        var place: Place
        /// Its place in order of case, for ties.
        var arrival: Int32
    }
}

extension FlagEngine {
    /// Every case's flags in `index`, only the open ones when `openOnly`, in `FlagOrder`: each
    /// case's history made while its flags are found, on every core.
    package func flags(of index: CaseIndex, openOnly: Bool) -> FlagList {
        let caseRuns = index.runs
        let found = caseRuns.gather { numbers in
            var flags: [Flag] = []
            var counts: [Int] = []
            let table = index.tableForTask()
            for number in numbers {
                let start = flags.count
                appendFlags(for: index.history(number, table: table), into: &flags, openOnly: openOnly)
                counts.append(flags.count - start)
            }
            return (flags: flags, counts: counts)
        }
        return FlagList(found: found.map(\.flags), caseRuns: caseRuns) { number in
            let (run, slot) = caseRuns.place(of: number)
            return found[run].counts[slot]
        }
    }

    /// The case's flags, only the open ones when `openOnly`, in `FlagOrder`: what `flags(for:)`
    /// gives, less the decided ones when `openOnly`.
    package func flags(of history: CaseHistory, openOnly: Bool) -> FlagList {
        var flags: [Flag] = []
        appendFlags(for: history, into: &flags, openOnly: openOnly)
        return FlagList(found: [flags], caseRuns: CaseRuns(1)) { _ in flags.count }
    }
}
