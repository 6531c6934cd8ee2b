/// A language Pejling speaks. Every text in an instrument file is given in each of them.
package enum Language: String, CaseIterable, Codable, Sendable, Hashable {
    case da
    case en

    /// Returns the language named by a `--lang` value, or nil.
    package init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    /// Returns the language of a POSIX locale value such as `da_DK.UTF-8`, or nil.
    ///
    /// `LC_ALL` wins over `LANG`, as POSIX says; "C" and "POSIX" name no language.
    package static func fromEnvironment(_ variables: [String: String]) -> Language? {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = variables[name], !value.isEmpty else { continue }
            let code = value.prefix { $0.isLetter }.lowercased()
            if let language = Language(rawValue: code) { return language }
            if ["nb", "nn", "no", "sv"].contains(code) { return .da }
            return .en
        }
        return nil
    }
}

/// A text given in every language Pejling speaks.
package struct LocalizedText: Sendable, Hashable, Codable {
    /// The text per language code.
    package var values: [String: String]

    package init(values: [String: String]) {
        self.values = values
    }

    /// Returns a text with the same words in every language (used for the citizen's own words).
    package init(verbatim: String) {
        values = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0.rawValue, verbatim) })
    }

    package init(da: String, en: String) {
        values = ["da": da, "en": en]
    }

    /// Returns the text in `language`, falling back to English, then to any text there is.
    package subscript(language: Language) -> String {
        values[language.rawValue] ?? values["en"] ?? values.values.sorted().first ?? ""
    }

    package init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: String].self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

extension Language {
    /// Returns a number written with a decimal point as this language writes it: `7,5` in Danish.
    package func decimal(_ text: String) -> String {
        guard self == .da, text.utf8.contains(UInt8(ascii: ".")) else { return text }
        return String(
            decoding: text.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 }, as: UTF8.self)
    }
}
