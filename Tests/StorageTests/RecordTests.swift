import Foundation
import Support
import Testing

@testable import Storage

let time = Date(timeIntervalSince1970: 1_773_482_400)

@Test(arguments: [
    RecordBody.administration(
        AdministrationRecord(
            instrument: "gbo", instrumentVersion: "1.0.0", worker: nil, respondent: "relative",
            date: "2026-03-14T09:30:00+01:00",
            answers: ["g1": .number(3), "g2": .skipped, "note": .text("\"quoted\" \\ back\nslash æøå 😀")],
            scores: ["total": 19.1, "g1": 3], comment: "Tab\there, \u{01} control", age: 17)),
    .correction(
        target: "abc",
        replacement: AdministrationRecord(
            instrument: "ors", instrumentVersion: "1.0.0", worker: "w", respondent: "citizen",
            date: "2026-03-14",
            answers: ["a": .number(0.1)], scores: ["total": 0.30000000000000004])),
    .withdrawal(target: "abc", reason: "entered on the wrong case"), .withdrawal(target: "abc", reason: nil),
    .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Sove bedre")),
    .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .retire, text: nil)),
    .decision(DecisionRecord(flag: "F1", outcome: "adjust", note: "Mere struktur", worker: "anna")), .erasure,
])
func everyKindRoundTrips(body: RecordBody) throws {
    let record = Record(
        id: "id-1", writer: "anna@host", time: time.addingTimeInterval(0.25), caseID: "K-1", body: body)
    let line = record.encodedLine()
    #expect(!line.contains("\n"))
    #expect(try RecordScanner.parse(line) == record)
    // Foundation agrees that it is JSON, and Codable reads and writes the same flat object.
    #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
    #expect(try JSONDecoder().decode(Record.self, from: Data(line.utf8)) == record)
    let encoded = try JSONEncoder().encode(record)
    #expect(try RecordScanner.parse(String(decoding: encoded, as: UTF8.self)) == record)
}

@Test(arguments: [0.0, 0.001, 0.25, 0.999, 0.1234, 86_399.9999])
func timesReadBackEqualAfterTruncationToMilliseconds(offset: Double) throws {
    let moment = TimeFormat.truncated(time.addingTimeInterval(offset))
    let record = Record(id: "i", writer: "w", time: moment, caseID: "K", body: .erasure)
    #expect(try RecordScanner.parse(record.encodedLine()).time == moment)
}

@Test func numbersAreWrittenInTheirShortestForm() {
    let record = Record(id: "i", writer: "w", time: time, caseID: "K", body: ors(19.1))
    #expect(record.encodedLine().contains(#""scores":{"total":19.1}"#))
    #expect(record.encodedLine().contains(#""time":"2026-03-14T10:00:00Z""#))
}

@Test(arguments: [
    "{", #"{"id":"x","v":1}"#,
    #"{"id":"x","v":1,"kind":"magic","writer":"w","time":"2026-03-14T10:00:00Z","case":"K"}"#, "not json",
    #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"yesterday","case":"K"}"#,
])
func malformedLinesAreRefusedWithAReason(line: String) {
    #expect(throws: RecordScanner.Problem.self) { try RecordScanner.parse(line) }
}

@Test func unknownKeysFromANewerMinorVersionAreTolerated() throws {
    let line =
        #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00.5+01:00","case":"K","extra":{"a":[1,true,null,"s"]}}"#
    let record = try RecordScanner.parse(line)
    #expect(record.time == Date(timeIntervalSince1970: 1_773_478_800.5))
}

@Test(arguments: [
    ("010190-1234", true), ("0101901234", true), ("K-010190-1234", true), ("case0101901234x", true),
    ("290200-1234", true),
    ("320190-1234", false), ("011390-1234", false), ("3101901234", true), ("3102901234", false),
    ("K-0042", false),
    ("20260314", false), ("12345678901", false), ("ab-010190", false),
    // Other spellings, and a CPR number with more digits after it.
    ("010190_1234", true), ("010190.1234", true), ("01.01.90-1234", true), ("01-01-90-1234", true),
    ("010190--1234", true), ("01019012345", true), ("K-010190-12345", true), ("01_01_90_12_34", true),
    ("x.010190.1234.y", true), ("010190 1234", true),
    // Dates and numbers that are not CPR numbers: a letter breaks the digits, a run starting
    // inside a group does not count, and a date must be a real one.
    ("2024-01-15-003", false), ("K-2026-0001-0001", false), ("010190a1234", false),
    ("K-01-2026-1234", false), ("000190-1234", false), ("013290-1234", false), ("K-00042", false),
])
func cprNumbersAreRefused(id: String, isCPR: Bool) {
    #expect(CaseID.containsCPR(id) == isCPR)
    if isCPR {
        #expect(throws: StorageError.invalidCaseID(id, reason: .cpr)) { try CaseID.validate(id) }
    }
}

@Test(arguments: ["", "has space", "semi;colon", "æøå", String(repeating: "x", count: 65)])
func otherBadCaseIDsAreRefused(id: String) {
    #expect(throws: StorageError.self) { try CaseID.validate(id) }
}

@Test func theCPRMessageSaysWhyAndWhatToDo() {
    let message = StorageError.invalidCaseID("0101901234", reason: .cpr).localizedDescription
    #expect(message.contains("CPR number"))
    #expect(message.contains("pseudonym"))
}

@Test(arguments: [
    #"{"id":"x","v":1e400,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K"}"#,
    #"{"id":"x","v":1.5,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K"}"#,
    #"{"id":"x","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-14","answers":{},"scores":{},"age":-9e300}"#,
    #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K","n":nuts}"#,
    #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K","deep":"#
        + String(repeating: "[", count: 100_000),
    #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K\ud83d"}"#,
])
func hostileLinesAreRefusedWithoutTrapping(line: String) {
    #expect(throws: RecordScanner.Problem.self) { try RecordScanner.parse(line) }
}

@Test func everyEscapeReadsBack() throws {
    let line =
        #"{"id":"x","v":1,"kind":"withdrawal","writer":"w","time":"2026-03-14T10:00:00Z","case":"K","target":"t","reason":"\" \\ \/ \b \f \n \r \t \u00e6\u00F8\u00e5 \ud83d\ude00 æøå 😀"}"#
    let record = try RecordScanner.parse(line)
    #expect(record.body == .withdrawal(target: "t", reason: "\" \\ / \u{08} \u{0C} \n \r \t æøå 😀 æøå 😀"))
    // Written back, it is JSON that Foundation reads to the same text.
    let object = try JSONSerialization.jsonObject(with: Data(record.encodedLine().utf8)) as? [String: Any]
    #expect(object?["reason"] as? String == "\" \\ / \u{08} \u{0C} \n \r \t æøå 😀 æøå 😀")
}

@Test(arguments: [
    (19.1, "19.1"), (20, "20"), (-0.5, "-0.5"), (0.1 + 0.2, "0.30000000000000004"), (1e-7, "1e-07"),
])
func numbersAreShortestRoundTrip(value: Double, text: String) throws {
    let record = Record(id: "i", writer: "w", time: time, caseID: "K", body: ors(value))
    #expect(record.encodedLine().contains(#""scores":{"total":\#(text)}"#))
    guard case .administration(let content) = try RecordScanner.parse(record.encodedLine()).body else {
        Issue.record("not an administration")
        return
    }
    #expect(content.scores["total"] == value)
}
