/// The values of an administration's fields (`AdministrationField`), held in fixed slots: no
/// allocation and no dictionary per administration.
///
/// A record keeps each field as written: texts, the meeting date as entered, whole numbers. A
/// summary (and a reading) keeps its summarized fields, the meeting date as its day number.
package struct FieldValues: Sendable {
    /// Room for the list's text fields and whole-number fields, with some to spare (the list is
    /// checked against it once, in `AdministrationField.layout`).
    private typealias Texts = InlineArray<8, String?>
    private typealias Integers = InlineArray<4, Int>
    static var textCapacity: Int { Texts.count }
    static var integerCapacity: Int { Integers.count }

    private var texts = Texts(repeating: nil)
    private var integers = Integers(repeating: 0)
    /// Which integer slots hold a number.
    private var present: UInt8 = 0

    package init() {}

    /// The text of `field` (a text field, or a record's meeting date), or nil when absent.
    @inline(__always)
    package func text(_ field: AdministrationField) -> String? {
        let slot = AdministrationField.layout.textSlot[field.rawValue]
        precondition(slot >= 0, "\(field) holds no text")
        return texts[slot]
    }

    @inline(__always)
    package mutating func set(_ field: AdministrationField, text: String?) {
        let slot = AdministrationField.layout.textSlot[field.rawValue]
        precondition(slot >= 0, "\(field) holds no text")
        texts[slot] = text
    }

    /// The whole number of `field` (a whole-number field, or a summary's meeting day), or nil
    /// when absent.
    @inline(__always)
    package func integer(_ field: AdministrationField) -> Int? {
        let slot = AdministrationField.layout.integerSlot[field.rawValue]
        precondition(slot >= 0, "\(field) holds no whole number")
        return present & (1 << slot) != 0 ? integers[slot] : nil
    }

    @inline(__always)
    package mutating func set(_ field: AdministrationField, integer: Int?) {
        let slot = AdministrationField.layout.integerSlot[field.rawValue]
        precondition(slot >= 0, "\(field) holds no whole number")
        if let integer {
            integers[slot] = integer
            present |= 1 << slot
        } else {
            integers[slot] = 0
            present &= ~(1 << slot)
        }
    }

    /// The values a summary keeps of a record's: its summarized fields, the meeting date as its
    /// day number.
    package var summarized: FieldValues {
        var summary = FieldValues()
        for field in AdministrationField.layout.summarized {
            switch field.kind {
            case .requiredText, .optionalText: summary.set(field, text: text(field))
            case .optionalInteger: summary.set(field, integer: integer(field))
            case .meetingDate: summary.set(field, integer: text(field).flatMap(SummaryScanner.day))
            }
        }
        return summary
    }
}

extension FieldValues: Hashable {
    package static func == (lhs: FieldValues, rhs: FieldValues) -> Bool {
        guard lhs.present == rhs.present else { return false }
        for slot in 0..<textCapacity where lhs.texts[slot] != rhs.texts[slot] { return false }
        for slot in 0..<integerCapacity where lhs.integers[slot] != rhs.integers[slot] { return false }
        return true
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(present)
        for slot in 0..<Self.textCapacity { hasher.combine(texts[slot]) }
        for slot in 0..<Self.integerCapacity { hasher.combine(integers[slot]) }
    }
}
