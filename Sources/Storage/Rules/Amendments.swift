/// The corrections and withdrawals of a store, settled against its administrations: the one
/// place that says which administration a correction replaces and which are withdrawn.
///
/// The rules:
/// - A correction replaces the content of its target, an administration of the same case (a
///   correction naming another case's administration, or one not in the store, changes nothing).
///   The target keeps its id and time, so flags and decisions that refer to it stay attached.
///   Of several corrections of one administration, the latest (in the store's order) stands.
/// - A withdrawal removes its target, whichever case it names.
///
/// Both ways of reading a store follow them: reports over summaries (Progression's `CaseIndex`)
/// and exports over full records (`StoredAdministration`).
package struct Amendments: Sendable {
    /// For each corrected administration (by its place), the place in `others` of the correction
    /// that stands.
    package private(set) var corrections: [Int: Int] = [:]
    /// The ids of withdrawn administrations.
    package private(set) var withdrawn = Set<String>()
    /// The places of the withdrawn administrations among the `count` settled against.
    package private(set) var withdrawnPlaces = Set<Int>()

    /// Settles `others` (the store's other records, in order) against `count` administrations.
    /// - Parameters:
    ///   - id: the id of the administration at a place (asked only when there are amendments).
    ///   - caseID: the case of the administration at a place (asked only for corrected ones).
    package init(
        _ others: [Record], administrations count: Int, id: (Int) -> String, caseID: (Int) -> String
    ) {
        self.init(
            amending: others.indices.map { ($0, others[$0]) }, administrations: count, id: id, caseID: caseID)
    }

    /// Settles the store's other records against `count` administrations (`corrections` then
    /// holds places in `others`).
    package init(
        _ others: OtherRecords, administrations count: Int, id: (Int) -> String, caseID: (Int) -> String
    ) {
        self.init(amending: others.fullRecords, administrations: count, id: id, caseID: caseID)
    }

    /// Settles `others` against `count` administrations whose ids `id` gives as `key` makes them
    /// of a text (one id for one text), so that they need not be made texts.
    init<ID: Hashable>(
        _ others: [Record], administrations count: Int, id: (Int) -> ID, key: (String) -> ID,
        caseID: (Int) -> String
    ) {
        self.init(
            amending: others.indices.map { ($0, others[$0]) }, administrations: count, id: id, key: key,
            caseID: caseID)
    }

    /// Settles `others` with ids compared as their texts.
    private init(
        amending others: [(place: Int, record: Record)], administrations count: Int, id: (Int) -> String,
        caseID: (Int) -> String
    ) {
        self.init(amending: others, administrations: count, id: id, key: { $0 }, caseID: caseID)
    }

    /// Settles `others`, the records that may amend (with their places among the other records),
    /// in order.
    private init<ID: Hashable>(
        amending others: [(place: Int, record: Record)], administrations count: Int, id: (Int) -> ID,
        key: (String) -> ID, caseID: (Int) -> String
    ) {
        var targets = Set<String>()
        for (_, record) in others {
            switch record.body {
            case .correction(let target, _): targets.insert(target)
            case .withdrawal(let target, _): withdrawn.insert(target)
            default: break
            }
        }
        // Every id is taken once, here, and only when something is corrected or withdrawn.
        let sought = Set(targets.union(withdrawn).map(key))
        guard !sought.isEmpty else { return }
        var located: [ID: Int] = [:]
        for place in 0..<count {
            let id = id(place)
            if sought.contains(id) { located[id] = place }
        }
        withdrawnPlaces = Set(withdrawn.compactMap { located[key($0)] })
        for (index, record) in others {
            guard case .correction(let target, _) = record.body, let place = located[key(target)],
                caseID(place) == record.caseID
            else { continue }
            corrections[place] = index
        }
    }

    /// Whether nothing is corrected or withdrawn.
    package var isEmpty: Bool { corrections.isEmpty && withdrawn.isEmpty }
}
