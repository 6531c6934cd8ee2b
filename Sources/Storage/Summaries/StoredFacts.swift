import Support

/// What an import needs to know of a store: which record ids it holds, and which goals it has set.
///
/// Made from the summary path (the caches, then whatever was written after them) rather than from
/// every record read in full, so that importing a few paper forms into a store of a million
/// administrations does not read a million answers. Ids of Pejling's own form are kept as their
/// 128 bits.
package struct StoredFacts: Sendable {
    private var ids: Set<FirstCopies.Key> = []
    /// The goals set, each as `case/instrument/goal`.
    package private(set) var goalsSet: Set<String> = []

    /// No records at all: the facts of a store that does not exist yet.
    package init() {}

    /// The facts of the records `snapshot` read.
    package init(_ snapshot: SummarySnapshot) {
        let table = snapshot.table
        let others = snapshot.otherRecords
        ids.reserveCapacity(table.count + others.count)
        for index in 0..<table.count { ids.insert(table.key(index)) }
        for place in 0..<others.count {
            ids.insert(others.key(place))
            if others.kind(place) == .goal { noteGoal(others.goal(place), of: others.caseID(place)) }
        }
    }

    /// The facts of `records`, read in full.
    package init(_ records: some Sequence<Record>) {
        for record in records {
            ids.insert(FirstCopies.Key(record.id))
            if case .goal(let goal) = record.body { noteGoal(goal, of: record.caseID) }
        }
    }

    private mutating func noteGoal(_ goal: GoalRecord, of caseID: String) {
        if goal.action == .set { goalsSet.insert("\(caseID)/\(goal.instrument)/\(goal.goal)") }
    }

    /// How many distinct record ids the store holds.
    package var count: Int { ids.count }

    /// Whether the store holds a record with the id `id`.
    package func holds(_ id: String) -> Bool { ids.contains(FirstCopies.Key(id)) }
}
