import Foundation
import Storage

/// An administration as it stands after corrections and withdrawals: what an export carries.
package struct StoredAdministration: Sendable, Hashable {
    /// The id of the administration record (a correction keeps the id of the record it corrects).
    package var id: String
    package var caseID: String
    /// When the administration was first written.
    package var time: Date
    package var content: AdministrationRecord
    /// The goals' wording when rated, by goal id (goal-based instruments only).
    package var goalTexts: [String: String]

    package init(
        id: String, caseID: String, time: Date, content: AdministrationRecord,
        goalTexts: [String: String] = [:]
    ) {
        self.id = id
        self.caseID = caseID
        self.time = time
        self.content = content
        self.goalTexts = goalTexts
    }

    /// The wording of a goal of a case when it was rated at a moment, as the read model says
    /// (Progression's `CaseIndex` and its goal histories), or nil for a goal it does not know.
    package typealias GoalWording = (_ caseID: String, _ goal: String, _ rated: Date) -> String?

    /// Returns the administrations of `records` (merged and ordered by time, as `Store.read()`
    /// gives them) as they stand, in the store's order, made one at a time as they are visited.
    ///
    /// This is a view, not a rule of its own: which correction replaces an administration and which
    /// are withdrawn is what `Amendments` settles (the rules the read model follows), and each
    /// goal's wording is what `goalWording` (the read model) says.
    package static func current(_ records: [Record], goalWording: @escaping GoalWording)
        -> CurrentAdministrations
    {
        CurrentAdministrations(records, goalWording: goalWording)
    }
}

/// The administrations of a store's records as they stand, in the store's order: what
/// `StoredAdministration.current(_:goalWording:)` returns. Visiting them makes each one in turn,
/// so a streamed export never holds them all.
package struct CurrentAdministrations: Sequence {
    private let records: [Record]
    /// The places in `records` of the administration records.
    private let places: [Int]
    /// For each corrected administration (by its number among `places`), the place in `records`
    /// of the correction that stands.
    private let corrections: [Int: Int]
    private let withdrawn: Set<String>
    private let goalWording: StoredAdministration.GoalWording

    init(_ records: [Record], goalWording: @escaping StoredAdministration.GoalWording) {
        var places: [Int] = []
        for (place, record) in records.enumerated() {
            if case .administration = record.body { places.append(place) }
        }
        // Administration records are passed over by `Amendments`, so it may look through them all.
        let amendments = Amendments(
            records, administrations: places.count, id: { records[places[$0]].id },
            caseID: { records[places[$0]].caseID })
        self.records = records
        self.places = places
        corrections = amendments.corrections
        withdrawn = amendments.withdrawn
        self.goalWording = goalWording
    }

    package func makeIterator() -> Iterator { Iterator(of: self) }

    /// Makes the administrations one at a time.
    package struct Iterator: IteratorProtocol {
        private let administrations: CurrentAdministrations
        private var position = 0

        fileprivate init(of administrations: CurrentAdministrations) {
            self.administrations = administrations
        }

        package mutating func next() -> StoredAdministration? {
            let all = administrations
            while position < all.places.count {
                let number = position
                position += 1
                let record = all.records[all.places[number]]
                if !all.withdrawn.isEmpty && all.withdrawn.contains(record.id) { continue }
                let correction = all.corrections[number].map { all.records[$0] }
                guard
                    let standing = StoredAdministration(
                        record, correctedBy: correction, goalWording: all.goalWording)
                else { continue }
                return standing
            }
            return nil
        }
    }
}

extension StoredAdministration {
    /// The administration `record` as it stands: with the content of `correction` (the one that
    /// stands, as `Amendments` settles it) when it was corrected, and each goal's wording as
    /// `goalWording` says (none without it); nil when the record is no administration.
    init?(_ record: Record, correctedBy correction: Record?, goalWording: GoalWording?) {
        guard case .administration(var content) = record.body else { return nil }
        if let correction, case .correction(_, let replacement) = correction.body {
            content = replacement
        }
        let goalTexts =
            goalWording.map {
                Self.goalTexts(
                    of: content.answers.keys, caseID: record.caseID, rated: record.time, goalWording: $0)
            } ?? [:]
        self.init(
            id: record.id, caseID: record.caseID, time: record.time, content: content, goalTexts: goalTexts)
    }

    /// The wordings of the goals `goals` of a case when rated at `rated`, by goal id, as
    /// `goalWording` says (a goal it does not know has none): an administration's `goalTexts`.
    static func goalTexts(
        of goals: some Sequence<String>, caseID: String, rated: Date, goalWording: GoalWording
    ) -> [String: String] {
        var texts: [String: String] = [:]
        for goal in goals {
            if let text = goalWording(caseID, goal, rated) { texts[goal] = text }
        }
        return texts
    }
}
