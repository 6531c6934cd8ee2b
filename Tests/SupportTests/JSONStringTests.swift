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
    }

    @Test func everyQuotedTextReadsBackTheSame() throws {
        let texts = (0..<0x300).compactMap(Unicode.Scalar.init).map { "x" + String($0) + "y\"\\" }
        for text in texts {
            var out = ""
            JSONString.quote(text, into: &out)
            let back = try JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed])
            #expect(back as? String == text)
        }
    }
}
