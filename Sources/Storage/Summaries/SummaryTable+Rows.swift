import Support

/// The administrations of a summary table read row by row, field by field: how the rest of the
/// package sees a table, while the layout of its entries stays Storage's own.
///
/// The table's arrays are taken out once, so that reading a million rows does not go through the
/// table for every field of every one.
package struct SummaryRows: Sendable {
    private let rows: [TableEntry]
    private let shapes: [EntryShape]
    /// The strings that `caseNumber(_:)` and `instrumentNumber(_:)` refer to.
    package let strings: [String]
    private let partNames: [UInt32]
    private let partValues: [Double]

    package init(_ table: SummaryTable) {
        rows = table.rows
        shapes = table.shapes.all
        strings = table.pool.strings
        partNames = table.partNames
        partValues = table.partValues
    }

    /// How many rows there are.
    package var count: Int { rows.count }

    /// The row's entry in full (for every field at once).
    @inline(__always)
    private func entry(_ row: Int) -> SummaryEntry {
        let stored = rows[row]
        return EntryShapes.joined(stored, shapes[Int(stored.shape)])
    }

    /// The row as the table holds it, with its shape: read in place, without making its entry.
    @inline(__always)
    private func stored(_ row: Int) -> (row: TableEntry, shape: EntryShape) {
        let stored = rows[row]
        return (stored, shapes[Int(stored.shape)])
    }

    /// The number in `strings` of the row's case id.
    package func caseNumber(_ row: Int) -> Int { Int(rows[row].caseID) }

    /// The number in `strings` of the row's instrument id.
    package func instrumentNumber(_ row: Int) -> Int { Int(stored(row).shape.string(.instrument) ?? 0) }

    /// The record id: 128 bits for the store's own ids, else its text.
    package func id(_ row: Int) -> (bits: (high: UInt64, low: UInt64)?, text: String?) {
        let (stored, shape) = stored(row)
        return id(of: stored, shape)
    }

    private func id(of row: TableEntry, _ shape: EntryShape) -> (
        bits: (high: UInt64, low: UInt64)?, text: String?
    ) {
        shape.has(.textID) ? (nil, strings[Int(row.idHigh)]) : ((row.idHigh, row.idLow), nil)
    }

    /// What a reading of a row holds of its own: `id(row)`, `day(row)`, `time(row)`,
    /// `total(row)`, the number in `strings` of its instrument id (nil when it has none) and its
    /// age, read in one visit to the row (a report makes a reading of every row).
    package func readingFacts(_ row: Int) -> ReadingFacts {
        let (stored, shape) = stored(row)
        return ReadingFacts(
            id: id(of: stored, shape), day: Self.day(of: stored, shape), time: stored.time,
            total: shape.has(.total) ? stored.total : nil,
            instrument: shape.string(.instrument).map { Int($0) },
            age: shape.integer(.age, of: stored).map { Int($0) })
    }

    /// What `readingFacts(_:)` gives.
    package struct ReadingFacts {
        package var id: (bits: (high: UInt64, low: UInt64)?, text: String?)
        package var day: Int
        package var time: Double
        package var total: Double?
        package var instrument: Int?
        package var age: Int?
    }

    /// The number in `strings` of the row's case id, its day and its time: what `caseNumber(_:)`,
    /// `day(_:)` and `time(_:)` give, read in one visit to the row (the index reads them of every
    /// row to put the rows in place).
    package func placing(_ row: Int) -> (caseNumber: Int, day: Int, time: Double) {
        let (stored, shape) = stored(row)
        return (Int(stored.caseID), Self.day(of: stored, shape), stored.time)
    }

    /// The record id as written.
    package func idText(_ row: Int) -> String {
        let (bits, text) = id(row)
        return text ?? HexID(high: bits!.high, low: bits!.low).text
    }

    /// When the record was written, in seconds since 1970.
    package func time(_ row: Int) -> Double { rows[row].time }

    /// The meeting's day, counted from 1970-01-01: a meeting date that cannot be read falls back
    /// to the day (UTC) the record was written.
    package func day(_ row: Int) -> Int {
        let (stored, shape) = stored(row)
        return Self.day(of: stored, shape)
    }

    private static func day(of row: TableEntry, _ shape: EntryShape) -> Int {
        shape.integer(.date, of: row).map { Int($0) } ?? Int((row.time / 86_400).rounded(.down))
    }

    /// The total score, nil when too many items were skipped.
    package func total(_ row: Int) -> Double? {
        let (stored, shape) = stored(row)
        return shape.has(.total) ? stored.total : nil
    }

    /// The scores other than the total, by name.
    package func parts(_ row: Int) -> [String: Double] {
        let entry = entry(row)
        var parts: [String: Double] = [:]
        if entry.partCount > 0 {
            parts.reserveCapacity(Int(entry.partCount))
            for part in Int(entry.partStart)..<Int(entry.partStart + entry.partCount) {
                parts[strings[Int(partNames[part])]] = partValues[part]
            }
        }
        return parts
    }

    /// The score named `name` among the row's parts, or nil: what `parts(row)[name]` gives,
    /// without making the dictionary.
    package func part(_ name: String, _ row: Int) -> Double? {
        let entry = entry(row)
        // The last of a name, as the dictionary keeps it.
        var found: Double?
        for part in Int(entry.partStart)..<Int(entry.partStart + entry.partCount)
        where strings[Int(partNames[part])] == name {
            found = partValues[part]
        }
        return found
    }

    /// The text of a summarized text field, or nil when the row does not have it.
    package func text(_ field: AdministrationField, _ row: Int) -> String? {
        stored(row).shape.string(field).map { strings[Int($0)] }
    }

    /// The whole number of a summarized whole-number field (the meeting date as its day number),
    /// or nil when the row does not have it.
    package func integer(_ field: AdministrationField, _ row: Int) -> Int? {
        let (stored, shape) = stored(row)
        return shape.integer(field, of: stored).map { Int($0) }
    }

    /// Every summarized field of the row.
    package func fields(_ row: Int) -> SummaryFields { entry(row).fields(strings) }

    package func worker(_ row: Int) -> String? { text(.worker, row) }
}
