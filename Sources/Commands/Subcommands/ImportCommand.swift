import Foundation
import InstrumentModel
import Interchange
import Storage
import Support

/// `pejling import FILE`: a FHIR Questionnaire as an instrument, or administrations from FHIR or CSV.
enum ImportCommand {
    static let spec = CommandSpec(
        path: ["import"],
        abstract: HelpText(
            da: "Importér et instrument (FHIR Questionnaire) eller besvarelser (FHIR, CSV).",
            en: "Import an instrument (FHIR Questionnaire) or administrations (FHIR, CSV)."),
        discussion: HelpText(
            da: """
                Det, FILE indeholder, afgør, hvad der importeres ('-' er standardinput):

                Et FHIR R4 Questionnaire bliver en instrumentfil <id>.json i organisationens
                instrumentmappe (--instruments DIR eller PEJLING_INSTRUMENTS). En eksisterende fil erstattes
                aldrig, og heller ikke et medfølgende instrument. Id'et er Questionnaire'ets id, name,
                slutningen af dets url eller dets LOINC-kode (eller --id ID). Svarmuligheder læses fra
                answerOption (coding, integer, string, date, time) eller et ValueSet i selve
                Questionnaire'et, og mulighederne begrænser svarene. Totalen er summen af de spørgsmål,
                hvis muligheder har ordinalværdier (ordinalValue, itemWeight, iso21090-CO-value) eller som
                tager tal; et spørgsmål, hvis muligheder ingen har, stilles og gemmes, men scores ikke.
                Display-, skjulte og beregnede spørgsmål stilles ikke; en beregnet total regner Pejling selv
                ud. Importen viser, hvad der scores, hvad der stilles uden at blive scoret, og hvad der
                ikke stilles.

                FHIR siger ikke, hvilken vej der er bedst: giv --lower-is-better eller --higher-is-better.
                Uden nogen af dem står retningen som "unset", og der beregnes ingen flag eller
                ændringskategorier, før den er sat i instrumentfilen sammen med grænser og pålidelig ændring.

                Dele, Pejling ikke kan gengive (betinget visning, udtryk, eksterne value sets, spørgsmålstyper
                som attachment), vises efter linkId med grunden og stopper importen; --lossy udelader dem.
                Et linkId, der bruges to gange, er en fejl.

                Et FHIR QuestionnaireResponse, eller et Bundle af dem (som 'pejling export --format fhir'
                skriver), bliver besvarelser af det instrument, som dets questionnaire-URL nævner. Sagen er
                subject'ets identifikatorværdi; --case ID giver den for hvert svar i filen, --case-map FILE
                oversætter subjects (en reference som Patient/17, en identifikatorværdi eller system|value)
                til sags-id'er, én 'subject,case' pr. linje. Svar læses efter linkId, og scorerne regnes
                igen; en total-Observation eller et beregnet total-spørgsmål, der er uenig, vises efter
                linkId, og den genberegnede score importeres. Datokolonnen beholder dagen fra 'authored'.

                En CSV-fil i layoutet fra 'pejling export --format csv' eller csv-da (kendes på
                overskriften) bliver besvarelser: papirskemaer tastet ind i bunker. Lad id-kolonnen være tom
                for nye rækker. Hver række tjekkes (instrument, sags-id, dato, hvert svar), og hvert
                problem vises med række og kolonne.

                Intet skrives, medmindre alt er gyldigt. Poster beholder de id'er, filen har, og id'er, der
                allerede er i databasen, springes over, så samme fil importeret to gange tilføjer intet.
                --dry-run viser, hvad der ville blive skrevet.

                EKSEMPLER:
                  pejling --instruments ./instrumenter import phq-9.questionnaire.json --lower-is-better
                  pejling import phq-9.response.json --case K-17
                  pejling import export.fhir.json --dry-run
                  pejling import papirskemaer.csv
                  iconv -f latin1 -t utf-8 gammelt-system.csv | pejling import -
                """,
            en: """
                What FILE holds decides what is imported ('-' is standard input):

                A FHIR R4 Questionnaire becomes an instrument file <id>.json in the organisation's
                instrument folder (--instruments DIR or PEJLING_INSTRUMENTS). An existing file is never
                replaced, nor a shipped instrument. The id is the Questionnaire's id, name, the end of
                its url or its LOINC code (or --id ID). Answer options are read from answerOption
                (coding, integer, string, date, time) or a ValueSet contained in the Questionnaire,
                and options restrict the answers. The total is the sum of the items whose options have
                ordinal values (ordinalValue, itemWeight, iso21090-CO-value) or that take numbers; an
                item whose options have none is asked and stored but not scored. Display, hidden and
                calculated items are not asked; a calculated total is recomputed by Pejling. The import
                lists what is scored, what is asked but not scored, and what is not asked.

                FHIR does not say which way is better: give --lower-is-better or --higher-is-better.
                Without either the direction is left "unset" and no flags or change categories are
                computed until it is set in the instrument file, with its cut-offs and reliable change.

                Parts Pejling cannot represent (conditional display, expressions, external value sets,
                item types such as attachment) are listed by linkId with the reason and stop the
                import; --lossy leaves them out. A linkId used twice is an error.

                A FHIR QuestionnaireResponse, or a Bundle of them (as 'pejling export --format fhir'
                writes), becomes administrations of the instrument its questionnaire URL names. The case
                is the subject's identifier value; --case ID gives it for every response in the file,
                --case-map FILE maps subjects (a reference such as Patient/17, an identifier value, or
                system|value) to case ids, one 'subject,case' per line. Answers are read by linkId and
                scores recomputed; a total Observation or a calculated total item that disagrees is
                reported by linkId, and the recomputed score imported. The date column keeps the day
                of 'authored'.

                A CSV file in the layout of 'pejling export --format csv' or csv-da (found from the
                header) becomes administrations: paper forms typed in bulk. Leave the id column empty
                for new rows. Every row is checked (instrument, case id, date, every answer) and every
                problem reported by row and column.

                Nothing is written unless everything is valid. Records keep the ids the file carries, and
                ids already in the store are skipped, so importing a file twice adds nothing. --dry-run
                shows what would be written.

                EXAMPLES:
                  pejling --instruments ./instrumenter import phq-9.questionnaire.json --lower-is-better
                  pejling import phq-9.response.json --case K-17
                  pejling import export.fhir.json --dry-run
                  pejling import paper-forms.csv
                  iconv -f latin1 -t utf-8 old-system.csv | pejling import -
                """),
        positionals: "<file>",
        positionalHelp: [
            (
                "<file>",
                HelpText(
                    da:
                        "En FHIR JSON-ressource (Questionnaire, QuestionnaireResponse, Bundle) eller CSV; '-' læser standardinput.",
                    en:
                        "A FHIR JSON resource (Questionnaire, QuestionnaireResponse, Bundle) or CSV; '-' reads standard input."
                )
            )
        ],
        options: [
            .flag(
                "dry-run",
                HelpText(
                    da: "Tjek og vis, hvad der ville blive skrevet; skriv intet.",
                    en: "Check and show what would be written; write nothing.")),
            .flag(
                "lossy",
                HelpText(
                    da: "Importér et Questionnaire og udelad det, der ikke kan gengives.",
                    en: "Import a Questionnaire leaving out what cannot be represented.")),
            .flag(
                "lower-is-better",
                HelpText(
                    da: "Lavere scorer er bedre i det importerede Questionnaire (PHQ-9, GAD-7).",
                    en: "The imported Questionnaire's lower scores are better (PHQ-9, GAD-7).")),
            .flag(
                "higher-is-better",
                HelpText(
                    da: "Højere scorer er bedre i det importerede Questionnaire.",
                    en: "The imported Questionnaire's higher scores are better.")),
            .value(
                "max-skipped", "N",
                HelpText(
                    da: "Scorede spørgsmål, der må springes over og stadig give en (forholdsmæssig) total.",
                    en: "Scored items that may be skipped and still give a (prorated) total.")),
            .value(
                "id", "ID",
                HelpText(
                    da: "Instrument-id'et for det importerede Questionnaire.",
                    en: "The instrument id for the imported Questionnaire.")),
            .value(
                "case", "ID",
                HelpText(
                    da: "Sagen for hvert FHIR-svar i filen, uanset dets subject.",
                    en: "The case of every FHIR response in the file, whatever its subject.")),
            .value(
                "case-map", "FILE",
                HelpText(
                    da: "Sags-id'er efter svarets subject: linjer 'subject,case'.",
                    en: "Case ids by response subject: lines 'subject,case'.")),
        ], positionalCount: 1...1)

    static let command = Pejling.Command(spec: spec, handler: run)

    static func run(_ context: Context, _ arguments: ParsedArguments) throws(CommandError) {
        // '-' is standard input, named in messages as the system names it.
        let path = arguments.positionals[0] == "-" ? "/dev/stdin" : arguments.positionals[0]
        let bytes = try readBytes(path, language: context.language)
        let start = firstCharacter(bytes)
        let responseOptions = ["case", "case-map"].filter { arguments[$0] != nil }
        let questionnaireOptions =
            ["lower-is-better", "higher-is-better"].filter { arguments.has($0) }
            + ["max-skipped", "id"].filter { arguments[$0] != nil }
        if start == "[" {
            let danish = context.language == .da
            throw .data(
                danish
                    ? "\(path) er en JSON-liste, og Pejling importerer én FHIR-ressource ad gangen: et Questionnaire, et QuestionnaireResponse eller et Bundle af svar. Læg svarene i et Bundle (som 'pejling export --format fhir' skriver det), eller importér dem én fil ad gangen."
                    : "\(path) is a JSON array, and Pejling imports one FHIR resource at a time: a Questionnaire, a QuestionnaireResponse or a Bundle of responses. Put the responses in a Bundle (as 'pejling export --format fhir' writes it), or import them one file at a time."
            )
        }
        guard start == "{" else {
            if let option = (responseOptions + questionnaireOptions).first {
                throw .usage(
                    "--\(option) does not apply to a CSV file: give the case and instrument in its columns.",
                    command: spec.path)
            }
            let facts = try storeFacts(context)
            // A dry run counts the records as the file is checked. An import counts them as it
            // writes them, in a second pass that makes them again rather than keeping them all.
            let dryRun = arguments.has("dry-run")
            var checked = Tally(existing: facts)
            let table = try table(bytes, path: path, context: context, held: facts.goalsSet) { record in
                if dryRun { _ = checked.add(record) }
            }
            try importRecords(
                table, counted: dryRun ? checked : nil, existing: facts, warnings: table.warnings,
                path: path,
                context, arguments)
            return
        }
        let resource = try json(String(decoding: bytes, as: UTF8.self), path: path, context)
        if resource["resourceType"] == "Questionnaire" {
            if let option = responseOptions.first {
                throw .usage(
                    "--\(option) applies to responses, and \(path) is a Questionnaire. Leave it out.",
                    command: spec.path)
            }
            try importQuestionnaire(resource, path: path, context, arguments)
            return
        }
        if let option = questionnaireOptions.first {
            throw .usage(
                "--\(option) applies to a Questionnaire, and \(path) is not one. Leave it out.",
                command: spec.path)
        }
        try importResponses(resource, path: path, context, arguments)
    }

    /// The JSON document `text` holds, or an error naming where and why it is not JSON.
    private static func json(_ text: String, path: String, _ context: Context) throws(CommandError)
        -> JSONValue
    {
        do {
            return try JSONParser.parse(text).root
        } catch {
            throw .data(
                context.text(
                    "\(path): \(error.position): filen er ikke JSON: \(error.danishMessage); \(error.danishFix).",
                    "\(path): \(error.position): the file is not JSON: \(error.message); \(error.fix)."))
        }
    }

    /// Imports the FHIR responses of `resource`, each to the case `--case` or `--case-map` gives.
    private static func importResponses(
        _ resource: JSONValue, path: String, _ context: Context, _ arguments: ParsedArguments
    ) throws(CommandError) {
        let imported: RecordImport
        let facts = try storeFacts(context)
        var setting = try setting(context, held: facts.goalsSet)
        setting.caseID = arguments["case"]
        if let mapFile = arguments["case-map"] {
            setting.caseMap = try caseMap(mapFile, language: context.language)
        }
        do {
            imported = try ResponseImport.records(from: resource, setting: setting)
        } catch {
            throw problems(error, path: path, context)
        }
        try importRecords(
            imported.records, existing: facts, warnings: imported.warnings, path: path, context, arguments
        )
    }

    /// The first character of `bytes` that is not white space or a byte order mark, read as UTF-8.
    private static func firstCharacter(_ bytes: [UInt8]) -> Unicode.Scalar? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while case .valid(let encoded) = parser.parseScalar(from: &iterator) {
            let scalar = Unicode.UTF8.decode(encoded)
            if !scalar.properties.isWhitespace && scalar != "\u{FEFF}" { return scalar }
        }
        return nil
    }

    /// Returns the text of `path`, or an error that names the path and what to do.
    static func readFile(_ path: String, language: Language) throws(CommandError) -> String {
        String(decoding: try readBytes(path, language: language), as: UTF8.self)
    }

    /// The most bytes an import (or a case map) is read to: a file of more is not what was meant,
    /// or is a device that never ends (/dev/zero).
    static let inputLimit = 1 << 30

    /// Returns the bytes of `path`, which are UTF-8, or an error that names
    /// the path and what to do. A pipe or a device is read to its end.
    static func readBytes(_ path: String, language: Language) throws(CommandError) -> [UInt8] {
        func t(_ da: String, _ en: String) -> String { language == .da ? da : en }
        let bytes: [UInt8]
        do throws(InputFileProblem) {
            bytes = try FileDescriptor.readInput(path, limit: inputLimit)
        } catch {
            switch error {
            case .missing:
                throw .failure(
                    t(
                        "Der er ingen fil \(path). Tjek stien og stavningen af navnet.",
                        "There is no file \(path). Check the path and the spelling of its name."))
            case .folder:
                throw .usage(
                    t(
                        "\(path) er en mappe, ikke en fil. Giv én fil i den: en FHIR JSON-ressource eller en CSV-fil.",
                        "\(path) is a folder, not a file. Give one file in it: a FHIR JSON resource or a CSV file."
                    ),
                    command: spec.path)
            case .denied:
                throw .failure(
                    t(
                        "Du har ikke lov til at læse \(path). Tjek rettighederne med 'ls -l \(path)'.",
                        "You don't have permission to read \(path). Check its permissions with 'ls -l \(path)'."
                    ))
            case .tooBig(let limit):
                throw .data(
                    t(
                        "\(path) er større end \(limit >> 20) MiB: det kan ikke være det, der skulle importeres. Del den i mindre filer og importér dem én ad gangen.",
                        "\(path) is larger than \(limit >> 20) MiB, more than an import is meant to hold. Split it into smaller files and import them one at a time."
                    ))
            case .other(let reason):
                throw .failure(
                    t(
                        "Kan ikke læse \(path): \(reason). Tjek filen og prøv igen.",
                        "Cannot read \(path): \(reason). Check the file and try again."))
            }
        }
        guard !bytes.isEmpty else {
            throw .data(
                t(
                    "\(path) er tom: der er intet at importere. Giv en FHIR JSON-ressource (Questionnaire, QuestionnaireResponse, Bundle) eller en CSV-fil.",
                    "\(path) is empty: there is nothing to import. Give a FHIR JSON resource (Questionnaire, QuestionnaireResponse, Bundle) or a CSV file."
                )
            )
        }
        // Checked without making a copy: a CSV file of a million rows is read straight from its bytes.
        let notUTF8 = transcode(
            bytes.makeIterator(), from: Unicode.UTF8.self, to: Unicode.UTF8.self, stoppingOnError: true
        ) { _ in }
        guard !notUTF8 else {
            throw .data(
                t(
                    "\(path) er ikke UTF-8-tekst. Gem den som UTF-8 (JSON- og CSV-eksporter er det som regel) og importér igen.",
                    "\(path) is not UTF-8 text. Save it as UTF-8 (JSON and CSV exports usually are) and import again."
                )
            )
        }
        return bytes
    }

    /// Reads a `--case-map` file: one `subject,case` per line (`;` or a tab also separate);
    /// empty lines, lines starting with `#` and a `subject,case` header are skipped.
    static func caseMap(_ path: String, language: Language) throws(CommandError) -> [String: String] {
        let text = try readFile(path, language: language)
        var map: [String: String] = [:]
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            // The last separator splits, so a subject such as urn:oid:1.2|17 may hold the others.
            guard let cut = trimmed.lastIndex(where: { $0 == "," || $0 == ";" || $0 == "\t" }) else {
                throw .data(
                    "\(path), line \(index + 1): '\(trimmed)' has no comma. Write the subject, a comma and the case id, such as 'Patient/17,K-17'."
                )
            }
            let subject = trimmed[..<cut].trimmingCharacters(in: .whitespaces)
            let caseID = trimmed[trimmed.index(after: cut)...].trimmingCharacters(in: .whitespaces)
            if index == 0 && caseID.lowercased() == "case" { continue }
            guard !subject.isEmpty, !caseID.isEmpty else {
                throw .data(
                    "\(path), line \(index + 1): the subject or the case id is empty. Write both, such as 'Patient/17,K-17'."
                )
            }
            if let earlier = map[subject], earlier != caseID {
                throw .data(
                    "\(path), line \(index + 1): '\(subject)' is mapped to both \(earlier) and \(caseID). Keep one."
                )
            }
            map[subject] = caseID
        }
        return map
    }

    private static func table(
        _ bytes: [UInt8], path: String, context: Context, held: Set<String>, each: (Record) -> Void
    ) throws(CommandError) -> CheckedTable {
        let setting = try setting(context, held: held)
        do {
            return try CheckedTable(checking: bytes, setting: setting, each: each)
        } catch {
            switch error {
            case .unterminatedQuote(let line):
                throw .data(
                    "\(path): the quoted field starting on line \(line) is never closed. Check the quotes, or that the file is CSV."
                )
            case .problems(let problems): throw Self.problems(problems, path: path, context)
            }
        }
    }

    /// What the store already holds, read once through the summary path: every record id and the
    /// goals set per case.
    private static func storeFacts(_ context: Context) throws(CommandError) -> StoredFacts {
        guard context.store().exists else { return StoredFacts() }
        return StoredFacts(try context.readSummaries(caseID: nil))
    }

    private static func setting(_ context: Context, held: Set<String>) throws(CommandError)
        -> RecordImport.Setting
    {
        RecordImport.Setting(
            catalogue: try context.catalogue(), language: context.language, writer: context.writer,
            now: context.environment.now(), heldGoals: held)
    }

    private static func problems(_ error: RecordImportError, path: String, _ context: Context) -> CommandError
    {
        let count = error.problems.count
        return .data(
            context.text(
                "\(count) problem\(count == 1 ? "" : "er") i \(path); intet er importeret:",
                "\(count) problem\(count == 1 ? "" : "s") in \(path); nothing was imported:")
                + error.problems.map { "\n  " + $0.description }.joined())
    }

    /// The records of a file that are not in the store yet, counted, and those that are.
    struct Tally {
        let existing: StoredFacts
        var fresh = RecordCounts()
        var known = 0

        /// Counts `record`, and returns whether it is new to the store.
        mutating func add(_ record: Record) -> Bool {
            if existing.holds(record.id) {
                known += 1
                return false
            }
            fresh.add(record)
            return true
        }
    }

    /// Appends the records that are not in the store yet (all or none) and says what was imported,
    /// or with `--dry-run` only says what would be, from `counted` if the records were counted
    /// already. `records` is gone through once at most.
    private static func importRecords(
        _ records: some Sequence<Record>, counted: Tally? = nil, existing: StoredFacts, warnings: [String],
        path: String, _ context: Context, _ arguments: ParsedArguments
    ) throws(CommandError) {
        for warning in warnings {
            context.console.writeError(context.text("Advarsel: ", "Warning: ") + warning + "\n")
        }
        let dryRun = arguments.has("dry-run")
        var tally = Tally(existing: existing)
        if dryRun {
            if let counted {
                tally = counted
            } else {
                for record in records { _ = tally.add(record) }
            }
        } else {
            do {
                try context.store().append(records: records.lazy.filter { tally.add($0) })
            } catch {
                throw .failure(
                    context.describe(error) + context.text(" Intet er importeret.", " Nothing was imported."))
            }
            let fresh = tally.fresh
            try context.auditChange(
                "import", caseID: fresh.cases.count == 1 ? fresh.cases.first : nil,
                done: (
                    "\(fresh.records) poster fra \(path) er importeret.",
                    "\(fresh.records) records from \(path) were imported."
                ))
        }
        let fresh = tally.fresh
        let known = tally.known
        let administrations = fresh.administrations
        context.console.writeLine(
            dryRun
                ? context.text(
                    "Prøvekørsel: \(administrations) besvarelser ville blive importeret fra \(path); intet er skrevet.",
                    "Dry run: \(administrations) administrations would be imported from \(path); nothing was written."
                )
                : context.text(
                    "Importeret: \(administrations) besvarelser fra \(path).",
                    "Imported: \(administrations) administrations from \(path)."))
        if fresh.records > administrations {
            context.console.writeLine(
                context.text(
                    "Og \(fresh.records - administrations) mål med deres ordlyd.",
                    "And \(fresh.records - administrations) goals with their wording."))
        }
        for row in fresh.rows {
            context.console.writeLine("  \(row.instrument.padding(16))\(row.caseID.padding(20))\(row.count)")
        }
        if known > 0 {
            context.console.writeLine(
                context.text(
                    "\(known) poster findes allerede i databasen og er sprunget over.",
                    "\(known) records are already in the store and were skipped."))
        }
    }

    private static func importQuestionnaire(
        _ resource: JSONValue, path: String, _ context: Context, _ arguments: ParsedArguments
    ) throws(CommandError) {
        guard let directory = context.instrumentsDirectory else {
            throw .usage(
                context.text(
                    "Et Questionnaire bliver en instrumentfil i organisationens instrumentmappe: giv --instruments MAPPE (eller sæt PEJLING_INSTRUMENTS).",
                    "A Questionnaire becomes an instrument file in the organisation's instrument folder: give --instruments DIR (or set PEJLING_INSTRUMENTS)."
                ),
                command: spec.path)
        }
        if arguments.has("lower-is-better") && arguments.has("higher-is-better") {
            throw .usage(
                context.text(
                    "Giv --lower-is-better eller --higher-is-better, ikke begge.",
                    "Give --lower-is-better or --higher-is-better, not both."), command: spec.path)
        }
        var options = QuestionnaireImport.Options(
            lossy: arguments.has("lossy"), id: arguments["id"], language: context.language)
        if arguments.has("lower-is-better") { options.direction = .lowerIsBetter }
        if arguments.has("higher-is-better") { options.direction = .higherIsBetter }
        if let count = try arguments.integer(
            "max-skipped", in: 0...Int.max,
            problem: { "--max-skipped takes a whole number such as 1, not '\($0)'." })
        {
            options.maxSkipped = count
        }
        let result: QuestionnaireImport.Result
        do {
            result = try QuestionnaireImport.instrument(from: resource, file: path, options: options)
        } catch {
            throw .data(error.description)
        }
        let instrument = result.instrument
        if ShippedInstruments.ids.contains(instrument.id) {
            throw .failure(
                "\(path) has the id '\(instrument.id)', a shipped instrument; an organisation file with that id would replace it. Give the Questionnaire another id."
            )
        }
        let text = InstrumentWriter.json(instrument).rendered() + "\n"
        do {
            _ = try InstrumentReader.read(text, file: path)
        } catch {
            throw .data(error.message(context.language))
        }
        let target = (directory as NSString).appendingPathComponent("\(instrument.id).json")
        // Anything at that name counts, a link to nowhere too: writing would follow it out of the folder.
        if FileSystem.kind(target) != nil {
            throw .failure(
                context.text(
                    "\(target) findes allerede, og import erstatter aldrig en instrumentfil. Fjern eller omdøb den først, hvis Questionnaire'et skal erstatte den.",
                    "\(target) already exists, and import never replaces an instrument file. Remove or rename it first if the Questionnaire should replace it."
                )
            )
        }
        if (try? context.catalogue().instrument(instrument.id)) != nil {
            throw .failure(
                context.text(
                    "Et instrument med id'et '\(instrument.id)' findes allerede (pejling instruments show \(instrument.id)). Giv Questionnaire'et et andet med --id ID.",
                    "An instrument with the id '\(instrument.id)' is already known (pejling instruments show \(instrument.id)). Give the Questionnaire another with --id ID."
                )
            )
        }
        for loss in result.losses {
            context.console.writeError(context.text("Udeladt: ", "Left out: ") + loss.description + "\n")
        }
        let summary =
            "\(instrument.abbreviation) (\(instrument.id), \(instrument.items.count) "
            + context.text("spørgsmål stilles)", "items asked)")
        let report = questionnaireReport(result, target: target, context: context)
        guard !arguments.has("dry-run") else {
            context.console.writeLine(
                context.text(
                    "Prøvekørsel: \(summary) ville blive skrevet til \(target); intet er skrevet.",
                    "Dry run: \(summary) would be written to \(target); nothing was written."))
            context.console.write(report)
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileOutput.write(text, to: target)
        } catch let error as FileOutputError {
            throw .failure(context.describe(error))
        } catch {
            throw .failure(
                context.text(
                    "Kan ikke oprette mappen \(directory): \(error.clause). Tjek, at du må skrive der.",
                    "Cannot create the folder \(directory): \(error.clause). Check you may write there.")
            )
        }
        context.console.writeLine(
            context.text("Importeret: \(summary) til \(target).", "Imported: \(summary) to \(target)."))
        context.console.write(report)
        context.console.writeLine(
            context.text("Stil det med: ", "Ask it with: ")
                + "pejling --instruments \(directory) ask \(instrument.id) --case ID")
    }

    /// What the import made of each item, and what FHIR could not say about the instrument.
    static func questionnaireReport(_ result: QuestionnaireImport.Result, target: String, context: Context)
        -> String
    {
        let t = context.text
        var lines = [
            t(
                "Scores (summen af \(result.scored.count) spørgsmål): ",
                "Scored (the sum of \(result.scored.count) items): ")
                + result.scored.joined(separator: ", ")
        ]
        if !result.unscored.isEmpty {
            lines.append(t("Stilles, scores ikke:", "Asked, not scored:"))
            lines += result.unscored.map { "  \($0)" }
        }
        if !result.notAsked.isEmpty {
            lines.append(t("Stilles ikke:", "Not asked:"))
            lines += result.notAsked.map { "  \($0)" }
        }
        let scoring = result.instrument.scoring
        if scoring.directionStated {
            lines.append(
                scoring.direction == .lowerIsBetter
                    ? t("Retning: lavere er bedre, som givet.", "Direction: lower is better, as given.")
                    : t("Retning: højere er bedre, som givet.", "Direction: higher is better, as given."))
        } else {
            lines.append(
                t(
                    "Retning: ikke sat. FHIR siger ikke, hvilken vej der er bedst, så der beregnes ingen flag eller ændringskategorier for instrumentet, før den er sat. Importér igen med --lower-is-better eller --higher-is-better, eller ret \(target):",
                    "Direction: unset. FHIR does not say which way is better, so no flags and no change categories are computed for this instrument until it is set. Import again with --lower-is-better or --higher-is-better, or edit \(target):"
                ))
            lines.append("  \"direction\": \"lowerIsBetter\",")
        }
        lines += [
            t(
                "Grænser og pålidelig ændring står heller ikke i FHIR; tilføj dem fra instrumentets litteratur:",
                "Cut-offs and reliable change are not in FHIR either; add them from the instrument's literature:"
            ),
            "  \"interpretation\": {\"cutoffs\": [{\"value\": …, \"note\": {\"da\": \"kilde\", \"en\": \"source\"}}], \"reliableChange\": {\"points\": …}}",
        ]
        let width = (try? context.width(option: nil)) ?? 80
        return wrapLines(lines.joined(separator: "\n"), width: width) + "\n"
    }
}
