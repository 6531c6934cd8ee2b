/// The order open flags are listed in, by `flags` and by the team review alike: the one
/// definition of flag order.
///
/// Longest open first (by the day a flag was opened, the one waiting longest for a conversation),
/// then by case (in order of case id), then by flag id; flags alike in all three keep their order.
package enum FlagOrder {
    /// Whether the flag `a` goes before `b`, or nil when the order leaves them tied.
    ///
    /// A case may stand for its id by anything that orders as the ids do (its number in a
    /// `CaseIndex`), and a flag id by anything that orders as the ids do (`TeamReport.idNumber`).
    @inline(__always)
    package static func before<Case: Comparable, ID: Comparable>(
        _ a: (since: Int, case: Case, id: ID), _ b: (since: Int, case: Case, id: ID)
    ) -> Bool? {
        if a.since != b.since { return a.since < b.since }
        if a.case != b.case { return a.case < b.case }
        if a.id != b.id { return a.id < b.id }
        return nil
    }
}
