import InstrumentModel
import Support

/// How a session speaks and what it asks besides the items.
package struct SessionOptions: Sendable, Hashable {
    package var language: Language
    /// Who answers: a citizen scoring themselves is addressed directly.
    package var respondent: Respondent
    /// Numbered plain prompts only, for screen readers (`--accessible` or `ACCESSIBLE=1`).
    package var accessible: Bool
    /// The citizen's age, for an age-banded cut-off in the review.
    package var age: Int?
    /// Whether to ask for an optional comment in the citizen's own words.
    package var asksComment: Bool
    /// Whether worker-led: the worker reads the questions out and types the citizen's answers.
    package var workerLed: Bool
    /// The screen's width in characters: lines are broken between words before it. Nil leaves
    /// lines as they are (a pipe, a file, a test's transcript).
    package var width: Int?

    package init(
        language: Language = .en, respondent: Respondent = .citizen, accessible: Bool = false,
        age: Int? = nil,
        asksComment: Bool = true, workerLed: Bool = true, width: Int? = nil
    ) {
        self.width = width
        self.language = language
        self.respondent = respondent
        self.accessible = accessible
        self.age = age
        self.asksComment = asksComment
        self.workerLed = workerLed
    }

    package static let `default` = SessionOptions()
}

/// What a completed session gives: answers, scores, a comment and any goal changes.
package struct SessionResult: Sendable, Hashable {
    /// Answers by item id (by goal id for a goal-based instrument).
    package var answers: [String: ItemAnswer]
    package var scores: ScoreResult
    package var comment: String?
    package var goalChanges: [GoalChange]
    /// The goals rated, as they stand after the session.
    package var goals: [Goal]
}

/// Why a session ended without a result.
package enum SessionEnd: Error, Sendable, Hashable {
    /// Input ended before the respondent confirmed; nothing is to be saved.
    case endOfInput
}

/// Asks an instrument one question at a time over a console.
///
/// Prompts re-ask in a loop with one line saying what is valid; `?` shows help, `<` goes back,
/// an empty line keeps the answer shown (or skips an optional item). Nothing leaves the session
/// until the respondent confirms the review, so ending it early saves nothing.
package struct Session {
    private let instrument: Instrument
    private let console: Console
    private let options: SessionOptions
    private let text: SessionText
    private var goals: [Goal]
    private var goalChanges: [GoalChange] = []
    private var goalNumbering: GoalNumbering

    /// - Parameters:
    ///   - goals: the citizen's current goals (goal-based instruments only).
    ///   - usedGoalIDs: every goal id the case has had, so a new goal gets a fresh id.
    package init(
        instrument: Instrument, console: Console, options: SessionOptions = .default, goals: [Goal] = [],
        usedGoalIDs: Set<String> = []
    ) {
        self.instrument = instrument
        self.console = ScreenConsole(console, width: options.width)
        self.options = options
        self.goals = goals
        text = SessionText(language: options.language, citizen: !options.workerLed)
        goalNumbering = GoalNumbering(used: usedGoalIDs.union(goals.map(\.id)))
    }

    private var language: Language { options.language }

    /// Runs the session to the confirmed review.
    /// - Throws: `SessionEnd.endOfInput` when input ends first.
    package mutating func run() throws(SessionEnd) -> SessionResult {
        introduce()
        if let settings = instrument.goals, goals.isEmpty {
            try askForGoals(settings, first: true)
        }
        var questions = AnswerSheet.questions(instrument, goals: goals)
        var answers: [String: ItemAnswer] = [:]
        var index = 0
        while index < questions.count {
            let step = try ask(
                questions[index], number: index + 1, of: questions.count,
                current: answers[questions[index].id])
            switch step {
            case .answer(let answer):
                answers[questions[index].id] = answer
                index += 1
            case .back:
                if index == 0 {
                    console.writeLine(text("Det er det første spørgsmål.", "This is the first question."))
                } else {
                    index -= 1
                }
            }
        }
        var comment: String?
        if options.asksComment {
            comment = try askComment(current: nil)
        }
        while true {
            let scores: ScoreResult
            do {
                scores = try Scorer.score(instrument, answers: answers)
            } catch {
                preconditionFailure("validated answers did not score: \(error)")
            }
            review(questions, answers, scores, comment)
            guard let line = console.readLine() else { throw .endOfInput }
            let choice = line.trimmingCharacters(in: " \t").lowercased()
            if choice.isEmpty {
                return SessionResult(
                    answers: answers, scores: scores, comment: comment, goalChanges: goalChanges, goals: goals
                )
            }
            if let number = Int(choice), (1...questions.count).contains(number) {
                let question = questions[number - 1]
                while true {
                    if case .answer(let answer) = try ask(
                        question, number: number, of: questions.count, current: answers[question.id])
                    {
                        answers[question.id] = answer
                        break
                    }
                }
            } else if choice == "c" || choice == "k" {
                comment = try askComment(current: comment)
            } else if instrument.goals != nil, try changeGoals(choice, &questions, &answers) {
                continue
            } else {
                console.writeLine(reviewHelp(questions.count))
            }
        }
    }

    // MARK: Introduction

    private func introduce() {
        console.writeLine(instrument.title[language])
        console.writeLine(instrument.introduction[language])
        if options.workerLed {
            console.writeLine(
                text(
                    "Læs spørgsmålene op og skriv borgerens svar.",
                    "Read the questions aloud and type the citizen's answers."))
        }
        console.writeLine(
            text(
                "Skriv svaret og tryk Enter. ? giver hjælp, < går tilbage. Intet gemmes, før du siger til til sidst.",
                "Type the answer and press Enter. ? shows help, < goes back. Nothing is saved until you confirm at the end."
            ))
    }

    // MARK: One question

    private enum Step {
        case answer(ItemAnswer)
        case back
    }

    private func ask(_ question: Item, number: Int, of count: Int, current: ItemAnswer?)
        throws(SessionEnd) -> Step
    {
        console.writeLine()
        let heading =
            options.accessible
            ? text("Spørgsmål \(number) af \(count): ", "Question \(number) of \(count): ")
                + question.label[language]
            : "\(number)/\(count)  \(question.label[language])"
        console.writeLine(heading)
        console.writeLine(question.text[language])
        for line in choicesText(question.kind) { console.writeLine(line) }
        while true {
            console.write(prompt(question, current: current))
            guard let line = console.readLine() else { throw .endOfInput }
            let input = line.trimmingCharacters(in: " \t")
            switch input {
            case "?":
                console.writeLine(helpText(question))
                continue
            case "<":
                return .back
            case "":
                if let current { return .answer(current) }
                if question.optional { return .answer(.skipped) }
                console.writeLine(
                    text("Der skal et svar til her. ", "This one needs an answer. ")
                        + validText(question.kind))
                continue
            default:
                break
            }
            switch question.kind.parse(input, language: language) {
            case .success(let answer):
                if let safety = question.safety, case .number(let value) = answer,
                    safety.isTriggered(by: value)
                {
                    console.writeLine()
                    console.writeLine((options.accessible ? "" : "! ") + safety.text[language])
                    console.writeLine()
                }
                return .answer(answer)
            case .failure(let rejection):
                console.writeLine(text.rejection(rejection, input: input))
            }
        }
    }

    private func choicesText(_ kind: ItemKind) -> [String] {
        switch kind {
        case .scale(let scale):
            if options.accessible {
                return [
                    text(
                        "\(text.number(scale.min)) betyder \(scale.lowAnchor[language]), \(text.number(scale.max)) betyder \(scale.highAnchor[language]).",
                        "\(text.number(scale.min)) means \(scale.lowAnchor[language]), \(text.number(scale.max)) means \(scale.highAnchor[language])."
                    )
                ]
            }
            return [
                "\(text.number(scale.min)) = \(scale.lowAnchor[language])   \(text.number(scale.max)) = \(scale.highAnchor[language])"
            ]
        case .choice(let choices):
            let keys = ItemKind.choiceKeys(choices)
            return zip(keys, choices).map { "  \($0) = \($1.label[language])" }
        case .number, .text:
            return []
        }
    }

    private func prompt(_ question: Item, current: ItemAnswer?) -> String {
        var words = text("Svar", "Answer")
        switch question.kind {
        case .scale(let scale):
            let decimals = scale.step < 1 ? text(", decimaler tilladt", ", decimals allowed") : ""
            words += " (\(text.number(scale.min))–\(text.number(scale.max))\(decimals))"
        case .choice(let choices):
            let keys = ItemKind.choiceKeys(choices)
            words += " (\(keys.first!)–\(keys.last!))"
        case .number(let range):
            words += " (\(text.number(range.min))–\(text.number(range.max)))"
        case .text:
            break
        }
        if let current {
            words += text(
                " [nu: \(answerText(current)); Enter beholder]",
                " [now: \(answerText(current)); Enter keeps it]")
        } else if question.optional {
            words += text(" [Enter springer over]", " [Enter skips]")
        }
        return words + ": "
    }

    private func validText(_ kind: ItemKind) -> String {
        switch kind {
        case .scale(let scale):
            return text(
                "Skriv et tal fra \(text.number(scale.min)) til \(text.number(scale.max)).",
                "Type a number from \(text.number(scale.min)) to \(text.number(scale.max)).")
        case .choice(let choices):
            let keys = ItemKind.choiceKeys(choices)
            return text(
                "Skriv et af tallene \(keys.joined(separator: ", ")).",
                "Type one of the numbers \(keys.joined(separator: ", ")).")
        case .number(let range):
            return text(
                "Skriv et tal fra \(text.number(range.min)) til \(text.number(range.max)).",
                "Type a number from \(text.number(range.min)) to \(text.number(range.max)).")
        case .text:
            return text("Skriv med dine egne ord.", "Type it in your own words.")
        }
    }

    private func helpText(_ question: Item) -> String {
        var lines: [String] = []
        if let help = question.help { lines.append(help[language]) }
        lines.append(validText(question.kind))
        lines.append(
            text(
                "< går til forrige spørgsmål. Ctrl-D eller Ctrl-C afbryder uden at gemme.",
                "< goes to the previous question. Ctrl-D or Ctrl-C stops without saving."))
        if question.optional {
            lines.append(text("Tryk Enter for at springe over.", "Press Enter to skip."))
        }
        return lines.joined(separator: "\n")
    }

    func answerText(_ answer: ItemAnswer) -> String {
        switch answer {
        case .number(let value): return text.number(value)
        case .text(let words): return words
        case .skipped: return text("sprunget over", "skipped")
        }
    }

    // MARK: Comment

    private func askComment(current: String?) throws(SessionEnd) -> String? {
        console.writeLine()
        while true {
            console.write(commentPrompt(current: current))
            guard let line = console.readLine() else { throw .endOfInput }
            let words = line.trimmingCharacters(in: " \t")
            if words.isEmpty { return current }
            if words == "-" { return nil }
            if let problem = FreeText.comment.problem(in: words) {
                console.writeLine(describe(problem, field: ("Kommentaren", "comment")))
                continue
            }
            return words
        }
    }

    private func commentPrompt(current: String?) -> String {
        current == nil
            ? (options.workerLed
                ? text(
                    "Kommentar med borgerens egne ord (frivillig, Enter springer over): ",
                    "Comment in the citizen's own words (optional, Enter skips): ")
                : text(
                    "Vil du tilføje noget med dine egne ord? (frivilligt, Enter springer over): ",
                    "Anything to add in your own words? (optional, Enter skips): "))
            : text(
                "Ny kommentar (Enter beholder den, - fjerner den): ",
                "New comment (Enter keeps it, - removes it): ")
    }

    /// One line saying what is wrong with typed text, in the session's language.
    private func describe(_ problem: FreeText.Problem, field: (da: String, en: String)) -> String {
        FreeText.describe(problem, field: field, danish: language == .da)
    }

    // MARK: Review

    private func review(
        _ questions: [Item], _ answers: [String: ItemAnswer], _ scores: ScoreResult, _ comment: String?
    ) {
        console.writeLine()
        console.writeLine(
            options.workerLed ? text("Svarene", "The answers") : text("Dine svar", "Your answers"))
        let width = questions.map { $0.label[language].count }.max() ?? 0
        for (index, question) in questions.enumerated() {
            let label = question.label[language]
            let pad = String(repeating: " ", count: max(0, width - label.count))
            console.writeLine("  \(index + 1). \(label)\(pad)  \(answers[question.id].map(answerText) ?? "")")
        }
        if let comment { console.writeLine(text("  Kommentar: ", "  Comment: ") + comment) }
        console.writeLine(
            ScoreMeaning.sentence(scores.total, instrument: instrument, age: options.age, language: language))
        console.write(reviewPrompt(questions.count))
    }

    private func reviewPrompt(_ count: Int) -> String {
        var choices = [
            text("Enter = gem", "Enter = save"),
            text("1–\(count) = ret et svar", "1–\(count) = change an answer"),
        ]
        if options.asksComment { choices.append(text("k = ret kommentaren", "c = change the comment")) }
        if instrument.goals != nil {
            choices.append(text("m = ændr målene", "g = change the goals"))
        }
        return choices.joined(separator: options.accessible ? ", " : " · ") + ": "
    }

    private func reviewHelp(_ count: Int) -> String {
        text(
            "Tryk Enter for at gemme, eller skriv et tal fra 1 til \(count) for at rette det svar.",
            "Press Enter to save, or type a number from 1 to \(count) to change that answer.")
    }

    // MARK: Goals

    private mutating func askForGoals(_ settings: GoalSettings, first: Bool) throws(SessionEnd) {
        console.writeLine()
        console.writeLine(settings.goalPrompt[language])
        if first {
            console.writeLine(
                text(
                    "Op til \(settings.maxGoals) mål. Tryk Enter på en tom linje, når der ikke er flere.",
                    "Up to \(settings.maxGoals) goals. Press Enter on an empty line when there are no more."))
        }
        while goals.count < settings.maxGoals {
            console.write(text("Mål \(goals.count + 1): ", "Goal \(goals.count + 1): "))
            guard let line = console.readLine() else { throw .endOfInput }
            let words = line.trimmingCharacters(in: " \t")
            if words.isEmpty {
                if goals.isEmpty {
                    console.writeLine(text("Der skal mindst ét mål til.", "At least one goal is needed."))
                    continue
                }
                break
            }
            if let problem = FreeText.goal.problem(in: words) {
                console.writeLine(describe(problem, field: ("Målet", "goal")))
                continue
            }
            let goal = Goal(id: goalNumbering.take(), text: words)
            goals.append(goal)
            goalChanges.append(GoalChange(goal: goal.id, action: .set, text: words))
        }
    }

    /// Handles the goal menu at the review; returns whether `choice` opened it.
    private mutating func changeGoals(
        _ choice: String, _ questions: inout [Item], _ answers: inout [String: ItemAnswer]
    ) throws(SessionEnd) -> Bool {
        guard choice == "g" || choice == "m", let settings = instrument.goals else { return false }
        console.writeLine()
        for (index, goal) in goals.enumerated() { console.writeLine("  \(index + 1). \(goal.text)") }
        console.writeLine(
            text(
                "o2 = omformulér mål 2 · a2 = afslut mål 2 · n = nyt mål · Enter = tilbage",
                "r2 = reword goal 2 · x2 = retire goal 2 · n = new goal · Enter = back"))
        while true {
            console.write(text("Valg: ", "Choice: "))
            guard let line = console.readLine() else { throw .endOfInput }
            let input = line.trimmingCharacters(in: " \t").lowercased()
            if input.isEmpty { return true }
            let action = input.first!
            let number = Int(input.dropFirst())
            if action == "n" {
                guard goals.count < settings.maxGoals else {
                    console.writeLine(
                        text(
                            "Der er allerede \(settings.maxGoals) mål. Afslut et først.",
                            "There are already \(settings.maxGoals) goals. Retire one first."))
                    continue
                }
                let before = goals.count
                try askForGoals(settings, first: false)
                for goal in goals[before...] {
                    let question = Item(goal: goal, settings: settings)
                    questions.append(question)
                    while true {
                        if case .answer(let answer) = try ask(
                            question, number: questions.count, of: questions.count, current: nil)
                        {
                            answers[goal.id] = answer
                            break
                        }
                    }
                }
                return true
            }
            guard let number, (1...goals.count).contains(number), "roax".contains(action) else {
                console.writeLine(
                    text(
                        "Skriv fx o1 for at omformulere mål 1, a1 for at afslutte det, n for et nyt mål.",
                        "Type e.g. r1 to reword goal 1, x1 to retire it, n for a new goal."))
                continue
            }
            let goal = goals[number - 1]
            if action == "r" || action == "o" {
                console.write(text("Mål \(number) med nye ord: ", "Goal \(number) in new words: "))
                guard let line = console.readLine() else { throw .endOfInput }
                let words = line.trimmingCharacters(in: " \t")
                guard !words.isEmpty else { continue }
                if let problem = FreeText.goal.problem(in: words) {
                    console.writeLine(describe(problem, field: ("Målet", "goal")))
                    continue
                }
                goals[number - 1].text = words
                questions[number - 1] = Item(goal: goals[number - 1], settings: settings)
                goalChanges.append(GoalChange(goal: goal.id, action: .reword, text: words))
                return true
            }
            guard goals.count > 1 else {
                console.writeLine(
                    text(
                        "Mindst ét mål skal blive; tilføj et nyt først (n).",
                        "At least one goal must remain; add a new one first (n)."))
                continue
            }
            goals.remove(at: number - 1)
            questions.remove(at: number - 1)
            answers[goal.id] = nil
            goalChanges.append(GoalChange(goal: goal.id, action: .retire, text: nil))
            return true
        }
    }
}
