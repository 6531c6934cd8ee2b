/// The values of a record's fields (`AdministrationField`), as written: texts, the meeting date
/// as entered, whole numbers. Held in fixed slots: no allocation and no dictionary per record.
package struct FieldValues: Sendable {
    // Room for the list's fields, with some to spare (checked once, in `AdministrationField.layout`).
    @usableFromInline typealias Texts = InlineArray<8, String?>
    @usableFromInline typealias Integers = InlineArray<4, Int>
    static var textCapacity: Int { Texts.count }
    static var integerCapacity: Int { Integers.count }

    @usableFromInline var texts = Texts(repeating: nil)
    @usableFromInline var integers = Integers(repeating: 0)
    /// Which integer slots hold a number.
    @usableFromInline var present: UInt8 = 0

    package init() {}

    /// The text of a text field (or the meeting date as entered), or nil when absent.
    @inlinable
    package func text(_ field: AdministrationField) -> String? {
        precondition(field.isText, "\(field) holds no text")
        return texts[field.recordTextSlot]
    }

    @inlinable
    package mutating func set(_ field: AdministrationField, text: String?) {
        precondition(field.isText, "\(field) holds no text")
        texts[field.recordTextSlot] = text
    }

    /// The whole number of a whole-number field, or nil when absent.
    @inlinable
    package func integer(_ field: AdministrationField) -> Int? {
        precondition(!field.isText, "\(field) holds no whole number")
        let slot = field.recordIntegerSlot
        return present & (1 << slot) != 0 ? integers[slot] : nil
    }

    @inlinable
    package mutating func set(_ field: AdministrationField, integer: Int?) {
        precondition(!field.isText, "\(field) holds no whole number")
        let slot = field.recordIntegerSlot
        integers[slot] = integer ?? 0
        present = integer == nil ? present & ~(1 << slot) : present | (1 << slot)
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
/// reading hold, in fixed slots.
package struct SummaryFields: Sendable {
    // Room for the list's summarized fields, with some to spare (checked once, in
    // `AdministrationField.layout`).
    @usableFromInline typealias Texts = InlineArray<5, String?>
    @usableFromInline typealias Integers = InlineArray<3, Int>
    static var textCapacity: Int { Texts.count }
    static var integerCapacity: Int { Integers.count }

    @usableFromInline var texts = Texts(repeating: nil)
    @usableFromInline var integers = Integers(repeating: 0)
    /// Which integer slots hold a number.
    @usableFromInline var present: UInt8 = 0

    package init() {}

    /// The text of a summarized text field, or nil when absent.
    @inlinable
    package func text(_ field: AdministrationField) -> String? {
        let slot = field.summaryTextSlot
        precondition(slot >= 0, "summaries keep no text of \(field)")
        return texts[slot]
    }

    @inlinable
    package mutating func set(_ field: AdministrationField, text: String?) {
        let slot = field.summaryTextSlot
        precondition(slot >= 0, "summaries keep no text of \(field)")
        texts[slot] = text
    }

    /// The whole number of a summarized whole-number field (the meeting date as the number of
    /// its day), or nil when absent.
    @inlinable
    package func integer(_ field: AdministrationField) -> Int? {
        let slot = field.summaryIntegerSlot
        precondition(slot >= 0, "summaries keep no whole number of \(field)")
        return present & (1 << slot) != 0 ? integers[slot] : nil
    }

    @inlinable
    package mutating func set(_ field: AdministrationField, integer: Int?) {
        let slot = field.summaryIntegerSlot
        precondition(slot >= 0, "summaries keep no whole number of \(field)")
        integers[slot] = integer ?? 0
        present = integer == nil ? present & ~(1 << slot) : present | (1 << slot)
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

extension SummaryFields: Hashable {
    package static func == (lhs: SummaryFields, rhs: SummaryFields) -> Bool {
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
