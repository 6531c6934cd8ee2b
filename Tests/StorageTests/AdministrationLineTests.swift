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

/// The record a line holds by the full parse, its administration's content and that content's keys.
private func parsedAdministration(_ line: String) throws -> (Record, AdministrationRecord, ContentKeys) {
    let record = try RecordScanner.parse(line)
    switch record.body {
    case .administration(let made), .correction(_, let made): return (record, made, ContentKeys(made))
    default: throw RecordScanner.Problem.malformed("not an administration")
    }
}

/// A line read as one a scan has checked already gives every field the full check gives.
@Test(arguments: lines)
func aLineTheScanCheckedGivesTheFieldsOfTheFullCheck(line: String) throws {
    let (record, content, keys) = try parsedAdministration(line)
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

/// Lines read in turn by one reader: shapes met again (values of other lengths, escapes, other
/// numbers), shapes that differ only in a null or a number where a string stood, and lines that
/// make no shape (a key no administration has, holding an object; a key met twice, the last
/// counting).
private let shapedLines = [
    lines[0],
    #"{"id":"a-much-longer-id-than-the-first-one","v":1,"kind":"administration","writer":"w22@other","time":"2026-03-14T11:30:00Z","case":"K-\u0041b","instrument":"ors","instrumentVersion":"10.0.0","worker":"w\"2\"","respondent":"relative","date":"2026-03-14","answers":{"a":-12.5e3,"b":null,"c":"x\\y","d":100},"scores":{"part":0,"total":1e2},"comment":"a \"quoted\" one","age":7}"#,
    #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w1@host","time":"2026-03-13T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1.0.0","worker":"w1","respondent":"citizen","date":"2026-03-13","answers":{"a":1.5,"b":null,"c":"fine","d":4},"scores":{"part":2,"total":15.9},"comment":null,"age":32}"#,
    #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w1@host","time":"2026-03-13T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1.0.0","worker":"w1","respondent":"citizen","date":"2026-03-13","answers":{"a":1.5,"b":3,"c":"fine","d":4},"scores":{"part":2,"total":15.9},"comment":"ok","age":32}"#,
    #"{"id":"ffff","v":1,"kind":"administration","writer":"w1@host","time":"2026-03-13T10:00:00Z","case":"K-9","instrument":"ors","instrumentVersion":"1.0.0","worker":"w1","respondent":"citizen","date":"2026-03-15","answers":{"a":0,"b":null,"c":"","d":4.75},"scores":{"part":-1,"total":0},"comment":"","age":101}"#,
    #"{"id":"e1","v":1,"kind":"administration","writer":"w","time":"2026-03-13T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-13","extra":{"x":[1,2]},"answers":{"a":1},"scores":{"total":1}}"#,
    #"{"id":"e2","v":1,"kind":"administration","writer":"w","time":"2026-03-13T10:00:00Z","case":"K-22","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-13","extra":{"x":[1,2]},"answers":{"a":2},"scores":{"total":2}}"#,
    #"{"id":"d1","v":1,"kind":"administration","writer":"w","time":"2026-03-13T10:00:00Z","case":"K-1","worker":"first","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-13","worker":"last","answers":{"a":1},"scores":{"total":1}}"#,
    #"{"id":"d2","v":1,"kind":"administration","writer":"w","time":"2026-03-13T10:00:00Z","case":"K-1","worker":"one","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-13","worker":"two","answers":{"a":1},"scores":{"total":1}}"#,
    lines[1],
    #"{"id":"paper-8","v":1,"kind":"correction","target":"yy","writer":"w1@host","time":"2026-03-13T10:00:00.250Z","case":"K-3","instrument":"ors","instrumentVersion":"1.0.0","worker":null,"respondent":"citizen","date":"2026-03-13T08:00","answers":{"d":7,"a":12,"c":"plain"},"scores":{"total":-0.5},"comment":null}"#,
    lines[2],
    #"{ "v" : 1, "id" : "abc", "kind" : "administration", "writer" : "ww", "time" : "2026-03-13T10:00:00+01:00", "case" : "K-44", "instrument" : "srs", "instrumentVersion" : "2", "respondent" : "worker", "date" : "2026-03-14T09:00", "answers" : { }, "scores" : { "total" : 12 } }"#,
]

/// A reader lays a line over the shape of a line it walked before, and finds every field where
/// the walk finds it; a line of no shape it knows, or one that makes none, is walked.
@Test func aReaderFindsTheFieldsOfLinesOfAShapeMetBeforeWhereTheWalkFindsThem() throws {
    var reader = AdministrationLine.Reader()
    // Another reader, asked whether each line names its keys, numbered as a scan numbers them.
    var naming = AdministrationLine.Reader()
    var numbers: [ContentKeys: Int] = [:]
    for line in shapedLines {
        let (record, _, keys) = try parsedAdministration(line)
        var bytes = line
        try bytes.withUTF8 { bytes in
            let walked = try AdministrationLine(bytes, checked: record.time)
            let read = try reader.read(bytes, checked: record.time, hint: 0)
            #expect(read.time == walked.time)
            #expect(read.withID { Array($0) } == walked.withID { Array($0) }, "\(line)")
            #expect(read.withCaseID { Array($0) } == walked.withCaseID { Array($0) }, "\(line)")
            for field in AdministrationField.allCases {
                if field.isText {
                    #expect(
                        read.withText(field) { $0.map(Array.init) }
                            == walked.withText(field) { $0.map(Array.init) },
                        "\(field) of \(line)")
                } else {
                    #expect(read.integer(field) == walked.integer(field), "\(field) of \(line)")
                }
            }
            var starts: ([Int], [Int], [Int], [Int]) = ([], [], [], [])
            let named = walked.names(keys, answerStarts: &starts.0, scoreStarts: &starts.1)
            #expect(read.names(keys, answerStarts: &starts.2, scoreStarts: &starts.3) == named)
            #expect(starts.0 == starts.2 && starts.1 == starts.3, "\(line)")
            let number = numbers[keys, default: numbers.count]
            numbers[keys] = number
            let (readNaming, names) = try naming.read(
                bytes, checked: record.time, hint: number, naming: keys, answerStarts: &starts.2,
                scoreStarts: &starts.3)
            #expect(names == named)
            #expect(starts.0 == starts.2 && starts.1 == starts.3, "\(line)")
            #expect(
                readNaming.withText(.comment) { $0.map(Array.init) }
                    == walked.withText(.comment) { $0.map(Array.init) })
        }
    }
    // Lines of the shapes met first, again, and the lines that make no shape: only those walked.
    #expect(reader.walks == shapedLines.count - 4)
    #expect(naming.walks == shapedLines.count - 4)
}
