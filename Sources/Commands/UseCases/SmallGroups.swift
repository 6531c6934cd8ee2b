/// Which of a report's figures may be shown: a figure about fewer than `smallest` cases is
/// withheld, shown as "<5", so that no individual can be picked out of a small group, unless the
/// reader asked to see them (`--show-small`, for a worker's own caseload).
struct SmallGroups: Sendable, Hashable {
    /// The fewest cases a figure may be about.
    static let smallest = 5
    /// What stands in for a withheld figure.
    static let mark = "<\(smallest)"

    /// Whether figures about small groups are shown all the same.
    var shown: Bool

    /// Returns whether a figure about `cases` cases is withheld.
    func withholds(cases: Int) -> Bool {
        cases < Self.smallest && !shown
    }
}
