import Support

/// A flag's id as a flag and a decision on it hold it: its number when it is a `FlagNumber` (every
/// id Pejling makes is), or else its text. A report over a store without decisions holds a million
/// open flags, so none keeps its id's text, and a flag finds its decision by number. The one place
/// that decides which form an id is held in; equal ids are held alike, so equality is the ids'.
struct FlagID: Sendable, Hashable {
    /// The id's number, when it is a `FlagNumber`.
    private(set) var number: UInt64?
    /// The id when it is not a `FlagNumber` (empty when it is).
    private var other: String

    init(_ text: String) {
        number = FlagNumber(text)?.value
        other = number == nil ? text : ""
    }

    init(number: UInt64) {
        self.number = number
        other = ""
    }

    var text: String { number.map { FlagNumber($0).text } ?? other }
}
