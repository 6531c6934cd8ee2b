import Support
import Testing

@Suite struct FreeTextTests {
    @Test func ordinaryTextPasses() {
        #expect(FreeText.comment.problem(in: "Sov godt i tre nætter.\nMere ro.") == nil)
        #expect(FreeText.goal.problem(in: "Gå en tur hver dag") == nil)
        #expect(FreeText.workerID.problem(in: "anna@laptop") == nil)
        #expect(FreeText.goal.problem(in: String(repeating: "æ", count: 300)) == nil)
    }

    @Test func tooLongIsRefusedWithTheCount() {
        #expect(
            FreeText.goal.problem(in: String(repeating: "æ", count: 301))
                == .tooLong(characters: 301, limit: 300))
        let huge = String(repeating: "x", count: 5_000_000)
        #expect(FreeText.comment.problem(in: huge) == .tooLong(characters: 5_000_000, limit: 2000))
    }

    @Test(arguments: [
        ("ok\u{1B}]0;X\u{07}", 3, "^["), ("a\u{7F}", 2, "^?"), ("\u{202E}x", 1, "<U+202E>"),
        ("a\rb", 2, "^M"),
    ])
    func controlCharactersAreRefusedWithTheirPlace(text: String, position: Int, shown: String) {
        #expect(FreeText.comment.problem(in: text) == .controlCharacter(position: position, shown: shown))
    }

    @Test func lineBreaksOnlyWhereAllowed() {
        #expect(FreeText.comment.problem(in: "a\nb") == nil)
        #expect(FreeText.goal.problem(in: "a\nb") == .controlCharacter(position: 2, shown: "^J"))
        #expect(FreeText.workerID.problem(in: "a\nb") != nil)
    }

    @Test func theMessageNamesTheFieldAndTheFix() {
        let english = FreeText.describe(
            .tooLong(characters: 301, limit: 300), field: ("Målet", "goal"), danish: false)
        #expect(english.contains("goal") && english.contains("300") && english.contains("shorter"))
        let danish = FreeText.describe(
            .controlCharacter(position: 3, shown: "^["), field: ("Kommentaren", "comment"), danish: true)
        #expect(danish.contains("Kommentaren") && danish.contains("^[") && danish.contains("tegn 3"))
    }
}
