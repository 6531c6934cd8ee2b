import Foundation
import Testing

@testable import Storage

/// A line as the encoder writes it: an administration with text, skipped and numbered answers, a
/// comment and an age.
private let written =
    #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w1@host","#
    + #""time":"2026-03-13T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1.0.0","#
    + #""worker":"w1","respondent":"citizen","date":"2026-03-13","#
    + #""answers":{"a":1.5,"b":null,"c":"fine","d":4},"scores":{"part":2,"total":15.9},"#
    + #""comment":"ok","age":32}"#

/// `written` with `old` replaced by `new`.
private func variant(_ old: String, _ new: String) -> String {
    precondition(written.contains(old), "no \(old) in the line")
    return written.replacingOccurrences(of: old, with: new)
}

/// Whether the record `line` reads as encodes back to `line` itself: the plain rule.
private func isItsEncoding(_ line: String) throws -> Bool {
    try RecordScanner.parse(line).encodedLine() == line
}

private func shapes(learning lines: [String]) throws -> LineShapes {
    var shapes = LineShapes()
    for line in lines {
        try #require(try isItsEncoding(line))
        _ = try isEncoding(line, &shapes)
        shapes.learn()
    }
    return shapes
}

/// Whether `shapes` takes `line` for its record's encoding, given the time the scanner reads.
private func isEncoding(_ line: String, _ shapes: inout LineShapes) throws -> Bool {
    let time = try RecordScanner.parse(line).time
    var bytes = line
    return bytes.withUTF8 { shapes.isEncoding($0, time: time) }
}

@Test func aLineOfAShapeNotLearntIsNotTakenForItsEncoding() throws {
    var shapes = LineShapes()
    #expect(try isItsEncoding(written))
    #expect(try !isEncoding(written, &shapes))
    shapes.learn()
    #expect(try isEncoding(written, &shapes))
}

/// Lines of the learnt shape whose values the encoder writes as they are: taken as encodings.
private let writtenVariants = [
    variant("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"),
    variant("K-1", "K-22"), variant(#""ok""#, #""two\nlines \"quoted\" \\ tab\t""#),
    variant(#""ok""#, #""café, naïve, 北京, 🙂""#), variant(#""ok""#, "\"cafe\u{301}\""),
    variant("1.5", "-2.25"), variant("15.9", "0.1"), variant("15.9", "1e-07"),
    variant("15.9", "0.30000000000000004"), variant("\"age\":32", "\"age\":-7"),
    variant("10:00:00Z", "23:59:59Z"), variant(#""fine""#, #""\u001f""#),
]

@Test(arguments: writtenVariants)
func aLineOfALearntShapeWithValuesAsTheEncoderWritesThemIsItsEncoding(line: String) throws {
    var shapes = try shapes(learning: [written])
    #expect(try isItsEncoding(line))
    #expect(try isEncoding(line, &shapes))
}

/// Lines that look like the learnt shape but are not their records' encodings: never taken for
/// them (the plain rule says no to each).
private let otherVariants = [
    // Key order, in the envelope and in the answers.
    variant(#""v":1,"kind":"administration""#, #""kind":"administration","v":1"#),
    variant(#""a":1.5,"b":null"#, #""b":null,"a":1.5"#),
    // Spacing.
    variant(#""a":1.5"#, #""a": 1.5"#), variant(#""age":32}"#, #""age":32 }"#), " " + written,
    written + " ", variant("{\"a\"", "{ \"a\""),
    // Escapes the encoder does not write.
    variant(#""ok""#, #""\u006fk""#), variant(#""ok""#, #""o\/k""#), variant("K-1", #"K\u002d1"#),
    variant("0123456789abcdef0123456789abcdef", #"0123456789abcdef0123456789abcde\u0066"#),
    variant(#""fine""#, #""\u00e9""#), variant(#""ok""#, #""\ud83d\ude42""#),
    variant(#""kind":"administration""#, #""kind":"administr\u0061tion""#),
    variant(#""fine""#, #""\u000a""#),
    // Numbers written otherwise.
    variant("1.5", "1.50"), variant("1.5", "1.5e0"), variant("1.5", "15e-1"), variant("15.9", "15.90"),
    variant("\"d\":4", "\"d\":4.0"), variant("\"d\":4", "\"d\":4e0"), variant("\"d\":4", "\"d\":-0"),
    variant("\"age\":32", "\"age\":32.0"), variant("\"age\":32", "\"age\":3.2e1"),
    variant("\"v\":1", "\"v\":1.0"),
    variant("15.9", "0.10"), variant("\"part\":2", "\"part\":2.00"),
    // Times written otherwise.
    variant("10:00:00Z", "10:00:00.000Z"), variant("10:00:00Z", "10:00:00+00:00"),
    // Values and keys that change the structure.
    variant(#""comment":"ok""#, #""comment":null"#), variant(#""b":null"#, #""b":null,"b":2"#),
    variant(#""case":"K-1""#, #""case":"K-0","case":"K-1""#), variant(#""age":32"#, #""age":32,"extra":[1]"#),
    variant(#""a":1.5"#, "\"e\u{301}\":1.5,\"\u{e9}\":1.5"),
    // A key holding a control character, which the encoder escapes.
    variant(#""a":1.5"#, "\"a\u{1}\":1.5"),
]

@Test(arguments: otherVariants)
func aLineThatIsNotItsEncodingIsNeverTakenForIt(line: String) throws {
    #expect(try !isItsEncoding(line))
    var shapes = try shapes(learning: [written])
    #expect(try !isEncoding(line, &shapes))
}

/// Every kind of record, each shape learnt from one line and then read from another.
@Test func linesOfEveryKindAreTakenForTheirEncodingsOnceTheirShapeIsKnown() throws {
    let time = Date(timeIntervalSince1970: 1_773_400_000)
    func record(_ id: String, _ body: RecordBody, seconds: Double = 0) -> Record {
        Record(
            id: id, writer: "w@h", time: time.addingTimeInterval(seconds), caseID: "K-\(id.count)", body: body
        )
    }
    let bodies: [RecordBody] = [
        ors(12, comment: "a"),
        .correction(
            target: "x",
            replacement: AdministrationRecord(
                instrument: "ors", instrumentVersion: "1.0.0", worker: nil, respondent: "citizen",
                date: "2026-03-14", answers: ["a": .number(1)], scores: ["total": 1])),
        .withdrawal(target: "x", reason: "wrong case"), .withdrawal(target: "x", reason: nil),
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Sleep")),
        .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .retire, text: nil)),
        .decision(DecisionRecord(flag: "f", outcome: "continue", note: "n", worker: "w")),
        .decision(DecisionRecord(flag: "f", outcome: "end", note: nil, worker: nil)), .erasure,
    ]
    var shapes = LineShapes()
    for body in bodies {
        let first = record("first", body).encodedLine()
        let second = record("second-id", body, seconds: 61.5).encodedLine()
        #expect(try !isEncoding(first, &shapes))
        shapes.learn()
        #expect(try isEncoding(first, &shapes))
        #expect(try isEncoding(second, &shapes))
    }
}

/// One `LineShapes` reading every variant above in turn, twice over (as a scan reads a journal:
/// what it remembers of the numbers it met stays with it), says of each what the plain rule says.
@Test func linesReadOneAfterAnotherAreEachJudgedAsTheirRecordsEncode() throws {
    var shapes = try shapes(learning: [written])
    let lines = writtenVariants + otherVariants
    for line in lines + lines.reversed() {
        #expect(try isEncoding(line, &shapes) == isItsEncoding(line), "\(line)")
    }
}
