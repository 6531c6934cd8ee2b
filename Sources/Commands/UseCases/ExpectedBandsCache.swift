import Foundation
import InstrumentModel
import Progression
import Storage
import Support

/// The expected bands' cache policy: the bands saved in the store's `cache/` are used when they
/// were learned from the journals exactly as they are now (nothing written since) and for the
/// same instruments; otherwise they are learned from the whole store and saved, for the next
/// command about one case. Either way the bands are the same numbers.
struct ExpectedBandsCache {
    let context: Context

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
        let catalogue = try context.catalogue()
        guard let bytes = context.store().derived(Self.bandsName, fingerprint: fingerprint),
            let saved = try? JSONDecoder().decode(SavedBands.self, from: Data(bytes)),
            saved.key == Self.bandsKey(catalogue)
        else { return nil }
        return FlagEngine(catalogue: catalogue, expected: saved.bands, today: context.today)
    }

    private func save(_ bands: [String: ExpectedBands], fingerprint: UInt64) {
        guard let catalogue = try? context.catalogue(),
            let data = try? JSONEncoder().encode(SavedBands(key: Self.bandsKey(catalogue), bands: bands))
        else { return }
        context.store().saveDerived(Self.bandsName, fingerprint: fingerprint, Array(data))
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
