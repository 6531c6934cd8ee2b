import Foundation
import InstrumentModel
import Storage

/// Records read from an interchange file (CSV or FHIR), checked in full before anything is written.
package struct RecordImport: Sendable {
    /// The records to append, keeping the ids and times the source carries.
    package var records: [Record]
    /// Things worth saying that do not stop the import (a total that disagrees with its answers).
    package var warnings: [String]

    package init(records: [Record], warnings: [String]) {
        self.records = records
        self.warnings = warnings
    }

    /// The facts an import needs besides the file: instruments, who imports, and when.
    package struct Setting: Sendable {
        package var catalogue: InstrumentCatalogue
        /// The language of choice labels typed on paper forms.
        package var language: Language
        /// Who writes the records, such as `anna@laptop`.
        package var writer: String
        /// The time given to records whose source carries none.
        package var now: Date
        /// Ids for records whose source carries none.
        package var makeID: @Sendable () -> String
        /// Goals the store already holds, as `case/instrument/goal`: an imported goal rating adds the
        /// goal's wording only when the goal is new.
        package var heldGoals: Set<String>
        /// The case every FHIR response is imported to, whatever its `subject` (`--case`).
        package var caseID: String?
        /// Case ids by a response's `subject`: its reference (`Patient/17`), its identifier's
        /// value, or `system|value` (`--case-map`).
        package var caseMap: [String: String]

        package init(
            catalogue: InstrumentCatalogue, language: Language = .en, writer: String, now: Date,
            makeID: @escaping @Sendable () -> String = Store.randomID, heldGoals: Set<String> = [],
            caseID: String? = nil, caseMap: [String: String] = [:]
        ) {
            self.catalogue = catalogue
            self.language = language
            self.writer = writer
            self.now = now
            self.makeID = makeID
            self.heldGoals = heldGoals
            self.caseID = caseID
            self.caseMap = caseMap
        }
    }

    /// Returns the scores of `answers` as stored: the total and any subscale or goal parts.
    static func scores(_ instrument: Instrument, _ answers: [String: ItemAnswer]) throws(InstrumentError)
        -> [String: Double]
    {
        try Scorer.score(instrument, answers: answers).stored
    }

    package static func stored(_ answer: ItemAnswer) -> Answer {
        switch answer {
        case .number(let value): return .number(value)
        case .text(let words): return .text(words)
        case .skipped: return .skipped
        }
    }

    /// Whether `id` may be used as a record id (and a FHIR resource id): 1–64 letters, digits, `-`, `.`.
    static func isValidID(_ id: String) -> Bool {
        // Only ASCII is allowed, so bytes are characters.
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            }
    }
}

/// One thing wrong with an import file, and where.
package struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where: `row 3, column ors.socially`, or `QuestionnaireResponse 8f2e…`.
    package var location: String
    package var message: String

    package init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    package var description: String { "\(location): \(message)" }
}

/// Every problem found in an import file; nothing is written while there are any.
package struct RecordImportError: Error, Sendable, Hashable, CustomStringConvertible {
    package var problems: [ImportProblem]

    package init(problems: [ImportProblem]) {
        self.problems = problems
    }

    package var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// The number of records, and of administrations per instrument and case, counted one record at a
/// time: what an import says it did.
package struct RecordCounts: Sendable {
    private var byInstrument: [String: [String: Int]] = [:]
    /// Every record counted.
    package private(set) var records = 0
    /// The cases of the records counted.
    package private(set) var cases: Set<String> = []

    package init() {}

    package mutating func add(_ record: Record) {
        records += 1
        cases.insert(record.caseID)
        guard case .administration(let content) = record.body else { return }
        byInstrument[content.instrument, default: [:]][record.caseID, default: 0] += 1
    }

    /// The administrations counted.
    package var administrations: Int { byInstrument.values.reduce(0) { $0 + $1.values.reduce(0, +) } }

    /// The number of administrations per instrument and case, by instrument, then case.
    package var rows: [(instrument: String, caseID: String, count: Int)] {
        byInstrument.keys.sorted().flatMap { instrument in
            byInstrument[instrument]!.keys.sorted().map { (instrument, $0, byInstrument[instrument]![$0]!) }
        }
    }
}
