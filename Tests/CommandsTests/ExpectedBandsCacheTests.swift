import Foundation
import InstrumentModel
import Progression
import Testing

@testable import Commands

@Test func bandsAreLearnedOnceForTheJournalsAsTheyAreAndNotForOthers() throws {
    let store = try temporaryFolder()
    let asked = run(
        ["ask", "ors", "--case", "K-1", "--answers", "4,5,3,6"], variables: ["PEJLING_STORE": store])
    #expect(asked.status == .success, "\(asked.errors)")
    // Recording the meeting saved the bands; start without them.
    try FileManager.default.removeItem(atPath: store + "/cache")
    let context = try useCaseContext(store)
    let fingerprint = try context.readSummaries(caseID: nil).fingerprint
    let cache = ExpectedBandsCache(context)
    #expect(try cache.saved(fingerprint: fingerprint) == nil)

    var learned: [String] = []
    let first = try cache.engine(fingerprint: fingerprint) { instrument in
        learned.append(instrument.id)
        return ExpectedBands(instrument: instrument, totals: [[Double?]]())
    }
    let usingBands = try context.catalogue().instruments.filter(\.usesExpectedBands).map(\.id)
    #expect(!usingBands.isEmpty)
    #expect(learned.sorted() == usingBands.sorted())
    #expect(first.expected.keys.sorted() == usingBands.sorted())

    // Saved for these journals: used again without learning; not for journals that changed.
    let again = try cache.engine(fingerprint: fingerprint) { instrument in
        learned.append(instrument.id)
        return ExpectedBands(instrument: instrument, totals: [[Double?]]())
    }
    #expect(learned.count == usingBands.count)
    #expect(again.expected.keys.sorted() == usingBands.sorted())
    #expect(try cache.saved(fingerprint: fingerprint) != nil)
    #expect(try cache.saved(fingerprint: fingerprint &+ 1) == nil)
}
