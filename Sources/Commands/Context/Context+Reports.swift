import Foundation
import InstrumentModel
import Progression
import Storage
import Support

extension Context {
    /// The whole store's case index (each case's history made when asked for), with a flag engine
    /// whose expected bands were learned from each case's totals: read from `cache/` when learned
    /// from the journals exactly as they are now, else learned and saved (for commands about one
    /// case; see `caseView`).
    func reportIndex() throws(CommandError) -> (index: CaseIndex, engine: FlagEngine) {
        let (snapshot, others) = try readForIndex()
        let fingerprint = snapshot.fingerprint
        Phases.mark("read")
        let index = CaseIndex(snapshot, others: others)
        keepUntilExit(index)
        Phases.mark("index")
        let engine = try ExpectedBandsCache(self).engine(fingerprint: fingerprint) {
            (instrument: Instrument) -> ExpectedBands in
            // Each case's totals found on every core, in runs of cases; the bands are the same
            // whatever the order the cases come in.
            let id = instrument.id
            let totals = index.map { index.totals($0, instrument: id) }
            return ExpectedBands(instrument: instrument, totals: totals)
        }
        return (index, engine)
    }

    /// What a command about one case reads: the case, and a flag engine with the expected bands
    /// learned from the whole store.
    ///
    /// The bands are read from `cache/` when they were learned from the journals exactly as they
    /// are now (nothing written since); otherwise they are learned from the whole store, as
    /// `reportIndex` does, and saved. Either way the bands are the same numbers.
    /// - Parameter bandsMayLag: whether bands learned before a few records were appended will do
    ///   (see `ExpectedBandsCache.recent`): for recording a meeting and a case's chart, never for
    ///   what decides or lists flags.
    /// - Returns: an index holding the case (none when the store holds nothing about it).
    func caseView(_ caseID: String, bandsMayLag: Bool = false) throws(CommandError) -> (
        index: CaseIndex, engine: FlagEngine
    ) {
        let snapshot = try readSummaries(caseID: caseID)
        let cache = ExpectedBandsCache(self)
        let fingerprint = snapshot.fingerprint
        if let engine = try bandsMayLag
            ? cache.recent(fingerprint: fingerprint) : cache.saved(fingerprint: fingerprint)
        {
            return (CaseIndex(snapshot), engine)
        }
        // Learned anew from the whole store, a case at a time; the case itself as that read has it.
        return try reportIndex()
    }

    /// Reads the whole store for the case index, as `readSummaries(caseID: nil)` does, with its
    /// other records made into what the index keeps of them before the administrations are taken
    /// in (`CaseIndex.Others`), so they are never held beside the table; prints any problems found
    /// to standard error.
    func readForIndex() throws(CommandError) -> (snapshot: SummarySnapshot, others: CaseIndex.Others) {
        do {
            let read = try store().readSummaries(preparingOthers: CaseIndex.Others.init)
            reportProblems(read.snapshot.problems)
            return (read.snapshot, read.prepared)
        } catch {
            throw .failure(describe(error))
        }
    }

    /// Reads the store (or one case) for reports, printing any problems found to standard error.
    func readSummaries(caseID: String?) throws(CommandError) -> SummarySnapshot {
        do {
            let snapshot = try store().readSummaries(caseID: caseID)
            reportProblems(snapshot.problems)
            return snapshot
        } catch {
            throw .failure(describe(error))
        }
    }
}
