import Foundation
import Progression
import Simulation
import Storage

/// Records the decisions a team would have made on its flags as they came up, so a synthetic
/// store looks like one in use: walking through time in steps, each flag gets a decision a few
/// days after it last showed (mostly E1 continue or E2 adjust); the last few weeks' stay open.
enum SettledFlags {
    static func settle(_ context: Context, leaveOpen days: Int, step: Int, seed: UInt64) throws(CommandError)
        -> Int
    {
        var random = SplitMix64(seed: seed ^ 0x5EED)
        var records = try context.readStore().records
        guard let first = records.first else { return 0 }
        let catalogue = try context.catalogue()
        var decisions: [Record] = []
        var cutoff = Day(first.time) + step
        let end = context.today + (-days)
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
                        id: Store.hex(random.next()) + Store.hex(random.next()),
                        writer: "\(worker)@simulated",
                        time: (flag.latest + 3).date.addingTimeInterval(14 * 3600), caseID: caseID, body: body
                    )
                    decisions.append(record)
                    records.append(record)
                }
            }
            cutoff = cutoff + step
        }
        for (writer, group) in Dictionary(grouping: decisions, by: \.writer) {
            do {
                try Store(directory: context.storeDirectory, writer: writer).append(records: group)
            } catch {
                throw .failure(context.describe(error))
            }
        }
        return decisions.count
    }
}
