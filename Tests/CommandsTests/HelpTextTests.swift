import Foundation
import TestSupport
import Testing

@testable import Commands

// Every help text in Danish and English, pinned by golden files as swift-argument-parser pins its
// examples' help. A text can only be written in both languages (HelpText has no one-language
// initialiser); these tests catch one left untranslated or empty.

private let pages: [[String]] =
    [[], ["instruments"]] + Pejling.commands.map(\.spec.path)

@Suite struct HelpTextTests {
    @Test(arguments: ["da", "en"])
    func everyHelpPageMatchesItsGoldenFile(language: String) {
        for path in pages {
            let result = run(["--lang", language] + path + ["--help"])
            #expect(result.status == .success, "\(path)")
            #expect(result.errors.isEmpty, "\(path)")
            let name = (["help"] + (path.isEmpty ? ["pejling"] : path) + [language]).joined(separator: "-")
            assertSnapshot(result.output, named: name)
        }
    }

    @Test func everyHelpTextIsGivenInBothLanguagesAndTranslated() {
        var texts: [(String, HelpText)] = [("overview", Pejling.overview)]
        for command in Pejling.commands {
            let name = command.spec.path.joined(separator: " ")
            texts.append((name + " abstract", command.spec.abstract))
            if !command.spec.discussion.isEmpty {
                texts.append((name + " discussion", command.spec.discussion))
            }
            texts += command.spec.positionalHelp.map { (name + " " + $0.0, $0.1) }
            texts += command.spec.options.map { (name + " --" + $0.name, $0.help) }
        }
        texts += (Pejling.globalOptions + Pejling.toolOptions).map { ("--" + $0.name, $0.help) }
        #expect(texts.count > 100)
        for (place, text) in texts {
            #expect(!text.da.isEmpty && !text.en.isEmpty, "\(place)")
            #expect(text.da != text.en, "\(place) is the same in both languages: \(text.en)")
        }
    }

    @Test func helpIsWrappedToTheScreen() {
        for width in [60, 100] {
            let result = run(["--lang", "da", "ask", "--help"], variables: ["COLUMNS": String(width)])
            // Example command lines stand as they are, to be copied.
            let lines = result.output.split(separator: "\n").filter {
                !$0.hasPrefix("  pejling ") && !$0.hasPrefix("  printf ")
            }
            #expect(lines.count > 30)
            #expect(lines.allSatisfy { $0.count <= width }, "\(lines.filter { $0.count > width })")
        }
    }

    @Test func usageErrorsSpeakTheUsersLanguage() {
        let danish = run(["--lang", "da", "ask", "ors", "--casee", "K-1"])
        #expect(danish.status == .usage)
        #expect(
            danish.errors.hasPrefix("Fejl: Ukendt tilvalg '--casee'. Mente du '--case'?\nBrug: pejling ask"))
        #expect(danish.errors.hasSuffix("  Se 'pejling ask --help' for mere hjælp.\n"))
        let english = run(["--lang", "en", "ask", "ors", "--casee", "K-1"])
        #expect(
            english.errors.hasPrefix(
                "Error: Unknown option '--casee'. Did you mean '--case'?\nUsage: pejling ask"))
    }

    @Test func theDanishDemoSpeaksDanish() throws {
        let result = run(["--lang", "da", "demo", "--store", try temporaryFolder()])
        #expect(result.status == .success, "\(result.errors)")
        // The citizens' own words stand in double quotes and may be in any language, commands to
        // type in single quotes or on lines of their own; the rest is Danish.
        func outsideQuotes(_ text: String, _ quote: Character) -> String {
            text.split(separator: quote, omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: " ")
        }
        let prose = result.output.split(separator: "\n").filter { !$0.hasPrefix("  swift run pejling") }
            .joined(separator: "\n")
        let words = outsideQuotes(outsideQuotes(prose, "\""), "'").split { !$0.isLetter }.map {
            $0.lowercased()
        }
        #expect(words.count > 500)
        let english: Set = [
            "the", "and", "of", "with", "is", "are", "was", "this", "that", "which", "from", "cases", "flags",
            "open", "measurement", "measurements", "change", "reliable", "latest", "first", "not", "none",
            "week", "weeks", "month", "months", "days", "score", "worker", "goal", "goals", "on", "by",
            "when", "there",
            "improved", "recovered", "unchanged", "deteriorated", "since", "more", "team", "review",
            "overdue",
        ]
        #expect(Set(words).intersection(english).isEmpty, "\(Set(words).intersection(english).sorted())")
    }
}

@Suite struct DanishMessagesTests {
    @Test func theStoresErrorsAndProblemsSpeakDanish() throws {
        let missing = run([
            "--lang", "da", "--store", "/nonexistent-pejling-store", "history", "--case", "K-1",
        ])
        #expect(missing.errors.hasPrefix("Fejl: Der er ingen database i /nonexistent-pejling-store."))
        let cpr = run(["--lang", "da", "ask", "ors", "--case", "010190-1234", "--answers", "1,2,3,4"])
        #expect(cpr.errors.hasPrefix("Fejl: Sags-id'et ligner et CPR-nummer."))
        let variables = try storeVariables()
        #expect(
            run(["ask", "ors", "--case", "K-1", "--answers", "1,2,3,4"], variables: variables).status
                == .success)
        let journal = try #require(
            try FileManager.default.contentsOfDirectory(atPath: variables["PEJLING_STORE"]! + "/journals")
                .first)
        let handle = try #require(
            FileHandle(forWritingAtPath: variables["PEJLING_STORE"]! + "/journals/" + journal))
        handle.seekToEndOfFile()
        handle.write(Data("not a record\n".utf8))
        try handle.close()
        let check = run(["--lang", "da", "check"], variables: variables)
        #expect(check.status == .dataError)
        #expect(check.output.contains(":2: ikke en post ("))
        // The line, and the test's store folder, which others may read.
        #expect(check.errors == "Fejl: 2 problemer i databasen.\n")
        let english = run(["--lang", "en", "check"], variables: variables)
        #expect(english.output.contains(":2: not a record ("))
        #expect(english.errors == "Error: 2 problems in the store.\n")
    }

    @Test func aPaperFormFileIsCheckedInDanish() throws {
        let folder = try temporaryFolder()
        let file = folder + "/forms.csv"
        try """
        id,recorded,case,date,instrument,version,worker,respondent,age,comment,ors.individually,ors.interpersonally,ors.socially,ors.overall
        ,,K-1,2026-13-01,ors,,,citizen,,,4,x,5,11

        """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = run(["--lang", "da", "import", file], variables: try storeVariables())
        #expect(result.status == .dataError)
        #expect(
            result.errors == """
                Fejl: 3 problemer i \(file); intet er importeret:
                  række 2, kolonne date: '2026-13-01' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, fx 2026-03-14
                  række 2, kolonne ors.interpersonally: 'x' er ikke et gyldigt svar: ikke et tal
                  række 2, kolonne ors.overall: '11' er ikke et gyldigt svar: uden for 0–10

                """)
    }

    @Test func aFHIRResponseIsCheckedInDanish() throws {
        let response = packageRoot.appendingPathComponent(
            "Tests/InterchangeTests/Fixtures/sdc-phq-9-response-stated-13.json"
        ).path
        let result = run(["--lang", "da", "import", response], variables: try storeVariables())
        #expect(result.status == .dataError)
        #expect(result.errors.hasPrefix("Fejl: 2 problemer i \(response); intet er importeret:"))
        #expect(
            result.errors.contains(
                "subject er http://hl7.org/fhir/Patient/proband, ikke et sags-id: giv --case ID"))
        #expect(result.errors.contains("nævner intet kendt instrument"))
        let english = run(["--lang", "en", "import", response], variables: try storeVariables())
        #expect(english.errors.contains("the subject is http://hl7.org/fhir/Patient/proband, not a case id"))
    }

    @Test func aQuestionnaireFromOthersIsReportedInDanish() throws {
        let form = packageRoot.appendingPathComponent(
            "Tests/InterchangeTests/Fixtures/sdc-all-data-types.json"
        ).path
        let variables = try storeVariables().merging(["PEJLING_INSTRUMENTS": try temporaryFolder()]) { $1 }
        let result = run(["--lang", "da", "import", form], variables: variables)
        #expect(result.status == .dataError)
        #expect(result.errors.hasPrefix("Fejl: Questionnaire'et har dele, Pejling ikke kan gengive:\n"))
        #expect(
            result.errors.contains(
                "id-date: type 'date': Pejling stiller kun skalaer, valg, tal, ja/nej og tekst"))
        #expect(result.errors.contains("Importér med --lossy for at udelade dem"))
    }
}

@Test func historyAndOutcomesWriteDanishNumbersWithADecimalComma() throws {
    let variables = try storeVariables()
    for (date, answers) in [("2026-03-01", "4.2,5,3.8,6.1"), ("2026-03-08", "6.5,6,7,6")] {
        #expect(
            run(["ask", "ors", "--case", "K-1", "--date", date, "--answers", answers], variables: variables)
                .status
                == .success)
    }
    let history = run(["--lang", "da", "history", "--case", "K-1"], variables: variables).output
    #expect(history.contains("19,1") && !history.contains("19.1"))
    let outcomes = run(["--lang", "da", "outcomes"], variables: variables).output
    #expect(outcomes.contains("19,1") && outcomes.contains("25,5") && outcomes.contains("+6,4"))
    // CSV keeps the point its readers expect; csv-da is the Danish spreadsheet's.
    #expect(
        run(["--lang", "da", "history", "--case", "K-1", "--format", "csv"], variables: variables).output
            .contains(",19.1,"))
    #expect(run(["--lang", "en", "outcomes"], variables: variables).output.contains("19.1"))
}
