import Foundation
import InstrumentModel
import Progression
import Storage
import Support

/// The decisions a team would have made on its flags as they came up, so a synthetic store looks
/// like one in use: walking through time in steps, each flag gets a decision a few days after it
/// last showed (mostly E1 continue or E2 adjust); the last few weeks' stay open.
package enum SettledFlags {
    /// Returns the decision records for the flags `records` raise, oldest first.
    /// - Parameters:
    ///   - today: the day the store is seen from; flags of the last `days` days stay open.
    ///   - step: the days between two looks at the flags.
    ///   - seed: the seed of the choices, so a seed gives the same decisions.
    package static func decisions(
        for records: [Record], catalogue: InstrumentCatalogue, today: Day, leaveOpen days: Int, step: Int,
        seed: UInt64
    ) -> [Record] {
        var random = SplitMix64(seed: seed ^ 0x5EED)
        var records = records
        guard let first = records.first else { return [] }
        var decisions: [Record] = []
        var cutoff = Day(first.time) + step
        let end = today + (-days)
        while cutoff <= end {
            let moment = (cutoff + 1).date
            let index = CaseIndex(records: records.filter { $0.time < moment })
            let engine = FlagEngine(catalogue: catalogue, today: cutoff)
            for (number, caseID) in index.caseIDs.enumerated() {
                let history = index.history(number)
                for flag in engine.flags(for: history) where flag.isOpen && flag.latest + 3 <= cutoff {
                    let roll = random.next() % 100
                    let outcome: FollowUpOutcome =
                        roll < 62 ? .continue : roll < 92 ? .adjust : roll < 98 ? .reassess : .end
                    let worker = history.readings.last?.worker ?? "w01"
                    let body = RecordBody.decision(
                        DecisionRecord(flag: flag.id, outcome: outcome.rawValue, note: nil, worker: worker))
                    let record = Record(
                        id: Hex.string(random.next()) + Hex.string(random.next()),
                        writer: "\(worker)@simulated",
                        time: (flag.latest + 3).date.addingTimeInterval(14 * 3600), caseID: caseID, body: body
                    )
                    decisions.append(record)
                    records.append(record)
                }
            }
            cutoff = cutoff + step
        }
        return decisions
    }
}
