import Simulation
import Storage

extension SettledFlags {
    /// Records in the store the decisions a team would have made on its flags (see
    /// `decisions(for:catalogue:today:leaveOpen:step:seed:)`), each in its worker's journal, from a
    /// read of the whole store: for a store that held journals before the simulation (otherwise
    /// the simulation settles them as it goes).
    /// - Returns: how many decisions were recorded.
    static func settle(_ context: Context, _ settings: Settings, seed: UInt64) throws(CommandError) -> Int {
        // Flags need scores, not answers.
        let records = try context.readStore(answers: false).records
        guard !records.isEmpty else { return 0 }
        let decisions = decisions(
            for: consume records, catalogue: try context.catalogue(), today: context.today,
            leaveOpen: settings.leaveOpen, step: settings.step, seed: seed)
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
