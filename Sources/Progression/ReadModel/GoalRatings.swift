/// A case's goals' ratings in the series of its instruments, each series' found the first time
/// it is asked for and kept for the case: the flag rules (goal rules) and the team's goal figures
/// read the same ratings, found once per case rather than by each.
///
/// One value per case: ratings found for one case's history mean nothing for another's.
package struct GoalRatings {
    /// The ratings found so far, by the instrument id the series was asked for by (a case has
    /// one or two instruments that rate goals, so they are looked up by looking).
    private var found: [(instrument: String, ratings: [[(index: Int, value: Double)]])] = []

    package init() {}

    /// Each of the case's goals' ratings in `series`, the series of `instrument` in `history`, in
    /// the order of `history.goals`: `series.ratings(of:)` of each goal's id, found when first
    /// asked for.
    package mutating func ratings(
        of instrument: String, series: ReadingSeries, history: CaseHistory
    ) -> [[(index: Int, value: Double)]] {
        if let place = found.firstIndex(where: { $0.instrument == instrument }) {
            return found[place].ratings
        }
        let ratings = history.goals.indices.map { series.ratings(of: history.goals[$0].id) }
        found.append((instrument, ratings))
        return ratings
    }
}
