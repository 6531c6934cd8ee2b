import InstrumentModel
import Progression
import Storage
import Support

/// The outcomes report: for each case and instrument with at least two scores in the period, the
/// first and latest, the change, the reliable change index and the category (Jacobson & Truax).
struct OutcomesReport {
    struct Row {
        var caseID: String
        var instrument: Instrument
        var first: Reading
        var last: Reading
        var assessment: ChangeAssessment
    }

    /// The rows in order of case id, then of the instruments as the case first used them.
    let rows: [Row]

    /// Reads every case's scores and finds the rows, recording in the audit log that the report
    /// was made.
    /// - Parameter filter: only this instrument's rows; all instruments' when nil.
    init(_ context: Context, instrument filter: String?, since: Day?, until: Day?) throws(CommandError) {
        let index = CaseIndex(try context.readSummaries(caseID: nil))
        context.keepUntilExit(index)
        rows = Self.rows(
            index, catalogue: try context.catalogue(), instrument: filter, since: since, until: until)
        context.keepUntilExit(rows)
        try context.audit("outcomes", caseID: nil)
    }

    /// One row per case and instrument with two or more scores, in order of case id; each case's
    /// history is made while its rows are found, on every core.
    static func rows(
        _ index: CaseIndex, catalogue: InstrumentCatalogue, instrument filter: String?, since: Day?,
        until: Day?
    ) -> [Row] {
        index.map { number in
            rows(index.history(number), catalogue: catalogue, instrument: filter, since: since, until: until)
        }.flatMap { $0 }
    }

    /// The rows of one case.
    static func rows(
        _ history: CaseHistory, catalogue: InstrumentCatalogue, instrument filter: String?, since: Day?,
        until: Day?
    ) -> [Row] {
        var rows: [Row] = []
        let id = history.caseID
        for instrumentID in history.instruments where filter == nil || filter == instrumentID {
            guard let instrument = try? catalogue.instrument(instrumentID) else { continue }
            let series = history.series(instrumentID).filter { reading in
                reading.total != nil && (since.map { reading.day >= $0 } ?? true)
                    && (until.map { reading.day <= $0 } ?? true)
            }
            guard series.count >= 2, let first = series.first, let last = series.last else { continue }
            let assessment = ChangeCalculator.assess(
                pre: first.total!, post: last.total!, instrument: instrument, age: last.age ?? first.age)
            rows.append(
                Row(caseID: id, instrument: instrument, first: first, last: last, assessment: assessment))
        }
        return rows
    }
}
