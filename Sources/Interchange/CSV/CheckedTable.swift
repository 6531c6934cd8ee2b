import Storage

/// A CSV file of administrations with every row checked, whose records are made anew each time it
/// is gone through, so that a file of a million rows is imported without a million records in
/// memory: one pass checks, another writes.
package struct CheckedTable: Sequence {
    /// Why a file cannot be imported.
    package enum Failure: Error {
        /// A quote opened on this line is never closed.
        case unterminatedQuote(line: Int)
        /// The problems of the header or the rows.
        case problems(RecordImportError)
    }

    private let bytes: [UInt8]
    private let separator: UInt8
    /// The reader as it is after the header, before any row.
    private let start: AdministrationTable.RowReader
    /// Things worth saying that do not stop the import (a total that disagrees with its answers).
    package let warnings: [String]

    /// Reads every row of `bytes` (UTF-8 CSV in either dialect, as `CSVReader` reads it) and
    /// checks it as `AdministrationTable.records` does, giving `each` the record of every row
    /// without problems as it goes (what a dry run counts).
    /// - Throws: an unclosed quote first, else every problem.
    package init(
        checking bytes: [UInt8], setting: RecordImport.Setting, each: (Record) -> Void = { _ in }
    ) throws(Failure) {
        self.bytes = bytes
        separator = CSVReader.separator(of: bytes)
        var rows = CSVReader.Rows(bytes, separator: separator)
        let header = rows.next()
        let start: AdministrationTable.RowReader
        do throws(RecordImportError) {
            start = try AdministrationTable.RowReader(header: header, setting: setting)
        } catch {
            while rows.next() != nil {}
            if let open = rows.unterminatedQuote { throw .unterminatedQuote(line: open.line) }
            throw .problems(error)
        }
        var reader = start
        var number = 1
        while let row = rows.next() {
            number += 1
            if let record = reader.record(row, number: number) { each(record) }
        }
        if let open = rows.unterminatedQuote { throw .unterminatedQuote(line: open.line) }
        do throws(RecordImportError) {
            try reader.finish()
        } catch {
            throw .problems(error)
        }
        self.start = start
        warnings = reader.warnings
    }

    package func makeIterator() -> Iterator {
        var rows = CSVReader.Rows(bytes, separator: separator)
        _ = rows.next()
        return Iterator(rows: rows, reader: start)
    }

    /// The records of the rows, in their order.
    package struct Iterator: IteratorProtocol {
        var rows: CSVReader.Rows
        var reader: AdministrationTable.RowReader
        var number = 1

        package mutating func next() -> Record? {
            while let row = rows.next() {
                number += 1
                if let record = reader.record(row, number: number) { return record }
            }
            return nil
        }
    }
}
