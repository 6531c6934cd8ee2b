import InstrumentModel
import Storage
import Support

/// One option a command takes.
struct OptionSpec: Sendable {
    /// The long name without dashes, such as "format".
    var name: String
    /// A one-letter alias, such as "h".
    var short: Character?
    /// The value's placeholder in help ("FILE"); nil for a flag that takes no value.
    var value: String?
    /// The values allowed, if limited; shown in help and checked when parsed.
    var choices: [String]
    var help: HelpText
    /// Whether the option may be given more than once (each value is kept).
    var repeats = false

    static func flag(_ name: String, short: Character? = nil, _ help: HelpText) -> OptionSpec {
        OptionSpec(name: name, short: short, value: nil, choices: [], help: help)
    }

    static func value(_ name: String, _ placeholder: String, choices: [String] = [], _ help: HelpText)
        -> OptionSpec
    {
        OptionSpec(name: name, short: nil, value: placeholder, choices: choices, help: help)
    }

    static func repeated(_ name: String, _ placeholder: String, _ help: HelpText) -> OptionSpec {
        OptionSpec(name: name, short: nil, value: placeholder, choices: [], help: help, repeats: true)
    }

    var usage: String {
        guard let value else { return "--\(name)" }
        if repeats { return "--\(name) \(value) ..." }
        return choices.isEmpty ? "--\(name) \(value)" : "--\(name) \(choices.joined(separator: "|"))"
    }
}

/// What a command is called, what it takes, and what its help says.
struct CommandSpec: Sendable {
    /// The words naming the command, such as ["instruments", "list"].
    var path: [String]
    var abstract: HelpText
    /// Extra paragraphs for `--help` (discussion, examples).
    var discussion: HelpText = .none
    /// Positional arguments in usage order, e.g. "<file> ...".
    var positionals: String = ""
    /// The positional arguments' help, shown under ARGUMENTS.
    var positionalHelp: [(String, HelpText)] = []
    var options: [OptionSpec] = []
    /// Options that must be given, by name.
    var required: Set<String> = []
    /// Fewest and most positional arguments.
    var positionalCount: ClosedRange<Int> = 0...0

    var commandName: String { (["pejling"] + path).joined(separator: " ") }

    var usageLine: String { usageParts.joined(separator: " ") }

    /// The usage line's parts: the command, the positionals, each option as one piece.
    var usageParts: [String] {
        var parts = [commandName]
        if !positionals.isEmpty { parts.append(positionals) }
        for option in options {
            parts.append(required.contains(option.name) ? option.usage : "[\(option.usage)]")
        }
        return parts
    }

    /// The usage line wrapped to `width` between its parts, never inside one (`[--date DATE]`).
    func wrappedUsage(heading: String, width: Int) -> String {
        let glued = usageParts.map { $0.replacingOccurrences(of: " ", with: "\u{A0}") }
        return wrap(([heading] + glued).joined(separator: " "), width: width, indent: "  ")
            .replacingOccurrences(of: "\u{A0}", with: " ")
    }

    /// The `--help` text in swift-argument-parser's layout, in `language`, wrapped to `width`.
    func helpText(globalOptions: [OptionSpec], language: Language, width: Int = 80) -> String {
        let heading = Heading(language)
        var text = wrap("\(heading.overview) \(abstract[language])", width: width) + "\n"
        if !discussion.isEmpty { text += "\n" + Self.paragraphs(discussion[language], width: width) + "\n" }
        text += "\n" + wrappedUsage(heading: heading.usage, width: width) + "\n"
        if !positionalHelp.isEmpty {
            text += "\n\(heading.arguments)\n"
            for (name, help) in positionalHelp { text += Self.row(name, help[language], width: width) }
        }
        text += "\n\(heading.options)\n"
        for option in options { text += Self.row(option.usage, option.help[language], width: width) }
        text += Self.row("-h, --help", Heading.help[language], width: width)
        text += "\n\(heading.globalOptions)\n"
        for option in globalOptions {
            text += Self.row(option.usage, option.help[language], width: width)
        }
        return text
    }

    /// `text`'s paragraphs wrapped to `width`: lines that start with a space (examples) and
    /// headings such as `EXAMPLES:` stand as they are; the lines of a paragraph are joined and
    /// broken again.
    static func paragraphs(_ text: String, width: Int) -> String {
        var out: [String] = []
        var paragraph: [Substring] = []
        func flush() {
            if !paragraph.isEmpty { out.append(wrap(paragraph.joined(separator: " "), width: width)) }
            paragraph = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let heading = line.hasSuffix(":") && line.uppercased() == line
            if line.isEmpty || line.hasPrefix(" ") || heading {
                flush()
                out.append(String(line))
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// The section headings of help texts: argument-parser's in English, their Danish words in Danish.
    struct Heading {
        let overview, usage, arguments, options, globalOptions, commands, subcommands: String

        init(_ language: Language) {
            let danish = language == .da
            overview = danish ? "OVERSIGT:" : "OVERVIEW:"
            usage = danish ? "BRUG:" : "USAGE:"
            arguments = danish ? "ARGUMENTER:" : "ARGUMENTS:"
            options = danish ? "TILVALG:" : "OPTIONS:"
            globalOptions = danish ? "FÆLLES TILVALG:" : "GLOBAL OPTIONS:"
            commands = danish ? "KOMMANDOER:" : "COMMANDS:"
            subcommands = danish ? "UNDERKOMMANDOER:" : "SUBCOMMANDS:"
        }

        static let help = HelpText(da: "Vis hjælp.", en: "Show help information.")
    }

    /// One row of a help list: the name in a column of 26, its help wrapped beside it to `width`
    /// (a name too long for the column stands on a line of its own).
    static func row(_ name: String, _ help: String, width: Int = 80) -> String {
        let column = String(repeating: " ", count: 26)
        let words = help.replacingOccurrences(of: "\n", with: " ")
        if name.count < 24 {
            let lead = "  " + name.padding(24)
            return lead + wrap(column + words, width: width, indent: column).dropFirst(26) + "\n"
        }
        return "  \(name)\n" + wrap(column + words, width: width, indent: column) + "\n"
    }
}

/// The options and arguments given to one command.
struct ParsedArguments: Sendable {
    var values: [String: String] = [:]
    /// Every value of a repeated option, in order.
    var lists: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var help = false
    /// The command the arguments were given to, named in usage errors.
    var command: [String] = []
    /// The language usage errors speak.
    var language: Language = .en

    subscript(name: String) -> String? { values[name] }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
}

/// Typed values of options, each checked once, with one usage error (exit 64) naming what is
/// wrong and how to write it.
extension ParsedArguments {
    private func t(_ da: String, _ en: String) -> String { language == .da ? da : en }

    /// The whole number given with `--name`, or nil when it is not given.
    /// - Parameter problem: what the error says about a value that is not a whole number in
    ///   `range`; by default that `--name` takes a whole number from the lower to the upper bound.
    func integer(_ name: String, in range: ClosedRange<Int>, problem: ((String) -> String)? = nil)
        throws(CommandError) -> Int?
    {
        guard let raw = values[name] else { return nil }
        guard let number = Int(raw), range.contains(number) else {
            throw .usage(
                problem?(raw)
                    ?? "'--\(name)' takes a whole number from \(range.lowerBound) to \(range.upperBound), not '\(raw)'.",
                command: command)
        }
        return number
    }

    /// The day given with `--name` (`2026-03-14`, or a full ISO 8601 date-time), or nil.
    func day(_ name: String) throws(CommandError) -> Day? {
        guard let raw = values[name] else { return nil }
        guard let day = Day(iso: raw) else {
            throw .usage(
                t(
                    "Datoen '\(raw)' til '--\(name)' er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2026-03-14.",
                    "The date '\(raw)' for '--\(name)' is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-14."
                ),
                command: command)
        }
        return day
    }

    /// `--since` and `--until`; the first may not come after the second.
    func period() throws(CommandError) -> (since: Day?, until: Day?) {
        let since = try day("since")
        let until = try day("until")
        if let since, let until, since > until {
            throw .usage(
                t(
                    "--since \(since) ligger efter --until \(until), så intet ligger imellem. Byt om på dem.",
                    "--since \(since) is after --until \(until), so nothing lies between them. Swap them."),
                command: command)
        }
        return (since, until)
    }

    /// The value of `--name`, one of the choices its option declares (the parser checked it), as
    /// `Choice`; `fallback` when it is not given.
    func choice<Choice: RawRepresentable<String>>(_ name: String, default fallback: Choice) -> Choice {
        choice(name) ?? fallback
    }

    /// The value of `--name`, one of the choices its option declares (the parser checked it), as
    /// `Choice`; nil when it is not given.
    func choice<Choice: RawRepresentable<String>>(_ name: String) -> Choice? {
        guard let raw = values[name] else { return nil }
        guard let choice = Choice(rawValue: raw) else {
            preconditionFailure("--\(name) declares the choice '\(raw)', which \(Choice.self) lacks")
        }
        return choice
    }

    /// The pseudonymous case id given with `--case`, checked (never a CPR number).
    /// - Throws: a usage error when it is missing or not a case id.
    func caseID() throws(CommandError) -> String {
        guard let raw = values["case"] else {
            throw .usage(
                t("Der mangler '--case ID'.", "Missing expected argument '--case ID'."), command: command)
        }
        return try caseID(raw)
    }

    /// `raw` checked as a pseudonymous case id.
    func caseID(_ raw: String) throws(CommandError) -> String {
        do {
            return try CaseID.validate(raw)
        } catch {
            throw .usage(error.message(danish: language == .da), command: command)
        }
    }

    /// Text given with `--name` (a comment, a goal, a note, a worker id), checked against `rule`;
    /// nil when it is not given.
    func text(_ name: String, rule: FreeText) throws(CommandError) -> String? {
        try text(values[name], name: name, rule: rule)
    }

    /// `raw`, given with `--name`, checked against `rule`.
    func text(_ raw: String?, name: String, rule: FreeText) throws(CommandError) -> String? {
        guard let raw, let problem = rule.problem(in: raw) else { return raw }
        throw .usage(
            "--\(name): " + FreeText.describe(problem, field: Self.fieldNames(name), danish: language == .da),
            command: command)
    }

    /// What an option's text is called in a sentence, in Danish and English.
    static func fieldNames(_ option: String) -> (da: String, en: String) {
        switch option {
        case "comment": return ("Kommentaren", "comment")
        case "goal": return ("Målet", "goal")
        case "note": return ("Noten", "note")
        case "reason": return ("Begrundelsen", "reason")
        case "worker": return ("Medarbejder-id'et", "worker id")
        default: return ("Teksten", "text")
        }
    }
}

extension CommandSpec {
    /// Parses `arguments` (the words after the command's name).
    /// - Throws: `CommandError.usage` naming the first thing that is wrong.
    func parse(_ arguments: [String], language: Language = .en) throws(CommandError) -> ParsedArguments {
        func t(_ da: String, _ en: String) -> String { language == .da ? da : en }
        var parsed = ParsedArguments(command: path, language: language)
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" {
                parsed.positionals.append(word)
                continue
            }
            if word == "--" {
                onlyPositionals = true
                continue
            }
            if word == "-h" || word == "--help" {
                parsed.help = true
                continue
            }
            var name = String(word.drop { $0 == "-" })
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            let option =
                word.hasPrefix("--")
                ? options.first { $0.name == name }
                : options.first { $0.short.map(String.init) == name }
            guard let option else {
                let similar = options.min { editDistance($0.name, name) < editDistance($1.name, name) }
                    .flatMap { editDistance($0.name, name) <= 2 ? $0 : nil }
                throw .usage(
                    t("Ukendt tilvalg '\(word)'.", "Unknown option '\(word)'.")
                        + (similar.map { t(" Mente du '--\($0.name)'?", " Did you mean '--\($0.name)'?") }
                            ?? ""),
                    command: path)
            }
            guard option.value != nil else {
                if inlineValue != nil {
                    throw .usage(
                        t(
                            "Tilvalget '--\(option.name)' tager ingen værdi.",
                            "The flag '--\(option.name)' takes no value."),
                        command: path)
                }
                parsed.flags.insert(option.name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else {
                    throw .usage(
                        t(
                            "Der mangler en værdi til '--\(option.name) <\(option.value!.lowercased())>'.",
                            "Missing value for '--\(option.name) <\(option.value!.lowercased())>'."),
                        command: path
                    )
                }
                value = arguments[index]
                index += 1
            }
            if !option.choices.isEmpty && !option.choices.contains(value) {
                throw .usage(
                    t(
                        "Værdien '\(value)' er ikke gyldig for '--\(option.name)'. Brug en af: \(option.choices.joined(separator: ", ")).",
                        "The value '\(value)' is invalid for '--\(option.name)'. Use one of: \(option.choices.joined(separator: ", "))."
                    ),
                    command: path)
            }
            if option.repeats {
                parsed.lists[option.name, default: []].append(value)
                continue
            }
            if parsed.values[option.name] != nil {
                throw .usage(
                    t(
                        "'--\(option.name)' er givet to gange; giv det én gang.",
                        "'--\(option.name)' is given twice; give it once."),
                    command: path)
            }
            parsed.values[option.name] = value
        }
        if parsed.help { return parsed }
        if !positionalCount.contains(parsed.positionals.count) {
            if parsed.positionals.count < positionalCount.lowerBound {
                throw .usage(
                    t("Der mangler '\(positionals)'.", "Missing expected argument '\(positionals)'."),
                    command: path)
            }
            let extra = parsed.positionals[positionalCount.upperBound]
            throw .usage(t("Uventet argument '\(extra)'.", "Unexpected argument '\(extra)'."), command: path)
        }
        for name in required.sorted() where parsed.values[name] == nil {
            let option = options.first { $0.name == name }!
            throw .usage(
                t("Der mangler '\(option.usage)'.", "Missing expected argument '\(option.usage)'."),
                command: path)
        }
        return parsed
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

/// The number of single-character edits between two words, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
