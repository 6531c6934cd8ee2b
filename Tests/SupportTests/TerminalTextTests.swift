import Support
import Testing

@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("\u{1B}]0;PWNED\u{07}\u{1B}[2J", "^[]0;PWNED^G^[[2J"),
        ("a\u{7F}b", "a^?b"),
        ("one\ntwo", "one^Jtwo"),
        ("cr\rlf", "cr^Mlf"),
        ("tab\there", "tab here"),
        ("\u{9B}31m", "<U+009B>31m"),
        ("\u{202E}evil", "<U+202E>evil"),
        ("\u{2067}x\u{2069}", "<U+2067>x<U+2069>"),
        ("\u{0}", "^@"),
    ])
    func controlCharactersAreShownVisibly(input: String, expected: String) {
        #expect(TerminalText.sanitized(input) == expected)
        #expect(TerminalText.needsSanitizing(input))
    }

    @Test(arguments: ["Sove igennem natten", "Æblegrød på fredag – godt!", "", "→ ✓ ░▒", "€ 100"])
    func ordinaryTextPassesUnchanged(input: String) {
        #expect(TerminalText.sanitized(input) == input)
        #expect(!TerminalText.needsSanitizing(input))
    }

    @Test func lineBreaksCanBeKeptForMultiLineTexts() {
        #expect(TerminalText.sanitized("one\ntwo\u{1B}", keepingLineBreaks: true) == "one\ntwo^[")
        #expect(!TerminalText.needsSanitizing("one\ntwo", keepingLineBreaks: true))
        #expect(!TerminalText.needsSanitizing("one\r\ntwo", keepingLineBreaks: true))
        #expect(TerminalText.sanitized("one\r\ntwo", keepingLineBreaks: true) == "one\r\ntwo")
        #expect(TerminalText.sanitized("secret\rshown\n", keepingLineBreaks: true) == "secret^Mshown\n")
        #expect(TerminalText.needsSanitizing("secret\rshown\n", keepingLineBreaks: true))
    }

    @Test func everyControlScalarIsRemovedFromTheOutput() {
        let all = String(String.UnicodeScalarView((0..<0xA0).compactMap(Unicode.Scalar.init)))
        let out = TerminalText.sanitized(all)
        #expect(!out.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
}
