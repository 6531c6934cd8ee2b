/// Fixed slots for field values: `textCount` texts and `integerCount` whole numbers, each number
/// marked present or absent. The storage both `FieldValues` and `SummaryFields` keep their fields
/// in, each placing a field by its own slot of `AdministrationField`'s list: no allocation and no
/// dictionary per record.
package struct FieldSlots<let textCount: Int, let integerCount: Int>: Sendable {
    @usableFromInline var texts = InlineArray<textCount, String?>(repeating: nil)
    @usableFromInline var integers = InlineArray<integerCount, Int>(repeating: 0)
    /// Which integer slots hold a number.
    @usableFromInline var present: UInt8 = 0

    init() {}

    /// How many texts and whole numbers the slots hold.
    static var textCapacity: Int { textCount }
    static var integerCapacity: Int { integerCount }

    @inlinable
    func text(at slot: Int) -> String? { texts[slot] }

    @inlinable
    mutating func set(text: String?, at slot: Int) { texts[slot] = text }

    @inlinable
    func integer(at slot: Int) -> Int? { present & (1 << slot) != 0 ? integers[slot] : nil }

    @inlinable
    mutating func set(integer: Int?, at slot: Int) {
        integers[slot] = integer ?? 0
        present = integer == nil ? present & ~(1 << slot) : present | (1 << slot)
    }
}

extension FieldSlots: Hashable {
    package static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.present == rhs.present else { return false }
        for slot in 0..<textCount where lhs.texts[slot] != rhs.texts[slot] { return false }
        for slot in 0..<integerCount where lhs.integers[slot] != rhs.integers[slot] { return false }
        return true
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(present)
        for slot in 0..<textCount { hasher.combine(texts[slot]) }
        for slot in 0..<integerCount { hasher.combine(integers[slot]) }
    }
}

/// The values of a record's fields (`AdministrationField`), as written: texts, the meeting date
/// as entered, whole numbers.
package struct FieldValues: Sendable, Hashable {
    // Room for the list's fields, with some to spare (checked once, in `AdministrationField.layout`).
    @usableFromInline typealias Slots = FieldSlots<8, 4>
    @usableFromInline var slots = Slots()
    static var textCapacity: Int { Slots.textCapacity }
    static var integerCapacity: Int { Slots.integerCapacity }

    package init() {}

    /// The text of a text field (or the meeting date as entered), or nil when absent.
    @inlinable
    package func text(_ field: AdministrationField) -> String? {
        precondition(field.isText, "\(field) holds no text")
        return slots.text(at: field.recordTextSlot)
    }

    @inlinable
    package mutating func set(_ field: AdministrationField, text: String?) {
        precondition(field.isText, "\(field) holds no text")
        slots.set(text: text, at: field.recordTextSlot)
    }

    /// The whole number of a whole-number field, or nil when absent.
    @inlinable
    package func integer(_ field: AdministrationField) -> Int? {
        precondition(!field.isText, "\(field) holds no whole number")
        return slots.integer(at: field.recordIntegerSlot)
    }

    @inlinable
    package mutating func set(_ field: AdministrationField, integer: Int?) {
        precondition(!field.isText, "\(field) holds no whole number")
        slots.set(integer: integer, at: field.recordIntegerSlot)
    }

    /// The values a summary keeps of these: the summarized fields, the meeting date as the
    /// number of its day.
    package var summarized: SummaryFields {
        var summary = SummaryFields()
        AdministrationField.forEachSummarized { field, _, _ in
            switch field.kind {
            case .requiredText, .optionalText: summary.set(field, text: text(field))
            case .optionalInteger: summary.set(field, integer: integer(field))
            case .meetingDate: summary.set(field, integer: text(field).flatMap(SummaryScanner.day))
            }
        }
        return summary
    }
}

/// The values of the fields summaries keep (`AdministrationField.summarized`): texts, and whole
/// numbers with the meeting date as the number of its day. What an `AdministrationSummary` and a
/// reading hold.
package struct SummaryFields: Sendable, Hashable {
    // Room for the list's summarized fields, with some to spare (checked once, in
    // `AdministrationField.layout`).
    @usableFromInline typealias Slots = FieldSlots<5, 3>
    @usableFromInline var slots = Slots()
    static var textCapacity: Int { Slots.textCapacity }
    static var integerCapacity: Int { Slots.integerCapacity }

    package init() {}

    /// The text of a summarized text field, or nil when absent.
    @inlinable
    package func text(_ field: AdministrationField) -> String? {
        let slot = field.summaryTextSlot
        precondition(slot >= 0, "summaries keep no text of \(field)")
        return slots.text(at: slot)
    }

    @inlinable
    package mutating func set(_ field: AdministrationField, text: String?) {
        let slot = field.summaryTextSlot
        precondition(slot >= 0, "summaries keep no text of \(field)")
        slots.set(text: text, at: slot)
    }

    /// The whole number of a summarized whole-number field (the meeting date as the number of
    /// its day), or nil when absent.
    @inlinable
    package func integer(_ field: AdministrationField) -> Int? {
        let slot = field.summaryIntegerSlot
        precondition(slot >= 0, "summaries keep no whole number of \(field)")
        return slots.integer(at: slot)
    }

    @inlinable
    package mutating func set(_ field: AdministrationField, integer: Int?) {
        let slot = field.summaryIntegerSlot
        precondition(slot >= 0, "summaries keep no whole number of \(field)")
        slots.set(integer: integer, at: slot)
    }
}
