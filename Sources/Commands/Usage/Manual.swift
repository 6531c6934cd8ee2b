/// The manual page `pejling.1`, for `pejling --generate-manual`: roff written from the same specs as
/// `--help`, so the page never says something the help does not.
enum Manual {
    /// Returns the whole page as roff (man macros), 7-bit: other characters as `\[uXXXX]`.
    static func page(
        summary: String, overview: String, commands: [CommandSpec], globalOptions: [OptionSpec],
        toolOptions: [OptionSpec],
        version: String
    ) -> String {
        var page = """
            .TH PEJLING 1 "" "pejling \(version)" "Pejling Manual"
            .nh
            .ad l
            .SH NAME
            pejling \\- \(text(summary))
            .SH SYNOPSIS
            .B pejling
            [\\fIglobal options\\fR]
            .I command
            [\\fIoptions\\fR]
            .SH DESCRIPTION

            """
        page += paragraphs(overview)
        page += ".PP\nEach command below has \\fB\\-\\-help\\fR too; its text is the one shown here.\n"
        page += ".SH GLOBAL OPTIONS\n"
        for option in globalOptions + toolOptions { page += item(option) }
        page += item(.flag("version", HelpText(da: "Vis versionen.", en: "Show the version.")))
        page += item(.flag("help", short: "h", CommandSpec.Heading.help))
        page += ".SH COMMANDS\n"
        for spec in commands {
            page += ".SS \"\(text(spec.commandName))\"\n"
            page += paragraphs(spec.abstract.en)
            page += ".PP\n.B Usage:\n.br\n\(text(spec.usageLine))\n"
            if !spec.discussion.isEmpty { page += paragraphs(spec.discussion.en) }
            for (name, help) in spec.positionalHelp {
                page += ".TP\n.I \(text(name))\n\(lines(help.en))"
            }
            for option in spec.options { page += item(option) }
        }
        page += """
            .SH ENVIRONMENT
            .TP
            .B PEJLING_STORE
            The store folder when \\fB\\-\\-store\\fR is not given.
            .TP
            .B PEJLING_INSTRUMENTS
            The organisation's instrument folder when \\fB\\-\\-instruments\\fR is not given.
            .TP
            .B PEJLING_WRITER
            The writer's name in the journals (default the user name).
            .TP
            .B PEJLING_TODAY
            A date (YYYY\\-MM\\-DD) to use as today, for reproducible examples and checks.
            .TP
            .B NO_COLOR\\fR, \\fBTERM=dumb
            Turn colour off.
            .TP
            .B ACCESSIBLE
            Plain numbered prompts for screen readers.
            .TP
            .B COLUMNS
            The width of charts and tables when \\fB\\-\\-width\\fR is not given.
            .SH EXIT STATUS
            0 success, 1 failure, 64 a wrong command line, 65 bad data, 130 interrupted.

            """
        return page
    }

    /// An option as a tagged paragraph: its usage in bold, its help below.
    private static func item(_ option: OptionSpec) -> String {
        var tag = "\\fB" + (option.short.map { "\\-\($0), " } ?? "") + "\\-\\-" + text(option.name) + "\\fR"
        if option.value != nil {
            let value = option.choices.isEmpty ? option.value! : option.choices.joined(separator: "|")
            tag += " \\fI" + text(value) + "\\fR"
        }
        if option.repeats { tag += " ..." }
        return ".TP\n\(tag)\n\(lines(option.help.en))"
    }

    /// Help text as paragraphs: prose is filled; lines indented in the help (examples) stay as they are.
    private static func paragraphs(_ help: String) -> String {
        var roff = ""
        for paragraph in help.components(separatedBy: "\n\n") where !paragraph.isEmpty {
            let rows = paragraph.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let literal = rows.dropFirst().contains { $0.hasPrefix("  ") }
            roff += ".PP\n"
            if literal {
                roff += ".nf\n" + rows.map { text($0) + "\n" }.joined() + ".fi\n"
            } else {
                roff += lines(paragraph)
            }
        }
        return roff
    }

    /// Text as filled roff lines.
    private static func lines(_ help: String) -> String {
        help.split(separator: "\n").map { text(String($0.trimmingPrefix { $0 == " " })) + "\n" }.joined()
    }

    /// Escapes text for roff: backslashes, hyphens as minus signs where they are option dashes,
    /// a leading dot or quote, and every character outside 7-bit ASCII.
    static func text(_ raw: String) -> String {
        var escaped = ""
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\e"
            case "-": escaped += "\\-"
            case _ where scalar.value > 126:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                escaped += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        if escaped.hasPrefix(".") || escaped.hasPrefix("'") { escaped = "\\&" + escaped }
        return escaped
    }
}
