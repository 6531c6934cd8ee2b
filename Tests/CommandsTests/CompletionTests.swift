import Foundation
import Testing

@testable import Commands

/// Runs `script` in bash after loading the generated completion; returns its standard output.
private func bashCompleting(_ script: String) throws -> (status: Int32, output: String, errors: String) {
    try runProcess(
        "/bin/bash",
        ["-c", "source <(pejling --generate-completion-script bash) || exit 9\n" + script],
        environment: shellEnvironment())
}

/// Completes `words` (the last one being typed) with the bash script's function; the offers, one a line.
private func bashOffers(_ words: [String]) throws -> String {
    let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
    let result = try bashCompleting(
        "COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _pejling; printf '%s\\n' \"${COMPREPLY[@]}\"")
    #expect(result.status == 0 && result.errors.isEmpty, "\(result.errors)")
    return result.output
}

@Test func bashCompletionScriptLoadsAndCompletesAskOToOrs() throws {
    let result = try bashCompleting(
        "COMP_WORDS=(pejling ask o); COMP_CWORD=2; _pejling; printf '%s\\n' \"${COMPREPLY[@]}\"")
    #expect(result.status == 0)
    #expect(result.errors == "")
    #expect(result.output == "ors\n")
}

@Test(arguments: [
    (["pejling", "instruments", "s"], "show\n"),
    (["pejling", "hi"], "history\n"),
    (["pejling", "--l"], "--lang\n"),
    (["pejling", "--lang", ""], "da\nen\n"),
    (["pejling", "--generate-c"], "--generate-completion-script\n"),
    (["pejling", "--generate-completion-script", "z"], "zsh\n"),
    (["pejling", "history", "--format", ""], "text\njson\ncsv\n"),
    (["pejling", "decide", "--outcome", "re"], "reassess\n"),
    (["pejling", "--store", "/nowhere", "team", "--t"], "--table\n"),
    (["pejling", "ask", "ors", "--case", "K-1", "--for"], "--format\n"),
    (["pejling", "instruments", "show", "cs"], "csrs\n"),
    (["pejling", "ask", "ors", "o"], "\n"),
])
func bashCompletesCommandWordsOptionsAndChoicesFromTheSpecs(words: [String], expected: String) throws {
    #expect(try bashOffers(words) == expected)
}

@Test func bashCompletesInstrumentIDsFromTheOrganisationsFolderGivenOnTheLine() throws {
    let folder = try temporaryFolder()
    let ors = try String(
        contentsOf: packageRoot.appendingPathComponent("Instruments/ors.json"), encoding: .utf8)
    try ors.replacingOccurrences(of: "\"id\": \"ors\"", with: "\"id\": \"ors-local\"")
        .write(toFile: folder + "/ors-local.json", atomically: true, encoding: .utf8)
    #expect(try bashOffers(["pejling", "--instruments", folder, "ask", "ors"]) == "ors\nors-local\n")
}

@Test func bashCompletesCaseIDsFromTheStoreAndAuditsNothing() throws {
    let store = try temporaryFolder() + "/store"
    for id in ["K-0042", "K-0007", "B-1"] {
        let saved = run(["--store", store, "ask", "ors", "--case", id, "--answers", "5,5,5,5"])
        #expect(saved.status == .success)
    }
    let audit = {
        try FileManager.default.contentsOfDirectory(atPath: store + "/audit").map {
            try String(contentsOfFile: store + "/audit/" + $0, encoding: .utf8)
        }.joined()
    }
    let before = try audit()
    #expect(try bashOffers(["pejling", "--store", store, "chart", "--case", "K-"]) == "K-0007\nK-0042\n")
    #expect(try audit() == before)
}

@Test func completionValuesListOnlyCaseIDsOrNothingWithoutAStore() throws {
    let store = try temporaryFolder() + "/store"
    #expect(
        run(["--store", store, "ask", "srs", "--case", "K-9", "--answers", "9,9,9,9"]).status == .success)
    let listed = run(["--store", store, "--completion-values", "case"])
    #expect(listed.status == .success)
    #expect(listed.output == "K-9\n")
    #expect(listed.errors == "")
    let none = run(["--store", store + "-missing", "--completion-values", "case"])
    #expect(none.status == .success && none.output == "" && none.errors == "")
    #expect(!FileManager.default.fileExists(atPath: store + "-missing"))
}

@Test func completionScriptForAnUnknownShellOrWithACommandIsAUsageError() {
    #expect(run(["--generate-completion-script", "tcsh"]).status == .usage)
    let withCommand = run(["--generate-completion-script", "bash", "flags"])
    #expect(withCommand.status == .usage)
    #expect(withCommand.errors.contains("stands alone"))
}

@Test func everyCommandAndOptionIsInTheCompletionScripts() {
    for shell in CompletionScript.shells {
        let script = run(["--generate-completion-script", shell]).output
        for command in Pejling.commands {
            #expect(script.contains(command.spec.path.last!), "\(shell): \(command.spec.path)")
            for option in command.spec.options {
                let word = shell == "fish" ? "-l \(option.name)" : "--\(option.name)"
                #expect(script.contains(word), "\(shell): \(command.spec.path) --\(option.name)")
            }
        }
    }
}

// zsh and fish may not be installed (CI images often lack them): these load checks are skipped there.
@Test(.enabled(if: programPath("zsh") != nil, "zsh is not installed; its completion is not load-checked"))
func zshCompletionScriptLoadsAndOffersOrs() throws {
    let result = try runProcess(
        programPath("zsh")!,
        [
            "-f", "-c",
            "source <(pejling --generate-completion-script zsh) || exit 9; "
                + "COMP_WORDS=(pejling ask o); COMP_CWORD=2; _pejling; print -l $COMPREPLY",
        ],
        environment: shellEnvironment())
    #expect(result.status == 0)
    #expect(result.errors == "")
    // zsh's own completion filters by what is typed; the script offers every instrument id.
    #expect(result.output.split(separator: "\n").contains("ors"))
}

@Test(.enabled(if: programPath("fish") != nil, "fish is not installed; its completion is not load-checked"))
func fishCompletionScriptLoadsAndCompletesAskOToOrs() throws {
    let result = try runProcess(
        programPath("fish")!,
        [
            "--no-config", "-c",
            "pejling --generate-completion-script fish | source; and complete -C 'pejling ask o'",
        ],
        environment: shellEnvironment())
    #expect(result.status == 0)
    #expect(result.errors == "")
    #expect(result.output == "ors\n")
}
