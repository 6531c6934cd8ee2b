import InstrumentModel

/// Answers given all at once — `--answers 4.2,5,3.8,6.1`, one per line on a pipe, or a row of a
/// paper form — checked exactly as the interactive session checks them, all or nothing.
package enum AnswerSheet {
    /// A problem with one answer of a sheet.
    package struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The answer's position, from 1.
        package var position: Int
        package var message: String
        package var description: String { message }
    }

    /// The questions a sheet answers, in order: the items, or for a goal-based instrument the
    /// current goals.
    package static func questions(_ instrument: Instrument, goals: [Goal]) -> [Item] {
        if let settings = instrument.goals {
            return goals.map { Item(goal: $0, settings: settings) }
        }
        return instrument.items
    }

    /// Returns the answers by item (or goal) id.
    ///
    /// An empty answer skips an optional item. Every answer is checked and every problem reported.
    /// - Throws: the problems, each naming its position, the value and what is valid.
    package static func parse(
        _ values: [String], instrument: Instrument, goals: [Goal], language: Language
    ) throws(SheetError) -> [String: ItemAnswer] {
        let text = SessionText(language: language, citizen: false)
        let questions = questions(instrument, goals: goals)
        if instrument.goals != nil && goals.isEmpty {
            throw SheetError(problems: [
                Problem(
                    position: 0,
                    message: text(
                        "Der er endnu ingen mål at vurdere. Sæt målene først: kør 'pejling ask gbo' uden svar, eller brug --goal \"...\".",
                        "There are no goals to rate yet. Set the goals first: run 'pejling ask gbo' without answers, or use --goal \"...\"."
                    ))
            ])
        }
        guard values.count == questions.count else {
            let names = questions.map { $0.label[language] }.joined(separator: ", ")
            throw SheetError(problems: [
                Problem(
                    position: 0,
                    message: text(
                        "Der er \(values.count) svar, men \(instrument.abbreviation) har \(questions.count) spørgsmål (\(names)).",
                        "There are \(values.count) answers, but \(instrument.abbreviation) has \(questions.count) questions (\(names))."
                    ))
            ])
        }
        var answers: [String: ItemAnswer] = [:]
        var problems: [Problem] = []
        for (index, (value, question)) in zip(values, questions).enumerated() {
            let trimmed = value.trimmingCharacters(in: " \t")
            if trimmed.isEmpty && question.optional {
                answers[question.id] = .skipped
                continue
            }
            switch question.kind.parse(trimmed, language: language) {
            case .success(let answer):
                answers[question.id] = answer
            case .failure(let rejection):
                let prefix = text(
                    "Svar \(index + 1) (\(question.label[language])): ",
                    "Answer \(index + 1) (\(question.label[language])): ")
                problems.append(
                    Problem(position: index + 1, message: prefix + text.rejection(rejection, input: trimmed)))
            }
        }
        guard problems.isEmpty else { throw SheetError(problems: problems) }
        return answers
    }
}

/// Every problem found in a sheet of answers.
package struct SheetError: Error, Sendable, Hashable, CustomStringConvertible {
    package var problems: [AnswerSheet.Problem]
    package var description: String { problems.map(\.message).joined(separator: "\n") }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
