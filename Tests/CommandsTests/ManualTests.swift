import Foundation
import Testing

@testable import Commands

@Test func manualHasNameSynopsisASectionPerCommandAndEveryOption() {
    let result = run(["--generate-manual"])
    #expect(result.status == .success)
    let page = result.output
    #expect(page.hasPrefix(".TH PEJLING 1 "))
    for section in [".SH NAME\npejling \\- ", ".SH SYNOPSIS\n", ".SH GLOBAL OPTIONS\n", ".SH EXIT STATUS\n"] {
        #expect(page.contains(section), "\(section)")
    }
    for command in Pejling.commands {
        #expect(page.contains(".SS \"\(Manual.text(command.spec.commandName))\"\n"), "\(command.spec.path)")
        for option in command.spec.options {
            #expect(
                page.contains("\\fB\\-\\-\(Manual.text(option.name))\\fR"),
                "\(command.spec.path) \(option.name)")
        }
    }
    for option in Pejling.globalOptions + Pejling.toolOptions {
        #expect(page.contains("\\fB\\-\\-\(Manual.text(option.name))\\fR"), "\(option.name)")
    }
    // 7-bit roff: every other character is escaped, so groff reads it whatever its input encoding.
    #expect(page.unicodeScalars.allSatisfy { $0.isASCII })
}

@Test func manualEscapesRoffsControlCharacters() {
    #expect(Manual.text(".start") == "\\&.start")
    #expect(Manual.text("a\\b-c") == "a\\eb\\-c")
    #expect(Manual.text("Fælles") == "F\\[u00E6]lles")
}

@Test(.enabled(if: programPath("groff") != nil, "groff is not installed; the manual is not rendered"))
func groffRendersTheManualWithoutWarnings() throws {
    let file = try temporaryFolder() + "/pejling.1"
    try run(["--generate-manual"]).output.write(toFile: file, atomically: true, encoding: .utf8)
    let result = try runProcess(programPath("groff")!, ["-man", "-Tutf8", "-ww", "-P-cbou", file])
    #expect(result.status == 0)
    #expect(result.errors == "")
    #expect(result.output.contains("SYNOPSIS"))
    #expect(result.output.contains("Fælles Sprog"))
}
