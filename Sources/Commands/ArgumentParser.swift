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
    var help: String
    /// Whether the option may be given more than once (each value is kept).
    var repeats = false

    static func flag(_ name: String, short: Character? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, value: nil, choices: [], help: help)
    }

    static func value(_ name: String, _ placeholder: String, choices: [String] = [], _ help: String)
        -> OptionSpec
    {
        OptionSpec(name: name, short: nil, value: placeholder, choices: choices, help: help)
    }

    static func repeated(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
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
    var abstract: String
    /// Extra paragraphs for `--help` (discussion, examples).
    var discussion: String = ""
    /// Positional arguments in usage order, e.g. "<file> ...".
    var positionals: String = ""
    /// The positional arguments' help, shown under ARGUMENTS.
    var positionalHelp: [(String, String)] = []
    var options: [OptionSpec] = []
    /// Options that must be given, by name.
    var required: Set<String> = []
    /// Fewest and most positional arguments.
    var positionalCount: ClosedRange<Int> = 0...0

    var commandName: String { (["pejling"] + path).joined(separator: " ") }

    var usageLine: String {
        var parts = [commandName]
        if !positionals.isEmpty { parts.append(positionals) }
        for option in options {
            parts.append(required.contains(option.name) ? option.usage : "[\(option.usage)]")
        }
        return parts.joined(separator: " ")
    }

    /// The `--help` text in swift-argument-parser's layout.
    func helpText(globalOptions: [OptionSpec]) -> String {
        var text = "OVERVIEW: \(abstract)\n"
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        text += "\nUSAGE: \(usageLine)\n"
        if !positionalHelp.isEmpty {
            text += "\nARGUMENTS:\n"
            for (name, help) in positionalHelp { text += Self.row(name, help) }
        }
        text += "\nOPTIONS:\n"
        for option in options { text += Self.row(option.usage, option.help) }
        text += Self.row("-h, --help", "Show help information.")
        text += "\nGLOBAL OPTIONS:\n"
        for option in globalOptions { text += Self.row(option.usage, option.help) }
        return text
    }

    static func row(_ name: String, _ help: String) -> String {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        var text = ""
        if name.count < 24 {
            text += "  " + name.padding(24) + lines[0] + "\n"
        } else {
            text += "  \(name)\n" + String(repeating: " ", count: 26) + lines[0] + "\n"
        }
        for line in lines.dropFirst() { text += String(repeating: " ", count: 26) + line + "\n" }
        return text
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

    subscript(name: String) -> String? { values[name] }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
}

extension CommandSpec {
    /// Parses `arguments` (the words after the command's name).
    /// - Throws: `CommandError.usage` naming the first thing that is wrong.
    func parse(_ arguments: [String]) throws(CommandError) -> ParsedArguments {
        var parsed = ParsedArguments()
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
                    "Unknown option '\(word)'." + (similar.map { " Did you mean '--\($0.name)'?" } ?? ""),
                    command: path)
            }
            guard option.value != nil else {
                if inlineValue != nil {
                    throw .usage("The flag '--\(option.name)' takes no value.", command: path)
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
                        "Missing value for '--\(option.name) <\(option.value!.lowercased())>'.", command: path
                    )
                }
                value = arguments[index]
                index += 1
            }
            if !option.choices.isEmpty && !option.choices.contains(value) {
                throw .usage(
                    "The value '\(value)' is invalid for '--\(option.name)'. Use one of: \(option.choices.joined(separator: ", ")).",
                    command: path)
            }
            if option.repeats {
                parsed.lists[option.name, default: []].append(value)
                continue
            }
            if parsed.values[option.name] != nil {
                throw .usage("'--\(option.name)' is given twice; give it once.", command: path)
            }
            parsed.values[option.name] = value
        }
        if parsed.help { return parsed }
        if !positionalCount.contains(parsed.positionals.count) {
            if parsed.positionals.count < positionalCount.lowerBound {
                throw .usage("Missing expected argument '\(positionals)'.", command: path)
            }
            let extra = parsed.positionals[positionalCount.upperBound]
            throw .usage("Unexpected argument '\(extra)'.", command: path)
        }
        for name in required.sorted() where parsed.values[name] == nil {
            let option = options.first { $0.name == name }!
            throw .usage("Missing expected argument '\(option.usage)'.", command: path)
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
