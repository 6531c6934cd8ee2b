import Foundation
import Support
import Testing

@Suite struct JSONStringTests {
    @Test(arguments: [
        ("plain", #""plain""#), ("say \"hi\"", #""say \"hi\"""#), ("a\\b", #""a\\b""#),
        ("one\ntwo", #""one\ntwo""#),
        ("tab\tcr\r", #""tab\tcr\r""#), ("\u{1B}[2J", #""\u001b[2J""#), ("æøå €", #""æøå €""#), ("", #""""#),
        ("\u{7F}\u{202E}", "\"\u{7F}\u{202E}\""),
    ])
    func textIsQuotedAsJSONWritesIt(text: String, expected: String) {
        var out = ""
        JSONString.quote(text, into: &out)
        #expect(out == expected)
        var bytes: [UInt8] = Array("before ".utf8)
        JSONString.quote(text, into: &bytes)
        #expect(bytes == Array(("before " + expected).utf8))
    }

    @Test func everyControlCharacterIsEscapedAsFourLowercaseDigitsOrItsShortForm() {
        let short: [UInt32: String] = [0x0A: #"\n"#, 0x0D: #"\r"#, 0x09: #"\t"#]
        for value in UInt32(0)..<0x20 {
            let text = "a" + String(Unicode.Scalar(value)!) + "ø"
            var bytes: [UInt8] = []
            JSONString.quote(text, into: &bytes)
            let digits = String(value, radix: 16)
            let escape = short[value] ?? "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            #expect(String(decoding: bytes, as: UTF8.self) == "\"a" + escape + "ø\"")
        }
    }

    @Test func everyQuotedTextReadsBackTheSame() throws {
        let texts = (0..<0x300).compactMap(Unicode.Scalar.init).map { "x" + String($0) + "y\"\\" }
        for text in texts {
            var out = ""
            JSONString.quote(text, into: &out)
            let back = try JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed])
            #expect(back as? String == text)
            var bytes: [UInt8] = []
            JSONString.quote(text, into: &bytes)
            let fromBytes = try JSONSerialization.jsonObject(
                with: Data(bytes), options: [.fragmentsAllowed])
            #expect(fromBytes as? String == text)
        }
    }
}
