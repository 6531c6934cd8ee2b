import Foundation
import Testing

@testable import Support

@Suite struct CSVFieldTests {
    @Test(arguments: [
        ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"), ("\r=1", "\"'\r=1\""), ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        ("'quoted", "''quoted"), ("-", "'-"), ("+", "'+"), ("-e5", "'-e5"),
    ])
    func aFieldThatASpreadsheetWouldRunIsWrittenAsText(field: String, expected: String) {
        #expect(CSVField.encoded(field, separator: ",") == expected)
    }

    @Test(arguments: ["-3.5", "-3,5", "+2", "1e-7", "-12", "0", "2026-03-14", "K-0042", "plain text", ""])
    func numbersAndOrdinaryTextStayAsTheyAre(field: String) {
        #expect(CSVField.guarded(field) == field)
    }

    @Test func theSeparatorQuotesAndLineBreaksAreQuoted() {
        #expect(CSVField.encoded("a,b", separator: ",") == "\"a,b\"")
        #expect(CSVField.encoded("a,b", separator: ";") == "a,b")
        #expect(CSVField.encoded("a;b", separator: ";") == "\"a;b\"")
        #expect(CSVField.encoded("say \"hi\"", separator: ",") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.encoded("one\ntwo", separator: ",") == "\"one\ntwo\"")
        #expect(CSVField.encoded("-3,5", separator: ";") == "-3,5")
    }

    @Test(arguments: ["=1+1", "'=1+1", "''", "'", "-", "-3.5", "text", "@x", "\t", "+45 12 34 56"])
    func decodingGivesBackWhatWasGuarded(field: String) {
        #expect(CSVField.decoded(CSVField.guarded(field)) == field)
    }

    @Test(arguments: [",", ";"])
    func theByteScanQuotesWhatTheCharacterRuleQuotes(separator: Character) {
        let characters =
            (0..<128).map { Character(Unicode.Scalar(UInt8($0))) } + [
                "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "æ", "😀",
            ]
        for character in characters {
            for field in ["a\(character)b", "\(character)", "ø\(character)", "x\(character)\u{2028}"] {
                let rule = field.contains { $0 == "\"" || $0.isNewline || $0 == separator }
                #expect(
                    CSVField.needsQuotes(field, separator: separator) == rule,
                    "\(field.unicodeScalars.map(\.value))")
            }
        }
    }

    /// Fields long enough to be looked at eight bytes at a time, with each ASCII byte (and a
    /// letter beyond ASCII) at each place of the first three words.
    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";")])
    func appendingALongFieldGivesTheBytesOfItsEncodingWhateverByteStandsWhere(separator: UInt8) {
        let characters = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) } + ["æ"]
        for place in 1..<24 {
            for character in characters {
                var field = String(repeating: "k", count: 24)
                field.insert(character, at: field.index(field.startIndex, offsetBy: place))
                var bytes: [UInt8] = []
                CSVField.append(field, separator: separator, to: &bytes)
                let encoded = CSVField.encoded(field, separator: Character(Unicode.Scalar(separator)))
                #expect(bytes == Array(encoded.utf8), "\(field.unicodeScalars.map(\.value))")
            }
        }
    }

    @Test(arguments: [
        "", "plain", "=SUM(A1)", "+2", "-3.5", "-x", "@me", "'quoted", "\tTab", "\rCR", "a,b", "a;b",
        "say \"hi\"",
        "line\nbreak", "vt\u{0B}", "ff\u{0C}", "æøå", "para\u{2028}sep", "nel\u{85}", "x\u{0}y", "1e-07",
    ])
    func appendingAFieldGivesTheBytesOfItsEncoding(field: String) {
        for separator in [UInt8(ascii: ","), UInt8(ascii: ";")] {
            var bytes: [UInt8] = [1]
            CSVField.append(field, separator: separator, to: &bytes)
            let encoded = CSVField.encoded(field, separator: Character(Unicode.Scalar(separator)))
            #expect(bytes == [1] + Array(encoded.utf8), "\(field.unicodeScalars.map(\.value))")
        }
    }
}

@Test func aCellIsTrimmedAsFoundationTrimsWhitespace() {
    // Spaces of every kind Foundation counts (and some it does not: the line feed, the zero width
    // space), around and inside letters and a combining mark.
    let pieces = [" ", "\t", "\u{A0}", "\u{2003}", "\u{3000}", "\u{200B}", "\n", "a", "\u{301}", "æ"]
    var fields = [""]
    for _ in 0..<4 {
        fields += fields.flatMap { field in pieces.map { field + $0 } }
    }
    fields = Array(Set(fields))
    #expect(fields.count > 10_000)
    for field in fields {
        #expect(
            CSVField.trimmed(field) == field.trimmingCharacters(in: .whitespaces),
            "\(field.unicodeScalars.map(\.value))")
    }
}

@Test func onlyTheSpaceAndTheTabAreWhitespaceInASCII() {
    for value in UInt8(0)...0x7F {
        let scalar = Unicode.Scalar(value)
        #expect(CSVField.isSpace(scalar) == CharacterSet.whitespaces.contains(scalar), "\(value)")
    }
}
