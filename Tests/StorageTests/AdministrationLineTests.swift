import Foundation
import Testing

@testable import Storage

/// Administrations and a correction as the encoder writes them and as a hand or another tool might
/// (escapes, spacing, a null comment, answers out of their keys' order).
private let lines = [
    #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w1@host","time":"2026-03-13T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1.0.0","worker":"w1","respondent":"citizen","date":"2026-03-13","answers":{"a":1.5,"b":null,"c":"fine","d":4},"scores":{"part":2,"total":15.9},"comment":"ok","age":32}"#,
    #"{"id":"paper-7","v":1,"kind":"correction","target":"x","writer":"w1@host","time":"2026-03-13T10:00:00.250Z","case":"K-\u0032","instrument":"ors","instrumentVersion":"1.0.0","worker":null,"respondent":"citizen","date":"2026-03-13","answers":{"d":-2.25,"a":1e-7,"c":"t\u00e6t \"q\""},"scores":{"total":1},"comment":null}"#,
    #"{ "v" : 1, "id" : "ab", "kind" : "administration", "writer" : "w", "time" : "2026-03-13T10:00:00+01:00", "case" : "K-3", "instrument" : "srs", "instrumentVersion" : "1", "respondent" : "citizen", "date" : "2026-03-13T09:00", "answers" : { }, "scores" : { "total" : 0 } }"#,
]

/// A line read as one a scan has checked already gives every field the full check gives.
@Test(arguments: lines)
func aLineTheScanCheckedGivesTheFieldsOfTheFullCheck(line: String) throws {
    let record = try RecordScanner.parse(line)
    let content: AdministrationRecord
    switch record.body {
    case .administration(let made), .correction(_, let made): content = made
    default: throw RecordScanner.Problem.malformed("not an administration")
    }
    let keys = ContentKeys(content)
    var bytes = line
    try bytes.withUTF8 { bytes in
        let full = try AdministrationLine(bytes)
        let checked = try AdministrationLine(bytes, checked: record.time)
        #expect(checked.time == full.time)
        #expect(checked.withID { Array($0) } == full.withID { Array($0) })
        #expect(checked.withCaseID { Array($0) } == full.withCaseID { Array($0) })
        for field in AdministrationField.allCases {
            if field.isText {
                #expect(
                    checked.withText(field) { $0.map(Array.init) }
                        == full.withText(field) { $0.map(Array.init) })
            } else {
                #expect(checked.integer(field) == full.integer(field))
            }
        }
        var starts: ([Int], [Int], [Int], [Int]) = ([], [], [], [])
        let named = full.names(keys, answerStarts: &starts.0, scoreStarts: &starts.1)
        #expect(checked.names(keys, answerStarts: &starts.2, scoreStarts: &starts.3) == named)
        #expect(starts.0 == starts.2 && starts.1 == starts.3)
        // Where the keys are named in order, each value is the record's.
        if named {
            #expect(starts.0.count == keys.answers.count && starts.1.count == keys.scores.count)
            for (key, start) in zip(keys.answers, starts.2) {
                let answer: Answer? =
                    switch checked.value(at: start) {
                    case .skipped: .skipped
                    case .number(let value): .number(value)
                    case .text(let text): .text(String(decoding: text, as: UTF8.self))
                    case .escapedText(let text): .text(text)
                    }
                #expect(answer == content.answers[key])
            }
            for (key, start) in zip(keys.scores, starts.3) {
                guard case .number(let value) = checked.value(at: start) else {
                    Issue.record("the score \(key) is not a number")
                    continue
                }
                #expect(value == content.scores[key])
            }
        }
    }
}
