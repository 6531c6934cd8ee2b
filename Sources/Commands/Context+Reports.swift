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
        let snapshot = try readSummaries(caseID: nil)
        let fingerprint = snapshot.fingerprint
        Phases.mark("read")
        let index = CaseIndex(snapshot)
        keepUntilExit(index)
        Phases.mark("source")
        if let engine = try savedEngine(fingerprint: fingerprint) { return (index, engine) }
        let engine = try flagEngine { (instrument: Instrument) -> ExpectedBands in
            // Each case's totals found on every core, in runs of cases; the bands are the same
            // whatever the order the cases come in.
            let id = instrument.id
            let totals = index.map { index.totals($0, instrument: id) }
            return ExpectedBands(instrument: instrument, totals: totals)
        }
        Phases.mark("bands")
        saveBands(engine.expected, fingerprint: fingerprint)
        return (index, engine)
    }

    /// A flag engine for today, with the bands `learn` gives for each instrument that uses them.
    private func flagEngine(learning learn: (Instrument) -> ExpectedBands) throws(CommandError) -> FlagEngine
    {
        let catalogue = try catalogue()
        var expected: [String: ExpectedBands] = [:]
        for instrument in catalogue.instruments where instrument.usesExpectedBands {
            expected[instrument.id] = learn(instrument)
        }
        return FlagEngine(catalogue: catalogue, expected: expected, today: today)
    }

    /// What a command about one case reads: the case, and a flag engine with the expected bands
    /// learned from the whole store.
    ///
    /// The bands are read from `cache/` when they were learned from the journals exactly as they
    /// are now (nothing written since); otherwise they are learned from the whole store, as
    /// `reportIndex` does, and saved. Either way the bands are the same numbers.
    /// - Returns: an index holding the case (none when the store holds nothing about it).
    func caseView(_ caseID: String) throws(CommandError) -> (index: CaseIndex, engine: FlagEngine) {
        let snapshot = try readSummaries(caseID: caseID)
        if let engine = try savedEngine(fingerprint: snapshot.fingerprint) {
            return (CaseIndex(snapshot), engine)
        }
        // Learned anew from the whole store, a case at a time; the case itself as that read has it.
        return try reportIndex()
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

    /// A flag engine with the bands saved for the journals as `fingerprint` found them, or nil
    /// when none were saved for them (or for another catalogue).
    private func savedEngine(fingerprint: UInt64) throws(CommandError) -> FlagEngine? {
        let catalogue = try catalogue()
        guard let bytes = store().derived(Self.bandsName, fingerprint: fingerprint),
            let saved = try? JSONDecoder().decode(SavedBands.self, from: Data(bytes)),
            saved.key == Self.bandsKey(catalogue)
        else { return nil }
        return FlagEngine(catalogue: catalogue, expected: saved.bands, today: today)
    }

    private func saveBands(_ bands: [String: ExpectedBands], fingerprint: UInt64) {
        guard let catalogue = try? catalogue(),
            let data = try? JSONEncoder().encode(SavedBands(key: Self.bandsKey(catalogue), bands: bands))
        else { return }
        store().saveDerived(Self.bandsName, fingerprint: fingerprint, Array(data))
    }

    private static let bandsName = "expected-bands"

    /// What the bands were learned for besides the journals: the instruments that use them and
    /// their score ranges (an organisation's folder can change both).
    private static func bandsKey(_ catalogue: InstrumentCatalogue) -> String {
        catalogue.instruments.filter(\.usesExpectedBands).map {
            "\($0.id):\($0.version):\($0.scoring.range.lowerBound)-\($0.scoring.range.upperBound)"
        }.sorted().joined(separator: ",")
    }
}

/// Expected bands as saved in `cache/`, with what they were learned for.
private struct SavedBands: Codable {
    var key: String
    var bands: [String: ExpectedBands]
}

extension Instrument {
    /// Whether a flag rule of the instrument compares cases with the expected band.
    var usesExpectedBands: Bool {
        flags.contains {
            if case .notOnTrack = $0.kind { return true } else { return false }
        }
    }
}
