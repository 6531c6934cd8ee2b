/// Limits every JSON reader in Pejling keeps, so a hostile or broken file is refused with a message
/// instead of ending the program.
package enum JSONLimits {
    /// The deepest nesting of objects and arrays any JSON reader accepts.
    ///
    /// The readers descend recursively; a file of a hundred thousand `{` would overflow the stack.
    /// A journal record nests three levels and a FHIR Questionnaire or QuestionnaireResponse about
    /// a dozen (items within items, answers, extensions), so 100 leaves ample room.
    package static let maximumDepth = 100
}
