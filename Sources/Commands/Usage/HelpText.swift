import InstrumentModel

/// A help text in Danish and English.
///
/// Every help text of every command is given in both languages; there is no initialiser from one
/// string, so a text in one language only does not compile.
struct HelpText: Sendable, Hashable {
    var da: String
    var en: String

    init(da: String, en: String) {
        self.da = da
        self.en = en
    }

    /// No text, in either language.
    static let none = HelpText(da: "", en: "")

    subscript(language: Language) -> String { language == .da ? da : en }

    var isEmpty: Bool { da.isEmpty && en.isEmpty }
}
