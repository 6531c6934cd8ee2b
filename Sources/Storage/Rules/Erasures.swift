import Foundation

/// The erasures of a store: the one place that says which records an erasure hides.
///
/// An erasure hides every record of its case written up to its time, whichever journal holds
/// them: a stale copy of a journal synced back after an erasure must not bring the case back.
/// Records written after it (the case taken up again) stand; the erasure marker itself stands.
/// A case erased more than once is hidden up to its latest erasure.
package struct Erasures: Sendable {
    /// Until when each erased case is hidden (seconds since 1970).
    private var until: [String: Double] = [:]

    /// The erasures among `records`.
    package init(_ records: some Sequence<Record>) {
        for record in records {
            guard case .erasure = record.body else { continue }
            note(erasureOf: record.caseID, at: record.time.timeIntervalSince1970)
        }
    }

    /// No erasures yet; `note` adds them.
    init() {}

    /// Notes an erasure of the case written at `time` (seconds since 1970).
    mutating func note(erasureOf caseID: String, at time: Double) {
        until[caseID] = max(until[caseID] ?? time, time)
    }

    /// Whether no case is erased.
    package var isEmpty: Bool { until.isEmpty }

    /// Until when the case is hidden, or nil when it was never erased.
    package func until(_ caseID: String) -> Double? { until[caseID] }

    /// Whether a record written at `time` of a case erased until `until` is hidden.
    package static func hides(_ time: Double, until: Double?) -> Bool {
        guard let until else { return false }
        return time <= until
    }

    /// Whether the record is hidden (never the erasure marker itself).
    package func hides(_ record: Record) -> Bool {
        if case .erasure = record.body { return false }
        return hides(caseID: record.caseID, time: record.time)
    }

    /// Whether a record of the case written at `time` that is not an erasure marker is hidden.
    package func hides(caseID: String, time: Date) -> Bool {
        Self.hides(time.timeIntervalSince1970, until: until[caseID])
    }
}
