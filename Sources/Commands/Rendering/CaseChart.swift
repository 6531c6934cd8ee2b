import Charts
import InstrumentModel
import Progression
import Support

/// A case's progression as chart panels and a text summary a screen reader can read.
struct CaseChart {
    let context: Context
    let history: CaseHistory
    let flags: [Flag]
    let engine: FlagEngine

    /// The instruments in the order their panels stand: outcome, alliance, recovery, goals, others.
    func instruments(only: String?) throws(CommandError) -> [Instrument] {
        let catalogue = try context.catalogue()
        let ids = history.instruments.filter { only == nil || $0 == only }
        let order: [Role] = [.outcome, .alliance, .recovery, .goals, .other]
        return ids.compactMap { try? catalogue.instrument($0) }.sorted {
            (order.firstIndex(of: $0.role)!, $0.id) < (order.firstIndex(of: $1.role)!, $1.id)
        }
    }

    func options(width: Int, height: Int) -> ChartOptions {
        ChartOptions(
            width: width, height: height, ascii: context.ascii, color: context.color,
            labels: context.language == .da ? .danish : .english)
    }

    /// The chart of the given instruments on one date axis.
    func render(_ instruments: [Instrument], options: ChartOptions) -> String {
        ChartRenderer.render(instruments.map(panel), options: options)
    }

    func panel(_ instrument: Instrument) -> ChartPanel {
        let t = context.text
        let series = history.series(instrument.id)
        let flagged = Set(flags.filter { $0.instrument == instrument.id }.map(\.latest))
        // Without a stated direction a cut-off's side (and a norms cut-off's value) is unknown.
        let stated = instrument.scoring.directionStated ? instrument.interpretation : Interpretation()
        let cutoff = stated.cutoff(forAge: series.last?.age).map { cutoff -> ChartLine in
            let value = cutoff.value(direction: instrument.scoring.direction)
            let label =
                instrument.role == .alliance
                ? t("grænse for samarbejdet \(number(value))", "alliance cut-off \(number(value))")
                : t("klinisk grænse \(number(value))", "clinical cut-off \(number(value))")
            return ChartLine(value: value, label: label)
        }
        let title =
            "\(instrument.abbreviation) (\(number(instrument.scoring.range.lowerBound))–\(number(instrument.scoring.range.upperBound)))"
        if instrument.goals != nil {
            let lines = history.goals.filter { $0.instrument == instrument.id }.compactMap {
                goal -> ChartSeries? in
                let points = series.compactMap { reading in
                    reading.part(goal.id).map {
                        ChartPoint(
                            date: reading.day.date, value: $0,
                            flagged: flags.contains { $0.goal == goal.id && $0.latest == reading.day })
                    }
                }
                return points.isEmpty ? nil : ChartSeries(name: goal.text, points: points)
            }
            let range = instrument.goals!.rating.min...instrument.goals!.rating.max
            return ChartPanel(
                title: t(
                    "\(instrument.abbreviation) mål (\(number(range.lowerBound))–\(number(range.upperBound)))",
                    "\(instrument.abbreviation) goals (\(number(range.lowerBound))–\(number(range.upperBound)))"
                ), yRange: range, series: lines)
        }
        let points = series.compactMap { reading in
            reading.total.map {
                ChartPoint(date: reading.day.date, value: $0, flagged: flagged.contains(reading.day))
            }
        }
        var reliableBand: ChartBand?
        if let threshold = instrument.interpretation.reliableChange?.threshold,
            let intake = points.first?.value
        {
            let range = instrument.scoring.range
            reliableBand = ChartBand(
                label: t(
                    "pålidelig ændring fra start (±\(number(threshold)))",
                    "reliable change from intake (±\(number(threshold)))"),
                low: max(range.lowerBound, intake - threshold),
                high: min(range.upperBound, intake + threshold))
        }
        var expectedBand: ChartBand?
        if let bands = engine.expected[instrument.id], let intake = points.first?.value {
            let bandPoints = series.enumerated().compactMap { index, reading -> ChartBandPoint? in
                bands.band(intake: intake, session: index + 1).map {
                    ChartBandPoint(date: reading.day.date, low: $0.low, high: $0.high)
                }
            }
            let cases = series.indices.compactMap { bands.band(intake: intake, session: $0 + 1)?.cases }.min()
            if bandPoints.count >= 2, let cases {
                expectedBand = ChartBand(
                    label: t(
                        "forventet fra \(cases)+ lignende forløb (10.–90. percentil)",
                        "expected from \(cases)+ similar courses (10th–90th percentile)"),
                    points: bandPoints)
            }
        }
        return ChartPanel(
            title: title, yRange: instrument.scoring.range,
            series: [ChartSeries(name: instrument.abbreviation, points: points)], cutoff: cutoff,
            reliableBand: reliableBand,
            expectedBand: expectedBand)
    }

    /// One short paragraph per instrument: first and latest score, the change and whether it is
    /// reliable, the standing against the cut-off, and the open flags.
    func summary(_ instruments: [Instrument], width: Int) -> String {
        let t = context.text
        var lines: [String] = []
        for instrument in instruments {
            let series = history.series(instrument.id).filter { $0.total != nil }
            guard let first = series.first, let last = series.last else { continue }
            if instrument.goals != nil {
                lines.append(wrap(goalSummary(instrument, series), width: width, indent: "  "))
                continue
            }
            var line = "\(instrument.abbreviation): "
            if series.count == 1 {
                line += t(
                    "én måling, \(localized(first.total!)) den \(first.day).",
                    "one measurement, \(localized(first.total!)) on \(first.day).")
            } else {
                let assessment = ChangeCalculator.assess(
                    pre: first.total!, post: last.total!, instrument: instrument, age: last.age)
                let change = (assessment.change > 0 ? "+" : "") + localized(assessment.change)
                line += t(
                    "\(series.count) målinger, først \(localized(first.total!)) (\(first.day)), senest \(localized(last.total!)) (\(last.day)); ændring \(change), ",
                    "\(series.count) measurements, first \(localized(first.total!)) (\(first.day)), latest \(localized(last.total!)) (\(last.day)); change \(change), "
                )
                switch assessment.category == .undetermined ? nil : assessment.reliableDirection {
                case nil:
                    line += t(
                        "retningen er ikke angivet, så ændringen vurderes ikke.",
                        "the direction is not set, so the change is not judged.")
                case 1: line += t("en pålidelig bedring.", "a reliable improvement.")
                case -1: line += t("en pålidelig forværring.", "a reliable deterioration.")
                default: line += t("ikke en pålidelig ændring.", "not a reliable change.")
                }
            }
            if instrument.scoring.directionStated,
                let cutoff = instrument.interpretation.cutoff(forAge: last.age)
            {
                let value = cutoff.value(direction: instrument.scoring.direction)
                switch Standing(last.total!, cutoff: value, direction: instrument.scoring.direction) {
                case .clinical:
                    line += t(
                        " Senest på den kliniske side af grænsen \(localized(value)).",
                        " Latest on the clinical side of the cut-off \(localized(value)).")
                case .onCutoff:
                    line += t(
                        " Senest lige på grænsen \(localized(value)).",
                        " Latest exactly on the cut-off \(localized(value)).")
                case .functional:
                    line += t(
                        " Senest på den gode side af grænsen \(localized(value)).",
                        " Latest on the good side of the cut-off \(localized(value)).")
                }
            }
            line += openFlagsText(instrument)
            lines.append(wrap(line, width: width, indent: "  "))
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    /// Each goal's first and latest rating and whether the change is reliable.
    private func goalSummary(_ instrument: Instrument, _ series: [Reading]) -> String {
        let t = context.text
        let threshold = instrument.interpretation.reliableChange?.threshold
        var parts: [String] = []
        for goal in history.goals where goal.instrument == instrument.id {
            let ratings = series.compactMap { $0.part(goal.id) }
            guard let first = ratings.first, let latest = ratings.last else { continue }
            var text = "\"\(TerminalText.sanitized(goal.text))\" " + localized(first)
            if ratings.count > 1 {
                let change = latest - first
                text += " → \(localized(latest)) (" + (change > 0 ? "+" : "") + localized(change)
                if let threshold, abs(change) >= threshold {
                    text +=
                        change > 0
                        ? t(", pålidelig bedring", ", reliable improvement")
                        : t(", pålidelig forværring", ", reliable deterioration")
                }
                text += ")"
            }
            if goal.retired != nil { text += t(" (afsluttet)", " (retired)") }
            parts.append(text)
        }
        return "\(instrument.abbreviation): " + parts.joined(separator: "; ") + "."
            + openFlagsText(instrument)
    }

    /// The instrument's open flags by their reasons, each cleared one with the measurement that
    /// cleared it, so the summary never shows a passed reason as if it held.
    private func openFlagsText(_ instrument: Instrument) -> String {
        let t = context.text
        let open = flags.filter { $0.instrument == instrument.id && $0.isOpen }
        guard !open.isEmpty else { return "" }
        return t(" Åbne flag: ", " Open flags: ")
            + open.map { flag in
                let reason = flag.reason[context.language]
                guard let day = flag.clearedOn else { return reason }
                return reason.dropLast(reason.hasSuffix(".") ? 1 : 0)
                    + t(
                        " (ikke længere aktuelt efter målingen \(day)).",
                        " (cleared by the measurement of \(day)).")
            }.joined(separator: " ")
    }

    private func localized(_ value: Double) -> String {
        let text = number(value)
        return context.language.decimal(text)
    }
}

/// `pejling chart --case ID`.
enum ChartCommand {
    static let spec = CommandSpec(
        path: ["chart"],
        abstract: HelpText(
            da: "Vis en sags scorer over tid med grænse, pålidelig ændring og flag.",
            en: "Chart a case's scores over time, with cut-off, reliable change and flags."),
        discussion: HelpText(
            da: """
                Ét diagram pr. instrument på en fælles tidsakse, hvor datoerne står med den virkelige afstand.
                Den kliniske grænse er en linje med navn; båndet om første måling viser pålidelig ændring; når
                nok af databasens egne sager står bag, viser det forventede bånd, hvor lignende forløb gik hen.
                Under diagrammet står et tekstresumé, som en skærmlæser kan læse. --ascii tegner med 7-bit tegn.
                """,
            en: """
                One panel per instrument on a shared date axis, dates spaced by real time. The clinical
                cut-off is a labelled line; the band around intake shows reliable change; when enough of
                this store's own cases back it, the expected band shows where similar courses went. Under
                the chart, a text summary a screen reader can read. --ascii draws with 7-bit characters.
                """),
        options: [
            .value("case", "ID", HelpText(da: "Sagen.", en: "The case.")),
            .value("instrument", "ID", HelpText(da: "Kun dette instrument.", en: "Only this instrument.")),
            .value(
                "width", "N",
                HelpText(
                    da: "Bredde i tegn (standard: COLUMNS, terminalen, ellers 80).",
                    en: "Width in columns (default: COLUMNS, the terminal, else 80).")),
            .value(
                "height", "N",
                HelpText(da: "Rækker pr. diagram (standard 12).", en: "Plot rows per panel (default 12).")),
        ], required: ["case"])

    static let command = Pejling.Command(spec: spec, handler: run)

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let caseID = try arguments.caseID()
        let width = try context.width(option: arguments["width"])
        let height =
            try arguments.integer("height", in: 4...60) { raw in
                context.text(
                    "Højden '\(raw)' er ikke et tal fra 4 til 60.",
                    "The height '\(raw)' is not a number from 4 to 60.")
            } ?? 12
        if let only = arguments["instrument"] { _ = try context.instrument(only) }
        let (index, engine) = try context.caseView(caseID, bandsMayLag: true)
        try context.audit("chart", caseID: caseID)
        let history = try context.history(caseID, in: index)
        let chart = CaseChart(
            context: context, history: history, flags: engine.flags(for: history), engine: engine)
        let instruments = try chart.instruments(only: arguments["instrument"])
        guard !instruments.isEmpty else {
            context.console.writeLine(context.text("Ingen målinger at vise.", "No measurements to show."))
            return
        }
        context.console.write(chart.render(instruments, options: chart.options(width: width, height: height)))
        context.console.writeLine()
        context.console.write(chart.summary(instruments, width: width))
    }
}
