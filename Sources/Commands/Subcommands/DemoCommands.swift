import Foundation
import InstrumentModel
import Progression
import Simulation
import Storage

/// `pejling simulate` and `pejling demo`.
enum DemoCommands {
    static let simulateSpec = CommandSpec(
        path: ["simulate"],
        abstract: HelpText(
            da: "Skriv en realistisk, opdigtet database til demoer, test og målinger af hastighed.",
            en: "Write a realistic synthetic store for demos, tests and benchmarks."),
        discussion: HelpText(
            da: """
                Sagerne følger forskellige forløb (jævn bedring, tidlig bedring og så et plateau, ingen
                ændring, forværring, frafald, recovery); ORS i starten og SRS til sidst i hvert møde, Brief
                INSPIRE-O med nogle måneders mellemrum, mål med varierede egne ord (dansk og engelsk).
                Samme --seed giver altid samme database. Alt er opdigtet: ingen rigtige personer.
                """,
            en: """
                Cases follow different courses (steady improvement, early improvement then a plateau, no
                change, deterioration, drop-out, recovery); ORS at the start and SRS at the end of each
                meeting, Brief INSPIRE-O every few months, goals in varied own words (Danish and English).
                The same --seed always gives the same store. Everything is made up: no real people.
                """),
        options: [
            .value("cases", "N", HelpText(da: "Hvor mange sager.", en: "How many cases.")),
            .value(
                "seed", "N",
                HelpText(da: "Tilfældighedsfrøet (standard 1).", en: "The random seed (default 1).")),
            .value(
                "workers", "N",
                HelpText(
                    da: "Hvor mange medarbejdere deler sagerne (standard 6).",
                    en: "How many workers share the cases (default 6).")),
            .value(
                "months", "N",
                HelpText(
                    da: "Hvor langt tilbage de ældste sager begynder (standard 12).",
                    en: "How far back the oldest cases start (default 12).")),
            .flag(
                "no-decisions",
                HelpText(
                    da:
                        "Lad alle flag stå åbne (som standard får flag ældre end tre uger\nen beslutning, som et team i praksis ville have truffet).",
                    en:
                        "Leave every flag open (by default flags older than three weeks get\na decision, as a team in practice would have made)."
                )),
        ], required: ["cases"])

    static let demoSpec = CommandSpec(
        path: ["demo"],
        abstract: HelpText(
            da: "En guidet rundtur i en opdigtet database: en sags forløb, dens flag, teamets overblik.",
            en: "A guided tour on a synthetic store: a case's chart, its flags, the team review."),
        discussion: HelpText(
            da: """
                Laver en opdigtet database (i en ny midlertidig mappe, medmindre --store er givet), og viser
                så én borgers forløb, flagene på det og teamets overblik, og hvordan man går videre.
                Der spørges ikke om noget; intet virkeligt røres.
                """,
            en: """
                Makes a synthetic store (in a new temporary folder unless --store is given), then shows one
                citizen's course, the flags on it, and the team's review, and how to explore further.
                Nothing is asked; nothing real is touched.
                """),
        options: [
            .value(
                "seed", "N",
                HelpText(da: "Tilfældighedsfrøet (standard 7).", en: "The random seed (default 7)."))
        ])

    static let commands = [
        Pejling.Command(spec: simulateSpec, handler: simulate),
        Pejling.Command(spec: demoSpec, handler: demo),
    ]

    static func simulate(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let settings = SimulationSettings(
            cases: try arguments.integer("cases", in: 1...2_000_000) ?? 0,
            seed: UInt64(
                try arguments.integer("seed", in: 0...Int.max) ?? 1),
            workers: try arguments.integer("workers", in: 1...10_000) ?? 6,
            months: try arguments.integer("months", in: 1...240) ?? 12,
            today: context.environment.now())
        let settling = SettledFlags.Settings(leaveOpen: 21, step: 14)
        let summary = try run(context, settings, settling: arguments.has("no-decisions") ? nil : settling)
        let decisions = summary.decisions ?? 0
        context.console.writeLine(
            context.text(
                "Skrev \(summary.cases) sager, \(summary.administrations) besvarelser (\(summary.records) poster) og \(decisions) beslutninger i \(context.storeDirectory).",
                "Wrote \(summary.cases) cases, \(summary.administrations) administrations (\(summary.records) records) and \(decisions) decisions to \(context.storeDirectory)."
            ))
    }

    /// Simulates, and with `settling` settles the flags: as the simulation goes when it can, and
    /// otherwise (a store that held journals before) from a read of the whole store afterwards.
    /// The summary's `decisions` is nil only without `settling`.
    static func run(_ context: Context, _ settings: SimulationSettings, settling: SettledFlags.Settings?)
        throws(CommandError) -> SimulationSummary
    {
        // Always the shipped instruments, so a seed gives the same store whatever an
        // organisation's folder holds.
        let shipped: InstrumentCatalogue
        do {
            shipped = try InstrumentCatalogue.load(organisationDirectory: nil)
        } catch {
            throw .data(error.message(context.language))
        }
        var summary: SimulationSummary
        do {
            summary = try Simulator.run(
                store: context.storeDirectory, settings: settings, catalogue: shipped, settling: settling)
        } catch {
            throw .failure(context.describe(error))
        }
        if let settling, summary.decisions == nil {
            summary.decisions = try SettledFlags.settle(context, settling, seed: settings.seed)
        }
        return summary
    }

    static func demo(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        let seed = try arguments.integer("seed", in: 0...Int.max) ?? 7
        if !context.storeGiven {
            // The temporary folder of the command's environment (TMPDIR), as the shell gives it.
            let folder = context.environment.variables["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            context.storeDirectory =
                (folder.hasSuffix("/") ? String(folder.dropLast()) : folder)
                + "/pejling-demo-\(UUID().uuidString.prefix(8))"
        }
        let console = context.console
        let t = context.text
        let settling = SettledFlags.Settings(leaveOpen: 21, step: 7)
        let summary = try run(
            context,
            SimulationSettings(
                cases: 40, seed: UInt64(seed), workers: 4, months: 9, today: context.environment.now()),
            settling: settling)
        console.writeLine(
            t(
                "Pejling-demo: en opdigtet database med \(summary.cases) sager og \(summary.administrations) besvarelser i \(context.storeDirectory). Ingen rigtige mennesker.",
                "Pejling demo: a made-up store of \(summary.cases) cases and \(summary.administrations) administrations in \(context.storeDirectory). No real people."
            ))
        try tour(context)
    }

    /// The tour of the store: one citizen's course and flags, then the team's review, then the
    /// commands to go on with.
    private static func tour(_ context: Context) throws(CommandError) {
        let console = context.console
        let t = context.text
        let (index, engine) = try context.reportIndex()
        // The case to show: one not on track with the longest ORS series, so there is a story.
        let scores = index.map { score(index.history($0), engine) }
        let number = index.caseIDs.indices.max { a, b in
            scores[a] != scores[b] ? scores[a] < scores[b] : index.caseIDs[a] > index.caseIDs[b]
        }!
        let (chosen, history) = (index.caseIDs[number], index.history(number))
        console.writeLine()
        console.writeLine(
            t(
                "1. Én borgers forløb. \(chosen) har haft \(history.series("ors").count) møder: ORS i starten, SRS til sidst.",
                "1. One citizen's course. \(chosen) has had \(history.series("ors").count) meetings: ORS at the start, SRS at the end."
            ))
        console.writeLine()
        try ChartCommand.run(context, try ChartCommand.spec.parse(["--case", chosen, "--instrument", "ors"]))
        console.writeLine()
        console.writeLine(
            t(
                "2. Flagene på sagen: en anledning til en samtale, aldrig en afgørelse.",
                "2. The flags on this case: a prompt for a conversation, never a decision."))
        console.writeLine()
        try FlagsCommand.list(context, try FlagsCommand.flagsSpec.parse(["--case", chosen]))
        console.writeLine()
        console.writeLine(
            t(
                "3. Teamets overblik: hvem er ikke på sporet, hvem er ikke målt, og hvordan går det samlet.",
                "3. The team's review: who is not on track, who has not been measured, and how the service is doing."
            ))
        console.writeLine()
        try TeamCommand.run(context, try TeamCommand.spec.parse([]))
        console.writeLine()
        let store = context.storeDirectory
        console.writeLine(t("Gå videre på egen hånd:", "Explore further:"))
        for line in [
            "swift run pejling --store \(store) chart --case \(chosen)",
            "swift run pejling --store \(store) flags",
            "swift run pejling --store \(store) outcomes",
            "swift run pejling --store \(store) ask ors --case \(chosen)",
        ] {
            console.writeLine("  " + line)
        }
    }

    /// How good a case is for the tour: open not-on-track flag first, then the number of meetings.
    static func score(_ history: CaseHistory, _ engine: FlagEngine) -> Int {
        let flags = engine.flags(for: history).filter(\.isOpen)
        let onTrack = flags.contains { $0.rule == "notOnTrack" } ? 1000 : 0
        return onTrack + min(history.series("ors").count, 12) * 10 + flags.count
    }
}
