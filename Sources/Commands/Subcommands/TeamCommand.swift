import Charts
import InstrumentModel
import Interchange
import Progression
import Storage
import Support

/// `pejling team`: the caseload, open flags, fidelity, outcomes and trends of a team or service.
enum TeamCommand {
    static let spec = CommandSpec(
        path: ["team"],
        abstract: HelpText(
            da: "Teamets overblik: sager, åbne flag, systematik, resultater og udvikling måned for måned.",
            en: "Team review: caseload, open flags, fidelity, outcomes and monthly trends."),
        discussion: HelpText(
            da: """
                Tal om en gruppe på færre end 5 sager vises som <5, så ingen enkeltperson kan genkendes i en
                lille gruppe; --show-small viser dem (til en medarbejders egne sager). Systematik pr.
                medarbejder kun med --by-worker. Resultaterne følger Jacobson & Truax (1991); effektstørrelsen
                er gennemsnitlig ændring / SD af første scorer, d_z er gennemsnitlig ændring / SD af
                ændringerne; n står ved hvert tal. CSV giver én tabel (--table) til regneark; csv-da er til
                dansk Excel.
                """,
            en: """
                Figures about a group of fewer than 5 cases are shown as <5, so no individual can be picked
                out of a small group; --show-small shows them (for a worker's own caseload). Per-worker
                fidelity only with --by-worker. Outcomes follow Jacobson & Truax (1991); the effect size is
                mean change / SD of intake scores, d_z is mean change / SD of the changes; n is given with each.
                CSV gives one table (--table) for spreadsheets; csv-da is for Danish Excel.
                """),
        options: [
            .value(
                "worker", "ID",
                HelpText(
                    da: "Kun de sager, denne medarbejder så sidst.",
                    en: "Only the cases this worker saw last.")),
            .value(
                "since", "DATE", HelpText(da: "Første dato, der tages med.", en: "First date to include.")),
            .value(
                "until", "DATE",
                HelpText(
                    da: "Sidste dato, der tages med (standard i dag).",
                    en: "Last date to include (default today).")),
            .value(
                "instrument", "ID",
                HelpText(
                    da: "Resultatinstrumentet (standard ors).", en: "The outcome instrument (default ors).")),
            .value(
                "window", "DAYS",
                HelpText(
                    da: "En sag er aktiv, når den er målt inden for så mange dage (standard 90).",
                    en: "A case is active when measured within this many days (default 90).")),
            .flag(
                "show-small",
                HelpText(da: "Vis tal om færre end 5 sager.", en: "Show figures about fewer than 5 cases.")),
            .flag(
                "by-worker",
                HelpText(da: "Del systematikken op pr. medarbejder.", en: "Break fidelity down per worker.")),
            .value(
                "format", "FORMAT", choices: ["text", "json", "csv", "csv-da"],
                HelpText(da: "Outputformat (standard text).", en: "Output format (default text).")),
            .value(
                "table", "TABLE", choices: ["caseload", "flags", "fidelity", "outcomes", "trend"],
                HelpText(
                    da: "Tabellen til CSV (standard caseload).", en: "The table for CSV (default caseload).")),
        ])

    static let command = Pejling.Command(spec: spec, handler: run)

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        var settings = TeamReport.Settings()
        (settings.since, settings.until) = try arguments.period()
        settings.worker = arguments["worker"]
        if let days = try arguments.integer(
            "window", in: 1...Int.max, problem: { "'--window' takes a number of days, not '\($0)'." })
        {
            settings.activeWindow = days
        }
        if let outcome = arguments["instrument"] { settings.outcome = try context.instrument(outcome).id }
        // Each case's history is made while its figures are found, never all at once.
        let (index, engine) = try context.reportIndex()
        let report = TeamReport(
            index: index, catalogue: try context.catalogue(), engine: engine, settings: settings,
            today: context.today)
        context.keepUntilExit(report)
        Phases.mark("report")
        try context.audit("team", caseID: nil)
        let renderer = TeamRenderer(
            context: context, report: report, settings: settings,
            smallGroups: SmallGroups(shown: arguments.has("show-small")),
            byWorker: arguments.has("by-worker"))
        switch arguments["format"] {
        case "json":
            try context.emitJSON(command: spec.path) { stream throws(FileOutputError) in
                try renderer.writeJSON(into: &stream)
            }
        case "csv", "csv-da":
            let csv = CSVWriter(dialect: arguments["format"] == "csv-da" ? .danish : .standard)
            let rows = renderer.table(arguments["table"] ?? "caseload", csv: csv)
            try context.emit(to: nil, command: spec.path) { writer throws(FileOutputError) in
                for row in rows { try csv.write(row, to: writer) }
            }
        default: context.console.write(TerminalText.sanitized(try renderer.text(), keepingLineBreaks: true))
        }
        Phases.mark("render")
    }
}

/// Words, tables and charts for a team report.
struct TeamRenderer {
    let context: Context
    let report: TeamReport
    let settings: TeamReport.Settings
    let smallGroups: SmallGroups
    let byWorker: Bool

    var t: (String, String) -> String { context.text }

    func localized(_ value: Double, decimals: Int = 1) -> String {
        let text = JSONValue.numberText(roundTo(value, decimals: decimals))
        return context.language.decimal(text)
    }

    /// A figure about `cases` cases, or "<5" when the group is too small to show.
    func figure(_ text: String, cases: Int) -> String {
        smallGroups.withholds(cases: cases) ? SmallGroups.mark : text
    }

    func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : "\(Int((Double(part) / Double(whole) * 100).rounded()))%"
    }

    func text() throws(CommandError) -> String {
        let active = report.caseload.filter(\.active)
        let width = try context.width(option: nil)
        var out = t("TEAMOVERBLIK", "TEAM REVIEW") + "  \(settings.until ?? context.today)"
        out += t(
            "  (sager: \(report.caseload.count), aktive: \(active.count)",
            "  (cases: \(report.caseload.count), active: \(active.count)")
        out += (settings.worker.map { t(", medarbejder: \($0)", ", worker: \($0)") } ?? "") + ")\n\n"

        out += t(
            "Sagsstamme: aktive sager, flest åbne flag først\n",
            "Caseload: active cases, most open flags first\n")
        let outcome = settings.outcome.uppercased()
        var rows = [
            [
                t("SAG", "CASE"), t("MEDARB.", "WORKER"), t("SENEST", "LAST"), outcome,
                settings.alliance.uppercased(), t("FORLØB", "TREND"), "FLAG",
            ]
        ]
        let range = (try? context.catalogue().instrument(settings.outcome))?.scoring.range ?? 0...40
        for row in active.prefix(25) {
            rows.append([
                row.caseID, row.worker ?? "–", row.lastDay.description,
                row.latest[settings.outcome].map { localized($0) } ?? "–",
                row.latest[settings.alliance].map { localized($0) } ?? "–",
                Sparkline.render(row.outcomeSeries, range: range, width: 12, ascii: context.ascii),
                String(row.openFlags),
            ])
        }
        out += Table.render(rows)
        if active.count > 25 {
            out += t(
                "  … og \(active.count - 25) flere (alle: --format csv)\n",
                "  … and \(active.count - 25) more (all of them: --format csv)\n")
        }

        out += "\n" + t("Åbne flag, længst åbne først\n", "Open flags, longest open first\n")
        if report.openFlags.isEmpty { out += t("  Ingen.\n", "  None.\n") }
        let cleared = report.clearedOpenFlags
        if cleared > 0 {
            let holding = report.openFlags.count - cleared
            out += t(
                "  \(report.openFlags.count) åbne: \(holding) gælder stadig, \(cleared) er ikke længere aktuelle efter en senere måling.\n",
                "  \(report.openFlags.count) open: \(holding) still \(holding == 1 ? "holds" : "hold"), \(cleared) cleared by a later measurement.\n"
            )
        }
        for flag in report.openFlags.prefix(15) {
            let days = context.today - flag.since
            let clearedNote =
                flag.clearedOn.map { t(" (ikke længere aktuelt: \($0))", " (cleared \($0))") } ?? ""
            out +=
                wrap(
                    "  \(flag.since) (\(days) " + t("dage", "days")
                        + ")  \(flag.caseID)  \(flag.instrument.uppercased())  "
                        + flag.reason[context.language] + clearedNote, width: width, indent: "      ") + "\n"
        }
        if report.openFlags.count > 15 {
            out += t(
                "  … og \(report.openFlags.count - 15) flere: se 'pejling flags'\n",
                "  … and \(report.openFlags.count - 15) more: see 'pejling flags'\n")
        }

        out += "\n" + t("Systematik\n", "Fidelity\n")
        out += fidelityLines(report.fidelity, indent: "  ")
        if byWorker {
            for (worker, fidelity) in report.fidelityByWorker.sorted(by: { $0.key < $1.key }) {
                out += "  \(worker):\n" + fidelityLines(fidelity, indent: "    ")
            }
        }

        out +=
            "\n"
            + t(
                "Resultater: sager med mindst to målinger\n",
                "Outcomes: cases with at least two measurements\n")
        if report.outcomes.isEmpty { out += t("  Ingen endnu.\n", "  None yet.\n") }
        for summary in report.outcomes {
            out += wrap("  " + outcomeLine(summary), width: width, indent: "    ") + "\n"
        }
        if let goals = report.goals {
            let line = t(
                "GBO: \(figure(String(goals.goals), cases: goals.cases)) mål i \(figure(String(goals.cases), cases: goals.cases)) sager vurderet mindst to gange; gennemsnit først \(figure(localized(goals.meanFirst), cases: goals.cases)), senest \(figure(localized(goals.meanLatest), cases: goals.cases)); flyttet pålideligt (ikke bekræftet grænse): \(figure(String(goals.movedReliably), cases: goals.cases)); nået: \(figure(String(goals.reached), cases: goals.cases)).",
                "GBO: \(figure(String(goals.goals), cases: goals.cases)) goals in \(figure(String(goals.cases), cases: goals.cases)) cases rated at least twice; mean first \(figure(localized(goals.meanFirst), cases: goals.cases)), latest \(figure(localized(goals.meanLatest), cases: goals.cases)); moved reliably (unverified threshold): \(figure(String(goals.movedReliably), cases: goals.cases)); reached: \(figure(String(goals.reached), cases: goals.cases))."
            )
            out += wrap("  " + line, width: width, indent: "    ") + "\n"
        }

        out += "\n" + t("Udvikling måned for måned\n", "Month by month\n")
        let months = report.trend.filter { !smallGroups.withholds(cases: $0.cases) }
        if months.count < 2 {
            out += t(
                "  For få måneder med mindst 5 sager til en kurve.\n",
                "  Too few months with at least 5 cases for a chart.\n")
        } else {
            let meanPoints = months.compactMap { month in
                month.meanOutcome.map { ChartPoint(date: month.start.date, value: $0) }
            }
            let sharePoints = months.filter { !smallGroups.withholds(cases: $0.comparable) }.map {
                month in
                ChartPoint(
                    date: month.start.date,
                    value: month.comparable == 0 ? 0 : Double(month.improved) / Double(month.comparable) * 100
                )
            }
            let panels = [
                ChartPanel(
                    title: t("Gennemsnitlig \(outcome) pr. måned", "Mean \(outcome) by month")
                        + " (\(localized(range.lowerBound))–\(localized(range.upperBound)))", yRange: range,
                    series: [ChartSeries(name: outcome, points: meanPoints)]),
                ChartPanel(
                    title: t(
                        "Andel pålideligt bedre siden start (%)", "Share reliably improved since intake (%)"),
                    yRange: 0...100, series: [ChartSeries(name: "%", points: sharePoints)]),
            ]
            out +=
                ChartRenderer.render(
                    panels,
                    options: ChartOptions(
                        width: width, height: 8, ascii: context.ascii, color: context.color,
                        labels: context.language == .da ? .danish : .english)) + "\n"
            let hidden = report.trend.count - months.count
            if hidden > 0 {
                out +=
                    hidden == 1
                    ? t(
                        "  1 måned med færre end 5 sager er udeladt.\n",
                        "  1 month with fewer than 5 cases is left out.\n")
                    : t(
                        "  \(hidden) måneder med færre end 5 sager er udeladt.\n",
                        "  \(hidden) months with fewer than 5 cases are left out.\n")
            }
        }
        return out
    }

    func fidelityLines(_ fidelity: TeamReport.Fidelity, indent: String) -> String {
        let cases = fidelity.cases
        var out =
            indent + t("Aktive sager over tid for en måling: ", "Active cases overdue for measurement: ")
            + figure(String(fidelity.overdue.count), cases: cases) + t(" af ", " of ")
            + figure(String(cases), cases: cases) + "\n"
        out +=
            indent
            + t(
                "Møder med \(settings.outcome.uppercased()) men uden \(settings.alliance.uppercased()): ",
                "Meetings with \(settings.outcome.uppercased()) but no \(settings.alliance.uppercased()): ")
            + figure("\(fidelity.withoutAlliance) " + t("af", "of") + " \(fidelity.meetings)", cases: cases)
            + "\n"
        out +=
            indent + t("Feedback indsamlet ved ", "Feedback collected at ")
            + figure(
                percent(fidelity.meetings - fidelity.withoutAlliance, of: fidelity.meetings), cases: cases)
            + t(" af møderne\n", " of meetings\n")
        return out
    }

    func outcomeLine(_ summary: TeamReport.OutcomeSummary) -> String {
        let name =
            ((try? context.catalogue().instrument(summary.instrument))?.abbreviation) ?? summary.instrument
        let n = summary.cases
        let labels: [(OutcomeCategory, String)] = [
            (.recovered, t("kommet sig", "recovered")), (.improved, t("bedre", "improved")),
            (.unchanged, t("uændret", "unchanged")),
            (.deteriorated, t("forværret", "deteriorated")),
        ]
        let parts = labels.map { category, label in
            let count = summary.counts[category] ?? 0
            return "\(label) "
                + figure("\(count) (\(percent(count, of: n)))", cases: min(count, n) == 0 ? n : min(count, n))
        }
        var line = "\(name): n = \(figure(String(n), cases: n)); " + parts.joined(separator: ", ") + ". "
        line +=
            t("Gennemsnit ved start ", "Mean intake ") + figure(localized(summary.meanIntake), cases: n)
            + t(", senest ", ", latest ") + figure(localized(summary.meanLatest), cases: n)
        line +=
            t(", ændring ", ", change ")
            + figure((summary.meanChange > 0 ? "+" : "") + localized(summary.meanChange), cases: n)
        line +=
            t("; effektstørrelse ", "; effect size ")
            + figure(summary.effectSize.map { localized($0, decimals: 2) } ?? "–", cases: n)
        line +=
            ", d_z " + figure(summary.dz.map { localized($0, decimals: 2) } ?? "–", cases: n)
            + " (n = \(figure(String(n), cases: n)))."
        return line
    }

    /// Writes the report as one JSON object into `stream`, its lists (the caseload, the open
    /// flags) an element at a time.
    func writeJSON(into stream: inout JSONStream) throws(FileOutputError) {
        let cleared = report.clearedOpenFlags
        func number(_ value: Double?, cases: Int) -> JSONValue {
            guard let value else { return .null }
            return smallGroups.withholds(cases: cases)
                ? .string(SmallGroups.mark) : .number(roundTo(value, decimals: 4))
        }
        func count(_ value: Int, cases: Int) -> JSONValue {
            smallGroups.withholds(cases: cases) ? .string(SmallGroups.mark) : .number(Double(value))
        }
        func fidelity(_ value: TeamReport.Fidelity) -> JSONValue {
            [
                "cases": count(value.cases, cases: value.cases),
                "overdue": count(value.overdue.count, cases: value.cases),
                "meetings": count(value.meetings, cases: value.cases),
                "withoutAlliance": count(value.withoutAlliance, cases: value.cases),
                "feedbackShare": number(value.feedbackShare, cases: value.cases),
            ]
        }
        stream.beginObject()
        try stream.member("date", .string((settings.until ?? context.today).description))
        try stream.member("worker", .optional(settings.worker))
        stream.key("caseload")
        stream.beginArray()
        // A row's members written one by one, as the object of them would be: no value is made
        // for each of a hundred thousand numbers. The rows are rendered on every core.
        let caseload = report.caseload
        try stream.elements(caseload.count) { place, stream throws(FileOutputError) in
            stream.beginObject()
            try stream.member("case", text: caseload[place].caseID)
            try stream.member("worker", text: caseload[place].worker)
            try stream.member("last", day: caseload[place].lastDay)
            try stream.member("active", bool: caseload[place].active)
            try stream.member("openFlags", number: Double(caseload[place].openFlags))
            // The latest totals in order of instrument id, as an object of them would be.
            let latest = caseload[place].latest
            stream.key("latest")
            stream.beginObject()
            for (instrument, total) in latest.sorted(by: { $0.key < $1.key }) {
                try stream.member(instrument, number: total)
            }
            try stream.endObject()
            stream.key("outcomeSeries")
            stream.beginArray()
            for total in caseload[place].outcomeSeries { try stream.element(number: total) }
            try stream.endArray()
            try stream.endObject()
        }
        try stream.endArray()
        // The open flags' rule texts once, beside the flags that name them.
        try FlagListJSON.write(report.openFlags, named: "openFlags", into: &stream)
        var members: [(key: String, value: JSONValue)] = [
            (
                "openFlagCounts",
                [
                    "holding": .number(Double(report.openFlags.count - cleared)),
                    "cleared": .number(Double(cleared)),
                ]
            ),
            ("fidelity", fidelity(report.fidelity)),
        ]
        if byWorker {
            members.append(
                (
                    "fidelityByWorker",
                    .object(
                        report.fidelityByWorker.keys.sorted().map {
                            (key: $0, value: fidelity(report.fidelityByWorker[$0]!))
                        })
                ))
        }
        members.append(
            (
                "outcomes",
                .array(
                    report.outcomes.map { summary in
                        let n = summary.cases
                        return [
                            "instrument": .string(summary.instrument), "n": count(n, cases: n),
                            "recovered": count(summary.counts[.recovered] ?? 0, cases: n),
                            "improved": count(summary.counts[.improved] ?? 0, cases: n),
                            "unchanged": count(summary.counts[.unchanged] ?? 0, cases: n),
                            "deteriorated": count(summary.counts[.deteriorated] ?? 0, cases: n),
                            "meanIntake": number(summary.meanIntake, cases: n),
                            "meanLatest": number(summary.meanLatest, cases: n),
                            "meanChange": number(summary.meanChange, cases: n),
                            "effectSize": number(summary.effectSize, cases: n),
                            "dz": number(summary.dz, cases: n),
                        ]
                    })
            ))
        if let goals = report.goals {
            members.append(
                (
                    "goals",
                    [
                        "goals": count(goals.goals, cases: goals.cases),
                        "cases": count(goals.cases, cases: goals.cases),
                        "meanFirst": number(goals.meanFirst, cases: goals.cases),
                        "meanLatest": number(goals.meanLatest, cases: goals.cases),
                        "movedReliably": count(goals.movedReliably, cases: goals.cases),
                        "reached": count(goals.reached, cases: goals.cases),
                    ]
                ))
        }
        members.append(
            (
                "trend",
                .array(
                    report.trend.map { month in
                        [
                            "month": .string(String(month.start.description.prefix(7))),
                            "cases": count(month.cases, cases: month.cases),
                            "meanOutcome": number(month.meanOutcome, cases: month.cases),
                            "improvedShare": number(
                                month.comparable == 0
                                    ? nil : Double(month.improved) / Double(month.comparable),
                                cases: month.comparable),
                        ]
                    })
            ))
        try stream.members(members)
        try stream.endObject()
    }

    func table(_ name: String, csv: CSVWriter) -> [[String]] {
        func small(_ text: String, _ cases: Int) -> String { figure(text, cases: cases) }
        switch name {
        case "flags":
            return [["since", "case", "instrument", "rule", "flag", "reason"]]
                + report.openFlags.map {
                    [
                        $0.since.description, $0.caseID, $0.instrument, $0.rule, $0.id,
                        $0.reason[context.language],
                    ]
                }
        case "fidelity":
            var rows = [["worker", "cases", "overdue", "meetings", "without_alliance", "feedback_share"]]
            var groups = [("all", report.fidelity)]
            if byWorker {
                groups += report.fidelityByWorker.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
            for (worker, fidelity) in groups {
                let n = fidelity.cases
                rows.append([
                    worker, small(String(n), n), small(String(fidelity.overdue.count), n),
                    small(String(fidelity.meetings), n),
                    small(String(fidelity.withoutAlliance), n),
                    small(csv.number(fidelity.feedbackShare.map { roundTo($0, decimals: 4) }), n),
                ])
            }
            return rows
        case "outcomes":
            return [
                [
                    "instrument", "n", "recovered", "improved", "unchanged", "deteriorated", "mean_intake",
                    "mean_latest", "mean_change", "effect_size", "dz",
                ]
            ]
                + report.outcomes.map { summary in
                    let n = summary.cases
                    return [
                        summary.instrument, small(String(n), n),
                        small(String(summary.counts[.recovered] ?? 0), n),
                        small(String(summary.counts[.improved] ?? 0), n),
                        small(String(summary.counts[.unchanged] ?? 0), n),
                        small(String(summary.counts[.deteriorated] ?? 0), n),
                        small(csv.number(roundTo(summary.meanIntake, decimals: 4)), n),
                        small(csv.number(roundTo(summary.meanLatest, decimals: 4)), n),
                        small(csv.number(roundTo(summary.meanChange, decimals: 4)), n),
                        small(csv.number(summary.effectSize.map { roundTo($0, decimals: 4) }), n),
                        small(csv.number(summary.dz.map { roundTo($0, decimals: 4) }), n),
                    ]
                }
        case "trend":
            return [["month", "cases", "mean_outcome", "comparable", "improved"]]
                + report.trend.map { month in
                    [
                        String(month.start.description.prefix(7)), small(String(month.cases), month.cases),
                        small(csv.number(month.meanOutcome.map { roundTo($0, decimals: 4) }), month.cases),
                        small(String(month.comparable), month.comparable),
                        small(String(month.improved), month.comparable),
                    ]
                }
        default:
            return [["case", "worker", "last", "active", settings.outcome, settings.alliance, "open_flags"]]
                + report.caseload.map { row in
                    [
                        row.caseID, row.worker ?? "", row.lastDay.description, row.active ? "yes" : "no",
                        csv.number(row.latest[settings.outcome]), csv.number(row.latest[settings.alliance]),
                        String(row.openFlags),
                    ]
                }
        }
    }
}
