import Foundation
import InstrumentModel
import Progression
import Storage
import Support

/// The expected bands' cache policy: the bands saved in the store's `cache/` are used when they
/// were learned from the journals exactly as they are now (nothing written since) and for the
/// same instruments; otherwise they are learned from the whole store and saved, with the state of
/// each journal they were learned from, for the next command about one case. Either way the
/// bands are the same numbers.
///
/// Recording a meeting and the chart of one case (`recent`) may use bands that lag a little:
/// those saved before records were appended, while the journals have only grown since and by at
/// most one byte in `lagLimit` of what the bands were learned from. Bands are the 10th and 90th
/// percentiles of thousands of cases; a few appended records cannot move them meaningfully, and
/// re-learning them from the whole store after every meeting would make `ask` as slow as the store
/// is large. Every report, `flags --case` and `decide` use only bands learned from the journals as
/// they are (`saved`, `engine`), so they say what a first run on the store would say; the next of
/// them learns the bands anew.
struct ExpectedBandsCache {
    let context: Context

    /// Bands may lag by at most one appended byte in this many of the journals' bytes they were
    /// learned from (0.1 %, about one administration in a thousand).
    static let lagLimit = 1000

    init(_ context: Context) {
        self.context = context
    }

    /// A flag engine for today with the bands saved for the journals as `fingerprint` found them,
    /// else with the bands `learn` gives, saved for them.
    func engine(fingerprint: UInt64, learning learn: (Instrument) -> ExpectedBands) throws(CommandError)
        -> FlagEngine
    {
        if let engine = try saved(fingerprint: fingerprint) { return engine }
        let engine = try flagEngine(learning: learn)
        Phases.mark("bands")
        save(engine.expected, fingerprint: fingerprint)
        return engine
    }

    /// A flag engine for today, with the bands `learn` gives for each instrument that uses them.
    private func flagEngine(learning learn: (Instrument) -> ExpectedBands) throws(CommandError) -> FlagEngine
    {
        let catalogue = try context.catalogue()
        var expected: [String: ExpectedBands] = [:]
        for instrument in catalogue.instruments where instrument.usesExpectedBands {
            expected[instrument.id] = learn(instrument)
        }
        return FlagEngine(catalogue: catalogue, expected: expected, today: context.today)
    }

    /// A flag engine with the bands saved for the journals as `fingerprint` found them, or nil
    /// when none were saved for them (or for another catalogue).
    func saved(fingerprint: UInt64) throws(CommandError) -> FlagEngine? {
        guard let bytes = context.store().derived(Self.bandsName, fingerprint: fingerprint),
            let saved = Self.decoded(bytes)
        else { return nil }
        return try engine(saved)
    }

    /// A flag engine with the bands saved for the journals as `fingerprint` found them, or with
    /// bands saved before, while the journals have only grown since by at most one byte in
    /// `lagLimit`; nil otherwise. For recording a meeting and the chart of one case only.
    func recent(fingerprint: UInt64) throws(CommandError) -> FlagEngine? {
        let store = context.store()
        guard let found = store.derived(Self.bandsName), let saved = Self.decoded(found.bytes) else {
            return nil
        }
        if found.fingerprint != fingerprint {
            guard let appended = store.bytesAppended(since: saved.journals),
                appended <= saved.journals.reduce(0, { $0 + $1.size }) / Self.lagLimit
            else { return nil }
        }
        return try engine(saved)
    }

    /// The saved bands `bytes` hold, or nil when they do not decode (damaged, or saved by an
    /// earlier Pejling).
    private static func decoded(_ bytes: [UInt8]) -> SavedBands? {
        try? JSONDecoder().decode(SavedBands.self, from: Data(bytes))
    }

    /// A flag engine for today with `saved` bands, or nil when they were learned for another
    /// catalogue.
    private func engine(_ saved: SavedBands) throws(CommandError) -> FlagEngine? {
        let catalogue = try context.catalogue()
        guard saved.key == Self.bandsKey(catalogue) else { return nil }
        return FlagEngine(catalogue: catalogue, expected: saved.bands, today: context.today)
    }

    /// Saves `bands` with the state of each journal, while the journals are as `fingerprint`
    /// found them (else the bands are not of these journals, and nothing is saved).
    private func save(_ bands: [String: ExpectedBands], fingerprint: UInt64) {
        let store = context.store()
        guard let catalogue = try? context.catalogue(), let now = try? store.journalStates(),
            now.fingerprint == fingerprint,
            let data = try? JSONEncoder().encode(
                SavedBands(key: Self.bandsKey(catalogue), bands: bands, journals: now.states))
        else { return }
        store.saveDerived(Self.bandsName, fingerprint: fingerprint, Array(data))
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

/// Expected bands as saved in `cache/`, with what they were learned for and from. (Bands saved
/// without `journals`, by an earlier Pejling, do not decode and are learned anew.)
private struct SavedBands: Codable {
    var key: String
    var bands: [String: ExpectedBands]
    /// Each journal as the bands were learned from it.
    var journals: [JournalState]
}

extension Instrument {
    /// Whether a flag rule of the instrument compares cases with the expected band.
    var usesExpectedBands: Bool {
        flags.contains {
            if case .notOnTrack = $0.kind { return true } else { return false }
        }
    }
}
