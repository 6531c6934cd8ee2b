import Progression
import Storage

/// Recording a decision on a case's flags: the flags it closes chosen from the case as it stands,
/// one decision record for each appended in one batch, and the change written to the audit log.
///
/// `pejling decide` parses the command line and shows what `record` returns; every rule of
/// deciding is here. A decision closes either the one open flag named, or at once every open flag
/// that a later measurement cleared; a flag already decided stays decided (a new flag opens if the
/// condition shows again).
struct RecordDecision {
    /// The decision as the command line describes it.
    struct Request {
        var caseID: String
        /// The flag decided on; nil for every open flag a later measurement cleared.
        var flag: String?
        var outcome: FollowUpOutcome
        var note: String?
        var worker: String?
    }

    /// What was saved.
    struct Recorded {
        /// The flags the decision closes, in the order of their records.
        var closed: [Flag]
        /// One decision record for each flag closed.
        var saved: [Record]
    }

    /// Chooses the flags, appends a decision for each in one batch and audits the change.
    /// - Throws: a data error (exit 65) when the case is unknown or has no such open flag, naming
    ///   the open ones; a failure when the store refuses the records.
    static func record(_ request: Request, context: Context) throws(CommandError) -> Recorded {
        let (index, engine) = try context.caseView(request.caseID)
        let history = try context.history(request.caseID, in: index)
        let closed = try choose(
            engine.flags(for: history), request.flag, caseID: request.caseID, context: context)
        let batch = closed.map { flag in
            (
                caseID: request.caseID,
                body: RecordBody.decision(
                    DecisionRecord(
                        flag: flag.id, outcome: request.outcome.rawValue, note: request.note,
                        worker: request.worker))
            )
        }
        let saved: [Record]
        do {
            saved = try context.store().append(batch: batch)
        } catch {
            throw .failure(context.describe(error))
        }
        let ids = saved.map(\.id).joined(separator: ", ")
        try context.auditChange(
            "decide", caseID: request.caseID,
            done: ("Beslutningen er gemt (post \(ids)).", "The decision was saved (record \(ids))."))
        return Recorded(closed: closed, saved: saved)
    }

    /// The flags a decision closes: the one named, or every open flag a later measurement cleared.
    /// - Throws: a data error (exit 65) when there is no such open flag, naming the open ones.
    static func choose(_ flags: [Flag], _ flagID: String?, caseID: String, context: Context)
        throws(CommandError) -> [Flag]
    {
        let open = flags.filter(\.isOpen).map(\.id)
        let listed =
            (open.isEmpty
                ? context.text(" Den har ingen åbne flag.", " It has no open flags.")
                : context.text(" Dens åbne flag: ", " Its open flags: ") + open.joined(separator: ", ") + ".")
            + context.text(" Kør 'pejling flags --case \(caseID)'.", " Run 'pejling flags --case \(caseID)'.")
        guard let flagID else {
            let cleared = flags.filter(\.isOpenButCleared)
            guard !cleared.isEmpty else {
                throw .data(
                    context.text(
                        "Sagen \(caseID) har ingen åbne flag, som en senere måling har gjort uaktuelle.",
                        "The case \(caseID) has no open flag that a later measurement cleared.") + listed)
            }
            return cleared
        }
        guard let flag = flags.first(where: { $0.id == flagID }) else {
            throw .data(
                context.text(
                    "Sagen \(caseID) har intet flag \(flagID).", "The case \(caseID) has no flag \(flagID).")
                    + listed)
        }
        if let decision = flag.decision {
            throw .data(
                context.text(
                    "Flaget \(flagID) er allerede besluttet (\(decision.outcome.code)). Et nyt flag åbner, hvis forholdet viser sig igen.",
                    "The flag \(flagID) was already decided (\(decision.outcome.code) \(decision.outcome.rawValue)). A new flag opens if the condition shows again."
                ))
        }
        return [flag]
    }
}
