import Testing

@testable import Storage

// Every message for a line that is no record, word for word and at its character, from both
// paths a line can be read by: the full scanner (`check`, exports, the one-case read) and the
// summary scanner (reports), which hands lines of other kinds to the full one. The messages
// were taken from the scanners before they read strings as spans, eight bytes at a time; they
// cover huge numbers, deep nesting, control characters, invalid UTF-8, truncated lines, lone
// surrogates and escapes where plain text is usual.

/// An erasure record's line with `rest` after its case (`rest` closes the object).
private func erasure(_ rest: String) -> [UInt8] {
    Array(
        (#"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K""# + rest)
            .utf8)
}

/// An administration's line whose total is written as `scores`.
private func administration(scores: String) -> [UInt8] {
    Array(
        (#"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-14","answers":{"a":1},"scores":{"total":"#
            + scores + "}}").utf8)
}

/// What a scanner said of `line`: nil when it read a record, `newer N` for a newer schema.
private func problem(
    _ read: (UnsafeBufferPointer<UInt8>) throws(RecordScanner.Problem) -> Void, _ line: [UInt8]
)
    -> String?
{
    line.withUnsafeBufferPointer { bytes in
        do throws(RecordScanner.Problem) {
            try read(bytes)
            return nil
        } catch {
            switch error {
            case .malformed(let detail): return detail
            case .newerVersion(let version): return "newer \(version)"
            }
        }
    }
}

@Test(
    arguments: [
        (
            administration(scores: "1e309"),
            "the number 1e309 at character 250 is out of range: answers and scores lie within ±1e12",
            "the number 1e309 at character 250 is out of range: answers and scores lie within ±1e12"
        ),
        (
            administration(scores: String(repeating: "9", count: 400)),
            "the number 999999999999999999999999… at character 250 is out of range: answers and scores lie within ±1e12",
            "the number 999999999999999999999999… at character 250 is out of range: answers and scores lie within ±1e12"
        ),
        (
            administration(scores: "123456789012345678901234567890"),
            "the number 123456789012345678901234… at character 250 is out of range: answers and scores lie within ±1e12",
            "the number 123456789012345678901234… at character 250 is out of range: answers and scores lie within ±1e12"
        ),
        (administration(scores: "-0.00000000000000000000000000001"), nil, nil),
        (
            erasure(#","v":1e400}"#), "expected a whole number at character 97",
            "expected a whole number at character 97"
        ),
        (erasure(#","age":1}"#), nil, nil),
        (
            erasure(
                #","deep":"# + String(repeating: "[", count: 101) + String(repeating: "]", count: 101) + "}"),
            "values nested too deeply (more than 100 levels) at character 195",
            "values nested too deeply (more than 100 levels) at character 195"
        ),
        (
            erasure(
                #","deep":"# + String(repeating: #"{"a":"#, count: 120) + "1"
                    + String(repeating: "}", count: 121)),
            "values nested too deeply (more than 100 levels) at character 595",
            "values nested too deeply (more than 100 levels) at character 595"
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K\#u{1}"}"#
                    .utf8), "control character in a string at character 86",
            "control character in a string at character 86"
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w\#u{9}w","time":"2026-03-14T10:00:00Z","case":"K"}"#
                    .utf8), "control character in a string at character 45",
            "control character in a string at character 45"
        ),
        (
            Array(
                #"{"id":"0123456789abcdef0123456\#u{1F}","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K"}"#
                    .utf8), "control character in a string at character 31",
            "control character in a string at character 7"
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"Kæ"#
                    .utf8) + [0xFF] + Array(#""}"#.utf8),
            "invalid UTF-8 at character 88; the line is not text",
            "invalid UTF-8 at character 88; the line is not text"
        ),
        (
            Array(#"{"id":"x","v":1,"kind":"erasure","writer":"€"#.utf8) + [0xE2] + [0x82]
                + Array(#"","time":"2026-03-14T10:00:00Z","case":"K"}"#.utf8),
            "invalid UTF-8 at character 47; the line is not text",
            "invalid UTF-8 at character 47; the line is not text"
        ),
        (
            Array(#"{"id":"x","v":1,"kind":"erasure","writer":""#.utf8) + [0xED] + [0xA0] + [0x80]
                + Array(#"","time":"2026-03-14T10:00:00Z","case":"K"}"#.utf8),
            "invalid UTF-8 at character 44; the line is not text",
            "invalid UTF-8 at character 44; the line is not text"
        ),
        (
            Array(#"{"id":"x","v":1,"kind":"erasure","writer":""#.utf8) + [0xF4] + [0x90] + [0x80] + [0x80]
                + Array(#"","time":"2026-03-14T10:00:00Z","case":"K"}"#.utf8),
            "invalid UTF-8 at character 44; the line is not text",
            "invalid UTF-8 at character 44; the line is not text"
        ),
        (
            Array(#"{"id":"x","v":1,"kind":"erasure","writer":""#.utf8) + [0xC0] + [0xAF]
                + Array(#"","time":"2026-03-14T10:00:00Z","case":"K"}"#.utf8),
            "invalid UTF-8 at character 44; the line is not text",
            "invalid UTF-8 at character 44; the line is not text"
        ),
        (
            Array(
                #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-"#
                    .utf8), "unterminated string at character 101", "unterminated string at character 101"
        ),
        (
            Array(#"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"ad"#.utf8),
            "unterminated string at character 58", "unterminated string at character 58"
        ),
        (
            erasure(#","note":"\"#), "unterminated escape at character 97",
            "unterminated escape at character 97"
        ),
        (erasure(#","note":"\u12"#), "short \\u escape at character 98", "short \\u escape at character 98"),
        (
            erasure(#","note":"\ud83d"}"#), "incomplete surrogate pair at character 102",
            "incomplete surrogate pair at character 102"
        ),
        (
            erasure(#","note":"\ude00"}"#), "invalid \\u escape at character 102",
            "invalid \\u escape at character 102"
        ),
        (
            erasure(#","note":"\ud83d\u0041"}"#), "invalid surrogate pair at character 108",
            "invalid surrogate pair at character 108"
        ),
        (erasure(#","note":"\ud83d\ude00 \u00e6"}"#), nil, nil),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K\ud83d"}"#
                    .utf8), "incomplete surrogate pair at character 92",
            "incomplete surrogate pair at character 92"
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"administr\u0061tion","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-14","answers":{"a":1},"scores":{"total":1}}"#
                    .utf8), nil, nil
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00\u005a","case":"K\u002d2"}"#
                    .utf8), nil, nil
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-13-14T10:00:00\u005a","case":"K"}"#
                    .utf8), "bad time \"2026-13-14T10:00:00Z\" at character 81",
            "bad time \"2026-13-14T10:00:00Z\" at character 81"
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"0101901234"}"#
                    .utf8), "the case id looks like a CPR number, which may not be stored",
            "the case id looks like a CPR number, which may not be stored"
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"01019\u00301234"}"#
                    .utf8), "the case id looks like a CPR number, which may not be stored",
            "the case id looks like a CPR number, which may not be stored"
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K k"}"#
                    .utf8),
            "the case id is refused: The case id 'K k' may only hold letters a–z, digits, '-', '_' and '.'. Use a pseudonym such as K-0042.",
            "the case id is refused: The case id 'K k' may only hold letters a–z, digits, '-', '_' and '.'. Use a pseudonym such as K-0042."
        ),
        (
            Array(
                #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-02-30","answers":{"a":1},"scores":{"total":1}}"#
                    .utf8), "the date \"2026-02-30\" is not a real date (YYYY-MM-DD) from 1900 to 2200",
            "the date \"2026-02-30\" is not a real date (YYYY-MM-DD) from 1900 to 2200"
        ),
        (
            Array(
                #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-02-3\u0030","answers":{"a":1},"scores":{"total":1}}"#
                    .utf8), "the date \"2026-02-30\" is not a real date (YYYY-MM-DD) from 1900 to 2200",
            "the date \"2026-02-30\" is not a real date (YYYY-MM-DD) from 1900 to 2200"
        ),
        (
            Array(#"{"i\u0064":"x","v":1}"#.utf8), "unexpected escape in a key at character 2",
            "unexpected escape in a key at character 2"
        ),
        (
            Array(
                #"{"id":"","v":1,"kind":"erasure","writer":"w","time":"2026-03-14T10:00:00Z","case":"K"}"#
                    .utf8), "no \"id\"", "no \"id\""
        ),
        (Array(#"{"id":"x","v":2,"kind":"erasure"}"#.utf8), "newer 2", "newer 2"),
        (
            Array(
                #"{"id":"x","v":1,"kind":"goal","writer":"w","time":"2026-03-14T10:00:00Z","case":"K","instrument":"gbo","goal":"g1","action":"s\u0065t"}"#
                    .utf8), nil, nil
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"goal","writer":"w","time":"2026-03-14T10:00:00Z","case":"K","instrument":"gbo","goal":"g1","action":"sit"}"#
                    .utf8), "a goal needs instrument, goal and action (set, reword or retire)",
            "a goal needs instrument, goal and action (set, reword or retire)"
        ),
        (
            Array(
                #"{"id":"x","v":1,"kind":"0123456789\"abcdef","writer":"w","time":"2026-03-14T10:00:00Z","case":"K"}"#
                    .utf8), "unknown kind \"0123456789\"abcdef\"", "unknown kind \"0123456789\"abcdef\""
        ),
        (erasure(#"} x"#), "text after the record at character 89", "text after the record at character 89"),
        (
            Array(
                #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","respondent":"citizen","date":"2026-03-14","answers":{"a":1},"scores":{"total":1}}"#
                    .utf8),
            "an administration needs instrument, instrumentVersion, respondent, date, answers and scores", nil
        ),
        (
            Array(
                #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-14","answers":{"a":"\ud800"},"scores":{"total":1}}"#
                    .utf8), "incomplete surrogate pair at character 236",
            "incomplete surrogate pair at character 236"
        ),
        (
            Array(
                #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-14","answers":{"a":[1]},"scores":{"total":1}}"#
                    .utf8), "expected a number at character 229", "expected a number at character 229"
        ),
        (
            Array(
                #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-14","answers":{"a":1},"scores":{"total":"1"}}"#
                    .utf8), "expected a number at character 250", "expected a number at character 250"
        ),
        (
            Array(
                #"{"id":"0123456789abcdef0123456789abcdef","v":1,"kind":"administration","writer":"w","time":"2026-03-14T10:00:00Z","case":"K-1","instrument":"ors","instrumentVersion":"1","respondent":"citizen","date":"2026-03-14","answers":{"a":1},"scores":{"total":1},"age":1.5}"#
                    .utf8), "expected a whole number at character 262",
            "expected a whole number at character 262"
        ),
    ] as [([UInt8], String?, String?)])
func aLineThatIsNoRecordGetsTheSameMessageAsEver(line: [UInt8], full: String?, summary: String?) {
    #expect(
        problem({ bytes throws(RecordScanner.Problem) in _ = try RecordScanner.parse(bytes) }, line) == full)
    #expect(
        problem(
            { bytes throws(RecordScanner.Problem) in
                var table = SummaryTable()
                if try !RecordScanner.summary(bytes, into: &table) {
                    _ = try RecordScanner.parse(bytes, answers: false)
                }
            }, line) == summary)
}

/// Strings and keys are read eight bytes at a time: the quote, backslash or control character
/// that ends a run must be found at every place of a word, after plain and non-ASCII text alike.
@Test(arguments: 0..<20)
func aStringEndsWhereverItsEndFalls(length: Int) throws {
    let head =
        #"{"id":"x","v":1,"kind":"withdrawal","writer":"w","time":"2026-03-14T10:00:00Z","case":"K","target":"t","#
    for filler in ["x", "æ", "😀"] {
        let text = String(repeating: filler, count: length)
        // Where the text starts, counted in bytes from 1 as the messages count.
        let start = head.utf8.count + #""reason":""#.utf8.count + 1
        let plain = try RecordScanner.parse(head + #""reason":""# + text + #""}"#)
        #expect(plain.body == .withdrawal(target: "t", reason: text))
        let escaped = try RecordScanner.parse(head + #""reason":""# + text + #"\n"# + text + #""}"#)
        #expect(escaped.body == .withdrawal(target: "t", reason: text + "\n" + text))
        #expect(
            problem(
                { bytes throws(RecordScanner.Problem) in _ = try RecordScanner.parse(bytes) },
                Array((head + #""reason":""# + text + "\u{01}" + #""}"#).utf8))
                == "control character in a string at character \(start + text.utf8.count)")
        let cut = head + #""reason":""# + text
        #expect(
            problem(
                { bytes throws(RecordScanner.Problem) in _ = try RecordScanner.parse(bytes) }, Array(cut.utf8)
            )
                == "unterminated string at character \(cut.utf8.count + 1)")
        // A key of any length is read to its quote; one with an escape is refused at its start.
        let keyed = try RecordScanner.parse(head + "\"" + text + #"":1,"reason":null}"#)
        #expect(keyed.body == .withdrawal(target: "t", reason: nil))
        #expect(
            problem(
                { bytes throws(RecordScanner.Problem) in _ = try RecordScanner.parse(bytes) },
                Array((head + "\"" + text + #"\u0041":1}"#).utf8))
                == "unexpected escape in a key at character \(head.utf8.count + 1)")
    }
}
