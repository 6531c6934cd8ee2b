import InstrumentModel
import Progression
import Storage
import Support

/// The outcomes report: for each case and instrument with at least two scores in the period, the
/// first and latest, the change, the reliable change index and the category (Jacobson & Truax).
struct OutcomesReport {
    /// One row: what is shown of it, and no more (a report over millions of administrations
    /// holds every row until it is written, so neither the instrument nor the readings are kept).
    struct Row {
        var caseID: String
        var instrumentID: String
        var abbreviation: String
        /// The days of the first and the latest score.
        var firstDay: Day
        var lastDay: Day
        var assessment: ChangeAssessment
    }

    /// The rows in order of case id, then of the instruments as the case first used them.
    let rows: [Row]

    /// Reads every case's scores and finds the rows, recording in the audit log that the report
    /// was made.
    /// - Parameter filter: only this instrument's rows; all instruments' when nil.
    init(_ context: Context, instrument filter: String?, since: Day?, until: Day?) throws(CommandError) {
        rows = try Self.rows(reading: context, instrument: filter, since: since, until: until)
        Phases.mark("rows")
        context.keepUntilExit(rows)
        try context.audit("outcomes", caseID: nil)
    }

    /// The rows of the whole store, read for them: the index (every administration) is let go as
    /// soon as they are found, so the rows are never written out beside it (at 10M it is half a
    /// gigabyte, what the rows and their text take together).
    private static func rows(
        reading context: Context, instrument filter: String?, since: Day?, until: Day?
    ) throws(CommandError) -> [Row] {
        let (snapshot, others) = try context.readForIndex()
        let index = CaseIndex(snapshot, others: others)
        Phases.mark("index")
        return rows(index, catalogue: try context.catalogue(), instrument: filter, since: since, until: until)
    }

    /// One row per case and instrument with two or more scores, in order of case id; each case's
    /// history is made while its rows are found, on every core.
    static func rows(
        _ index: CaseIndex, catalogue: InstrumentCatalogue, instrument filter: String?, since: Day?,
        until: Day?
    ) -> [Row] {
        let caseRuns = index.runs
        // Each run's rows in one list, with how many each of its cases has: no list per case.
        let found = caseRuns.gather { numbers in
            // Each instrument a case names is looked up in the catalogue once per run of cases.
            var rules = InstrumentRules(catalogue)
            var rows: [Row] = []
            var counts: [Int32] = []
            let table = index.tableForTask()
            for number in numbers {
                let start = rows.count
                Self.rows(
                    index.history(number, table: table, withDecisions: false), rules: &rules,
                    instrument: filter, since: since,
                    until: until,
                    into: &rows)
                counts.append(Int32(rows.count - start))
            }
            return (rows: rows, counts: counts)
        }
        // Put back in order of case: each run's cases come in order, so each run is read from
        // where the case before it in that run stopped.
        var rows: [Row] = []
        rows.reserveCapacity(found.reduce(0) { $0 + $1.rows.count })
        var taken = [Int](repeating: 0, count: found.count)
        for number in 0..<caseRuns.count {
            let (run, slot) = caseRuns.place(of: number)
            let count = Int(found[run].counts[slot])
            rows += found[run].rows[taken[run]..<taken[run] + count]
            taken[run] += count
        }
        return rows
    }

    /// Appends the rows of one case to `rows`.
    private static func rows(
        _ history: CaseHistory, rules: inout InstrumentRules, instrument filter: String?, since: Day?,
        until: Day?, into rows: inout [Row]
    ) {
        let id = history.caseID
        for instrumentID in history.instruments where filter == nil || filter == instrumentID {
            guard let instrument = rules[instrumentID] else { continue }
            // The first and last reading with a score in the period, and whether there are two
            // (read in place: a reading copied out of the series would be counted for nothing).
            let series = history.series(instrumentID)
            var (first, last, count) = (0, 0, 0)
            for place in series.indices {
                guard series.entry(place).total != nil else { continue }
                let day = series.entry(place).day
                guard since.map({ day >= $0 }) ?? true, until.map({ day <= $0 }) ?? true else { continue }
                if count == 0 { first = place }
                last = place
                count += 1
            }
            guard count >= 2 else { continue }
            let assessment = instrument.rule.assess(
                pre: series.entry(first).total!, post: series.entry(last).total!,
                age: series.entry(last).age ?? series.entry(first).age)
            rows.append(
                Row(
                    caseID: id, instrumentID: instrument.id, abbreviation: instrument.abbreviation,
                    firstDay: series.entry(first).day, lastDay: series.entry(last).day, assessment: assessment
                ))
        }
    }

    /// The catalogue's instruments (what a row shows of them) with their change rules, by the ids
    /// readings name, each looked up once (as `catalogue.instrument(_:)` finds it; nil for an id
    /// it does not know). No instrument is copied per case.
    private struct InstrumentRules {
        typealias Found = (id: String, abbreviation: String, rule: ChangeRule)
        let catalogue: InstrumentCatalogue
        private var known: [String: Found?] = [:]

        init(_ catalogue: InstrumentCatalogue) {
            self.catalogue = catalogue
        }

        subscript(id: String) -> Found? {
            mutating get {
                if let found = known[id] { return found }
                let found = (try? catalogue.instrument(id)).map { ($0.id, $0.abbreviation, ChangeRule($0)) }
                known[id] = .some(found)
                return found
            }
        }
    }
}
