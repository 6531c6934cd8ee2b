import Support

extension Record {
    /// The first text field of the record that breaks its `FreeText` rule, and why: the store's
    /// last check, so that no way of writing (a prompt, a flag, an import) stores a 100 MB comment
    /// or a terminal escape. Commands check the same rules earlier, with friendlier messages.
    var textProblem: (field: String, problem: FreeText.Problem)? {
        func check(_ text: String?, _ field: String, _ rule: FreeText) -> (String, FreeText.Problem)? {
            guard let text, let problem = rule.problem(in: text) else { return nil }
            return (field, problem)
        }
        func check(_ administration: AdministrationRecord) -> (String, FreeText.Problem)? {
            if let found = check(administration.worker, "worker", .workerID) { return found }
            if let found = check(administration.comment, "comment", .comment) { return found }
            for (item, answer) in administration.answers.sorted(by: { $0.key < $1.key }) {
                if case .text(let words) = answer, let found = check(words, "answer \(item)", .comment) {
                    return found
                }
            }
            return nil
        }
        switch body {
        case .administration(let administration): return check(administration)
        case .correction(_, let replacement): return check(replacement)
        case .withdrawal(_, let reason): return check(reason, "reason", .note)
        case .goal(let goal): return check(goal.text, "goal", .goal)
        case .decision(let decision):
            return check(decision.note, "note", .note) ?? check(decision.worker, "worker", .workerID)
        case .erasure: return nil
        }
    }
}
