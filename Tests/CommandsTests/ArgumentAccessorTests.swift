import InstrumentModel
import Testing

@testable import Commands

private let spec = CommandSpec(
    path: ["try"], abstract: .none,
    options: [
        .value("age", "YEARS", .none), .value("since", "DATE", .none), .value("until", "DATE", .none),
        .value("respondent", "WHO", choices: ["citizen", "worker", "relative"], .none),
        .value("case", "ID", .none), .value("comment", "TEXT", .none),
    ])

private func parsed(_ words: [String], _ language: Language = .en) throws -> ParsedArguments {
    try spec.parse(words, language: language)
}

@Test func anIntegerInItsRangeIsReadAndOneOutsideIsAUsageError() throws {
    #expect(try parsed(["--age", "42"]).integer("age", in: 0...120) == 42)
    #expect(try parsed([]).integer("age", in: 0...120) == nil)
    for raw in ["121", "-1", "forty"] {
        #expect(
            throws: CommandError.usage(
                "'--age' takes a whole number from 0 to 120, not '\(raw)'.", command: ["try"])
        ) {
            try parsed(["--age", raw]).integer("age", in: 0...120)
        }
    }
    #expect(throws: CommandError.usage("no: 200", command: ["try"])) {
        try parsed(["--age", "200"]).integer("age", in: 0...120) { "no: \($0)" }
    }
}

@Test func aDayIsReadAndTheErrorSpeaksTheCommandsLanguage() throws {
    #expect(try parsed(["--since", "2026-03-14"]).day("since")?.description == "2026-03-14")
    #expect(
        throws: CommandError.usage(
            "Datoen '14/3' til '--since' er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2026-03-14.",
            command: ["try"])
    ) {
        try parsed(["--since", "14/3"], .da).day("since")
    }
}

@Test func aPeriodThatEndsBeforeItStartsIsAUsageError() throws {
    let period = try parsed(["--since", "2026-01-01", "--until", "2026-02-01"]).period()
    #expect(period.since?.description == "2026-01-01")
    #expect(period.until?.description == "2026-02-01")
    #expect(throws: CommandError.self) {
        try parsed(["--since", "2026-02-01", "--until", "2026-01-01"]).period()
    }
}

@Test func aChoiceIsReadAsItsTypeWithADefault() throws {
    #expect(
        try parsed(["--respondent", "worker"]).choice("respondent", default: Respondent.citizen) == .worker)
    #expect(try parsed([]).choice("respondent", default: Respondent.relative) == .relative)
    #expect(try parsed(["--respondent", "relative"]).choice("respondent") == Respondent.relative)
    #expect(try parsed([]).choice("respondent") as Respondent? == nil)
}

@Test func aCaseIDAndFreeTextAreChecked() throws {
    #expect(try parsed(["--case", "K-1"]).caseID() == "K-1")
    #expect(throws: CommandError.self) { try parsed([]).caseID() }
    #expect(throws: CommandError.self) { try parsed(["--case", "0101901234"]).caseID() }
    #expect(try parsed(["--comment", "Slept well"]).text("comment", rule: .comment) == "Slept well")
    #expect(throws: CommandError.self) {
        try parsed(["--comment", "bell\u{7}"]).text("comment", rule: .comment)
    }
}
