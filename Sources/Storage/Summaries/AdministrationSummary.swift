import Foundation

/// What reports need of one administration: no answers, strings shared between records.
///
/// Reading a million administrations as full records costs a dozen allocations each; a summary
/// costs one (its id), because case, instrument, worker and respondent strings are interned.
package struct AdministrationSummary: Sendable {
    package var id: String
    package var caseID: String
    /// When it was written.
    package var time: Date
    package var total: Double?
    /// The scores other than the total (subscales, goal ratings).
    package var parts: [String: Double]
    /// The summarized fields of `AdministrationField`'s list, the meeting date as its day number.
    package var fields: SummaryFields

    package init(
        id: String, caseID: String, time: Date, total: Double?, parts: [String: Double], fields: SummaryFields
    ) {
        self.id = id
        self.caseID = caseID
        self.time = time
        self.total = total
        self.parts = parts
        self.fields = fields
    }

    /// The text of a summarized text field, or nil when absent.
    package func text(_ field: AdministrationField) -> String? { fields.text(field) }

    /// The whole number of a summarized whole-number field (the meeting date as its day number),
    /// or nil when absent.
    package func integer(_ field: AdministrationField) -> Int? { fields.integer(field) }

    package var instrument: String { fields.text(.instrument) ?? "" }
    package var worker: String? { fields.text(.worker) }
    package var respondent: String { fields.text(.respondent) ?? "" }
    /// The meeting's day, counted from 1970-01-01, or nil when the date cannot be read.
    package var day: Int? { fields.integer(.date) }
    package var age: Int? { fields.integer(.age) }
    package var comment: String? { fields.text(.comment) }
}

/// The store read for reports: administrations as summaries, every other record in full.
package struct SummarySnapshot: Sendable {
    /// Administrations, de-duplicated, erased cases left out; in no particular order.
    package var table: SummaryTable
    /// Every other record (corrections, withdrawals, goals, decisions, erasures) ordered by time.
    package var otherRecords: OtherRecords
    package var problems: [StoreProblem]
    package var journals: Int
    /// Identifies the journals' bytes this read saw (each journal's name, file, length, first and
    /// last bytes): the same number means nothing was written in between.
    package var fingerprint: UInt64 = 0
}

extension AdministrationSummary {
    /// The summary of a full administration record (or of a correction's replacement, under the
    /// id of the record it corrects).
    package init(_ record: Record, _ content: AdministrationRecord, id: String? = nil) {
        var parts = content.scores
        let total = parts.removeValue(forKey: "total")
        self.init(
            id: id ?? record.id, caseID: record.caseID, time: record.time, total: total, parts: parts,
            fields: content.fields.summarized)
    }
}

extension SummarySnapshot {
    /// The snapshot of full records, as `Store.read()` gives them.
    package init(records: [Record], problems: [StoreProblem] = [], journals: Int = 0) {
        var administrations: [AdministrationSummary] = []
        for record in records {
            if case .administration(let content) = record.body {
                administrations.append(AdministrationSummary(record, content))
            }
        }
        self.init(
            table: SummaryTable(administrations), otherRecords: OtherRecords(records), problems: problems,
            journals: journals)
    }

    /// Every other record in full, in order (made anew from `otherRecords` on each call).
    package var others: [Record] { otherRecords.records }

    /// Every administration as a summary (made anew from the table on each call).
    package var administrations: [AdministrationSummary] { table.summaries }
}
