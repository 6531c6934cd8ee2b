/// What text typed by people may hold: comments, goals in the citizen's own words, decision notes,
/// worker ids.
///
/// A comment is a few sentences and a goal one; a 100 MB comment is a mistake or an attack, and
/// either makes every later `history` crawl. Control characters have no place in any of them:
/// pasted from elsewhere they hide or rewrite text on a colleague's terminal. Every way text gets
/// into a record (a flag, a prompt, an import) checks it with the same rule.
package struct FreeText: Sendable, Hashable {
    /// The most characters the text may have.
    package var maxCharacters: Int
    /// Whether the text may span lines (a comment may; a goal or a worker id may not).
    package var allowsLineBreaks: Bool

    /// A comment in the citizen's own words: up to 2,000 characters, line breaks allowed.
    package static let comment = FreeText(maxCharacters: 2000, allowsLineBreaks: true)
    /// A goal in the citizen's own words: one line of up to 300 characters.
    package static let goal = FreeText(maxCharacters: 300, allowsLineBreaks: false)
    /// A note on a decision or a withdrawal: up to 2,000 characters, line breaks allowed.
    package static let note = FreeText(maxCharacters: 2000, allowsLineBreaks: true)
    /// A worker's id, such as `anna` or `anna@laptop`: one line of up to 64 characters.
    package static let workerID = FreeText(maxCharacters: 64, allowsLineBreaks: false)

    package init(maxCharacters: Int, allowsLineBreaks: Bool) {
        self.maxCharacters = maxCharacters
        self.allowsLineBreaks = allowsLineBreaks
    }

    /// Why a text breaks the rule.
    package enum Problem: Sendable, Hashable {
        /// Longer than the rule allows.
        case tooLong(characters: Int, limit: Int)
        /// Holds a control character (a line break where none is allowed counts), at a position
        /// counted in characters from 1.
        case controlCharacter(position: Int, shown: String)
    }

    /// Returns what is wrong with `text`, or nil when it may be stored.
    package func problem(in text: String) -> Problem? {
        // Most texts have fewer bytes than the limit has characters, and are short enough at once.
        if text.utf8.count > maxCharacters, text.dropFirst(maxCharacters).first != nil {
            return .tooLong(characters: text.count, limit: maxCharacters)
        }
        guard TerminalText.needsSanitizing(text, keepingLineBreaks: allowsLineBreaks) else { return nil }
        for (offset, character) in text.enumerated() {
            let shown = TerminalText.sanitized(String(character), keepingLineBreaks: allowsLineBreaks)
            if shown != String(character) { return .controlCharacter(position: offset + 1, shown: shown) }
        }
        return nil
    }

    /// A sentence naming `field` and what is wrong with it, in Danish or English.
    package static func describe(_ problem: Problem, field: (da: String, en: String), danish: Bool) -> String
    {
        switch problem {
        case .tooLong(let characters, let limit):
            return danish
                ? "\(field.da) er \(characters) tegn lang; højst \(limit) tegn er tilladt. Skriv den kortere."
                : "The \(field.en) is \(characters) characters long; at most \(limit) are allowed. Make it shorter."
        case .controlCharacter(let position, let shown):
            return danish
                ? "\(field.da) har et kontroltegn (\(shown)) ved tegn \(position). Skriv den uden kontroltegn."
                : "The \(field.en) holds a control character (\(shown)) at character \(position). Type it without control characters."
        }
    }
}
