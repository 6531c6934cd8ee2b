import Foundation
import InstrumentModel
import Storage
import Support

/// Administrations as a table: one row per administration, one column per instrument and item.
///
/// The layout is the same for export and import, so a spreadsheet can be filled in by hand (paper
/// back-entry) and read back: `id` (empty for a new row), `recorded`, `case`, `date`, `instrument`,
/// `version`, `worker`, `respondent`, `age`, `comment`, then per instrument its answers
/// (`ors.individually`, or `gbo.g1` for a goal), its total (`ors.total`) and its other scores
/// (`ors.score.PART`). Scores are written for the reader and recomputed on import.
package enum AdministrationTable {
    /// The columns every table starts with.
    package static let fixedColumns = [
        "id", "recorded", "case", "date", "instrument", "version", "worker", "respondent", "age", "comment",
    ]

    /// Returns the header and one row per administration, numbers with a decimal comma if asked.
    package static func rows(
        _ administrations: [StoredAdministration], catalogue: InstrumentCatalogue, decimalComma: Bool
    ) -> [[String]] {
        let layout = Layout(administrations, catalogue: catalogue)
        let csv = CSVWriter(dialect: decimalComma ? .danish : .standard)
        return [layout.header] + administrations.map { layout.row($0, csv: csv) }
    }

    /// Writes the table of the administrations of a store scan as CSV in `dialect` to `writer`:
    /// the bytes of `rows` of the same administrations rendered by `CSVWriter`, the rows made a
    /// chunk at a time on every core.
    ///
    /// The columns come from the keys the scan noted, so the administrations are read once.
    package static func write(
        _ administrations: ScannedAdministrations, catalogue: InstrumentCatalogue,
        dialect: CSVWriter.Dialect, to writer: FileWriter
    ) throws(StreamedExportError) {
        let layout = Layout(keys: administrations.contentKeys, catalogue: catalogue)
        let csv = CSVWriter(dialect: dialect)
        do throws(FileOutputError) {
            try csv.write(layout.header, to: writer)
        } catch {
            throw .output(error)
        }
        // Where each set of keys the scan noted stands in the layout.
        let plans = administrations.scannedKeys.map(layout.plan)
        try administrations.writeRows(chunk: StreamedExport.lineChunk) { rows throws(StorageError) in
            var cells = ByteCells(csv: csv)
            cells.out.reserveCapacity(StreamedExport.lineChunk * 128)
            try rows.visit { original, content, keys, answers, scores in
                guard let plan = plans[keys] else {
                    preconditionFailure("a standing administration's keys are not in the layout made of them")
                }
                layout.visit(
                    LineRow(
                        original: copy original, content: copy content, plan: plan, answers: answers,
                        scores: scores),
                    &cells)
                cells.endRow()
            } made: { administration in
                layout.visit(administration, &cells)
                cells.endRow()
            }
            return cells.out
        } to: { bytes throws(FileOutputError) in
            try writer.write(bytes: bytes)
        }
    }

    /// The columns of a table: the fixed ones, then per instrument (in order of id) its answers,
    /// its total and its other scores.
    struct Layout {
        /// One instrument's columns, side by side.
        struct Block {
            var instrument: String
            var answers: [String]
            var parts: [String]
            var width: Int { answers.count + 1 + parts.count }
        }

        var blocks: [Block] = []

        init(_ administrations: some Sequence<StoredAdministration>, catalogue: InstrumentCatalogue) {
            self.init(
                administrations.lazy.map {
                    (
                        instrument: $0.content.instrument, answers: $0.content.answers.keys,
                        scores: $0.content.scores.keys
                    )
                }, catalogue: catalogue)
        }

        /// The columns of administrations with these keys of their answers and scores.
        init(keys: [ContentKeys], catalogue: InstrumentCatalogue) {
            self.init(keys.lazy.map { ($0.instrument, $0.answers, $0.scores) }, catalogue: catalogue)
        }

        private init<Answers: Sequence<String>, Scores: Sequence<String>>(
            _ keys: some Sequence<(instrument: String, answers: Answers, scores: Scores)>,
            catalogue: InstrumentCatalogue
        ) {
            var answerKeys: [String: Set<String>] = [:]
            var partKeys: [String: Set<String>] = [:]
            for (instrument, answers, scores) in keys {
                answerKeys[instrument, default: []].formUnion(answers)
                partKeys[instrument, default: []].formUnion(scores.filter { $0 != "total" })
            }
            for instrument in answerKeys.keys.sorted() {
                let known = (try? catalogue.instrument(instrument))?.items.map(\.id) ?? []
                let answers = known + answerKeys[instrument]!.subtracting(known).sorted(by: naturalOrder)
                blocks.append(
                    Block(
                        instrument: instrument, answers: answers,
                        parts: partKeys[instrument]!.sorted(by: naturalOrder)))
            }
        }

        var header: [String] {
            var header = fixedColumns
            for block in blocks {
                header += block.answers.map { "\(block.instrument).\($0)" }
                header.append("\(block.instrument).total")
                header += block.parts.map { "\(block.instrument).score.\($0)" }
            }
            return header
        }

        /// The row of one administration, its fields as `csv` writes them before encoding.
        func row(_ administration: StoredAdministration, csv: CSVWriter) -> [String] {
            var cells = TextCells(csv: csv)
            visit(administration, &cells)
            return cells.row
        }

        /// Hands `cells` the row of one administration, cell by cell: the one place that says what
        /// a row holds, whether it is made as texts (`row`) or written straight as CSV, and
        /// whether the administration is a `StoredAdministration` or read from its lines.
        func visit(_ row: some TableRow, _ cells: inout some RowCells) {
            row.id(&cells)
            cells.instant(row.time)
            row.caseID(&cells)
            row.text(.date, &cells)
            row.text(.instrument, &cells)
            row.text(.instrumentVersion, &cells)
            row.text(.worker, &cells)
            row.text(.respondent, &cells)
            cells.integer(row.integer(.age))
            row.text(.comment, &cells)
            // By index: a block copied for every row counted references to its texts and arrays,
            // which every core shares.
            for index in blocks.indices {
                guard row.fills(index, of: self) else {
                    cells.empty(blocks[index].width)
                    continue
                }
                for column in blocks[index].answers.indices {
                    row.answer(blocks[index].answers[column], column: column, &cells)
                }
                row.score("total", part: -1, &cells)
                for column in blocks[index].parts.indices {
                    row.score(blocks[index].parts[column], part: column, &cells)
                }
            }
        }

        /// Where administrations with `keys` stand in the layout: their instrument's block, and
        /// for each of its answer and part columns (and the total) the place of the key in
        /// `keys.answers` or `keys.scores`, or -1. Nil when the layout has no block for them.
        func plan(_ keys: ContentKeys) -> Plan? {
            guard let block = blocks.firstIndex(where: { $0.instrument == keys.instrument }) else {
                return nil
            }
            return Plan(
                block: block, answers: blocks[block].answers.map { keys.answers.firstIndex(of: $0) ?? -1 },
                total: keys.scores.firstIndex(of: "total") ?? -1,
                parts: blocks[block].parts.map { keys.scores.firstIndex(of: $0) ?? -1 })
        }

        /// See `plan(_:)`.
        struct Plan: Sendable {
            var block: Int
            var answers: [Int]
            var total: Int
            var parts: [Int]
        }
    }

    /// A record id made from a row's number and fields: 128 bits of two FNV-1a hashes, in hex.
    static func contentID(row: Int, fields: [String]) -> String {
        let text = "\(row)\u{1F}" + fields.joined(separator: "\u{1F}")
        let first = FNV1a.hash(text)
        // The second is FNV-1a from the swapped offset basis with the old value's high bits
        // folded in at each step; ids already stored depend on it, so it stays as it is.
        var second = FNV1a.offsetBasis << 32 | FNV1a.offsetBasis >> 32
        for byte in text.utf8 {
            second = (second ^ UInt64(byte)) &* FNV1a.prime ^ (second >> 29)
        }
        return Hex.string(first) + Hex.string(second)
    }

    /// Goal ids in number order: g2 before g10.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let left = (a.count, a)
        let right = (b.count, b)
        return left < right
    }

    /// Returns the administrations of a table in this layout (a header, then rows), every row
    /// checked: instrument known, case id a pseudonym, date real and not in the future, each
    /// answer valid for its item.
    /// - Throws: every problem, by row (as a spreadsheet numbers them, the header being row 1) and
    ///   column.
    package static func records(_ rows: [[String]], setting: RecordImport.Setting) throws(RecordImportError)
        -> RecordImport
    {
        var reader = try RowReader(header: rows.first, setting: setting)
        var records: [Record] = []
        for (offset, row) in rows.enumerated().dropFirst() {
            if let record = reader.record(row, number: offset + 1) { records.append(record) }
        }
        try reader.finish()
        return RecordImport(records: records, warnings: reader.warnings)
    }

    /// Reads the rows of a table one at a time into records, noting every problem and warning.
    struct RowReader {
        let setting: RecordImport.Setting
        let danish: Bool
        let today: Day
        let header: [String]
        /// The column of each name in the header.
        let column: [String: Int]
        let columns: Columns
        private var plans: [String: InstrumentColumns] = [:]
        private var seenIDs = RowsByID()
        private(set) var problems: [ImportProblem] = []
        private(set) var warnings: [String] = []

        /// A reader of the rows under `header`, once the header is checked.
        /// - Throws: every problem of the header (none at all is one).
        init(header: [String]?, setting: RecordImport.Setting) throws(RecordImportError) {
            self.setting = setting
            danish = setting.language == .da
            today = Day(setting.now)
            func t(_ da: String, _ en: String) -> String { setting.language == .da ? da : en }
            let firstRow = t("række 1", "row 1")
            guard let header else {
                throw RecordImportError(
                    problems: [
                        ImportProblem(location: firstRow, message: t("filen er tom", "the file is empty"))
                    ]
                )
            }
            var column: [String: Int] = [:]
            for (index, name) in header.enumerated() {
                let name = CSVField.trimmed(name)
                let shown = TerminalText.excerpt(name)
                if column[name] != nil {
                    problems.append(
                        ImportProblem(
                            location: firstRow,
                            message: t(
                                "kolonnen '\(shown)' står der to gange", "the column '\(shown)' appears twice"
                            ))
                    )
                }
                if !fixedColumns.contains(name) && !name.contains(".") {
                    problems.append(
                        ImportProblem(
                            location: firstRow,
                            message: t(
                                "kolonnen '\(shown)' er ikke en, Pejling skriver; forventet \(fixedColumns.joined(separator: ", ")) og INSTRUMENT.SPØRGSMÅL-kolonner",
                                "the column '\(shown)' is not one Pejling writes; expected \(fixedColumns.joined(separator: ", ")) and INSTRUMENT.ITEM columns"
                            )))
                }
                column[name] = index
            }
            for name in ["case", "date", "instrument"] where column[name] == nil {
                problems.append(
                    ImportProblem(
                        location: firstRow,
                        message: t("kolonnen '\(name)' mangler", "the column '\(name)' is missing")))
            }
            guard problems.isEmpty else { throw RecordImportError(problems: problems) }
            self.header = header
            self.column = column
            columns = Columns(column)
        }

        func t(_ da: String, _ en: String) -> String { danish ? da : en }

        /// Throws every problem noted in the rows read.
        func finish() throws(RecordImportError) {
            guard problems.isEmpty else { throw RecordImportError(problems: problems) }
        }

        /// The record of `row`, the `number`th of the file (the header being row 1), or nil when it
        /// has problems, which are noted.
        mutating func record(_ row: [String], number rowNumber: Int) -> Record? {
            // Each cell trimmed once; `cell` also drops the guard a text field was written with.
            let trimmed = row.map(CSVField.trimmed)
            func cell(_ index: Int?) -> String {
                guard let index, index < trimmed.count else { return "" }
                return CSVField.decoded(trimmed[index])
            }
            func problem(_ name: String?, _ message: String) {
                let location =
                    name.map { t("række \(rowNumber), kolonne \($0)", "row \(rowNumber), column \($0)") }
                    ?? t("række \(rowNumber)", "row \(rowNumber)")
                problems.append(ImportProblem(location: location, message: message))
            }
            if row.count > header.count {
                problem(
                    nil,
                    t(
                        "rækken har \(row.count) felter, men overskriften har \(header.count)",
                        "the row has \(row.count) fields but the header has \(header.count)"))
            }
            let given = cell(columns.id)
            // A paper-form row gets an id from its place and content, so importing the same file
            // again adds nothing.
            let id = given.isEmpty ? contentID(row: rowNumber, fields: row) : given
            let earlier = seenIDs.replace(id, row: rowNumber)
            if given.isEmpty {
                // Made from the row: neither malformed nor repeated.
            } else if !RecordImport.isValidID(id) {
                problem(
                    "id",
                    t(
                        "'\(TerminalText.excerpt(id))' er ikke et post-id (1–64 bogstaver, tal, '-' eller '.')",
                        "'\(TerminalText.excerpt(id))' is not a record id (1–64 letters, digits, '-' or '.')")
                )
            } else if let earlier {
                problem(
                    "id",
                    t(
                        "id'et \(id) bruges også i række \(earlier)",
                        "the id \(id) is also used in row \(earlier)"))
            }
            var time = setting.now
            let recorded = cell(columns.recorded)
            if !recorded.isEmpty {
                if let parsed = FHIR.parseInstant(recorded) {
                    time = parsed
                } else {
                    problem(
                        "recorded",
                        t(
                            "'\(TerminalText.excerpt(recorded))' er ikke et tidspunkt; skriv det som 2026-03-14T10:22:05Z eller lad feltet stå tomt",
                            "'\(TerminalText.excerpt(recorded))' is not a time; write it as 2026-03-14T10:22:05Z or leave it empty"
                        )
                    )
                }
            }
            var caseID = cell(columns.case)
            do {
                caseID = try CaseID.validate(caseID)
            } catch {
                problem("case", error.message(danish: danish))
            }
            let date = cell(columns.date)
            if let day = Day(iso: date) {
                if day > today {
                    problem("date", t("\(date) ligger i fremtiden", "\(date) is in the future"))
                }
            } else {
                problem(
                    "date",
                    t(
                        "'\(TerminalText.excerpt(date))' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, fx 2026-03-14",
                        "'\(TerminalText.excerpt(date))' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"
                    ))
            }
            let respondent = cell(columns.respondent).isEmpty ? "citizen" : cell(columns.respondent)
            if Respondent(rawValue: respondent) == nil {
                problem(
                    "respondent",
                    t(
                        "'\(TerminalText.excerpt(respondent))' er ikke en af citizen, worker, relative",
                        "'\(TerminalText.excerpt(respondent))' is not one of citizen, worker, relative"))
            }
            let comment = cell(columns.comment)
            let worker = cell(columns.worker)
            for (name, text, rule) in [
                ("comment", comment, FreeText.comment), ("worker", worker, FreeText.workerID),
            ] {
                if let wrong = rule.problem(in: text) {
                    problem(name, FreeText.describe(wrong, field: (name, name), danish: danish))
                }
            }
            var age: Int?
            let ageText = cell(columns.age)
            if !ageText.isEmpty {
                age = Int(ageText).flatMap { (0...120).contains($0) ? $0 : nil }
                if age == nil {
                    problem(
                        "age",
                        t(
                            "'\(TerminalText.excerpt(ageText))' er ikke et antal år fra 0 til 120",
                            "'\(TerminalText.excerpt(ageText))' is not a number of years from 0 to 120"))
                }
            }
            let instrumentID = cell(columns.instrument)
            // Answers to other instruments' columns belong in rows of their own.
            for answer in columns.answers where answer.index < row.count {
                if answer.owner != instrumentID && !trimmed[answer.index].isEmpty {
                    problem(
                        answer.name,
                        t(
                            "rækken er \(instrumentID), så denne \(answer.owner)-kolonne skal være tom",
                            "the row is \(instrumentID), so this \(answer.owner) column must be empty"))
                }
            }
            // The catalogue does not change during an import: each instrument is looked up once.
            let plan: InstrumentColumns
            if let known = plans[instrumentID] {
                plan = known
            } else {
                guard let instrument = try? setting.catalogue.instrument(instrumentID) else {
                    problem(
                        "instrument",
                        t(
                            "'\(TerminalText.excerpt(instrumentID))' er ikke et kendt instrument; se 'pejling instruments list', eller giv --instruments MAPPE",
                            "'\(TerminalText.excerpt(instrumentID))' is not a known instrument; see 'pejling instruments list', or give --instruments DIR"
                        )
                    )
                    return nil
                }
                plan = InstrumentColumns(instrument, column)
                plans[instrumentID] = plan
            }
            let instrument = plan.instrument
            let prefix = plan.prefix
            var answers: [String: ItemAnswer] = [:]
            var answersValid = true
            if let goals = instrument.goals {
                let kind = ItemKind.scale(goals.rating)
                for goal in plan.goals where !cell(goal.index).isEmpty {
                    switch kind.parse(cell(goal.index), language: setting.language) {
                    case .success(let answer): answers[goal.key] = answer
                    case .failure:
                        answersValid = false
                        problem(
                            goal.name,
                            t(
                                "'\(TerminalText.excerpt(cell(goal.index)))' er ikke en vurdering fra \(JSONValue.numberText(goals.rating.min)) til \(JSONValue.numberText(goals.rating.max))",
                                "'\(TerminalText.excerpt(cell(goal.index)))' is not a rating from \(JSONValue.numberText(goals.rating.min)) to \(JSONValue.numberText(goals.rating.max))"
                            )
                        )
                    }
                }
                if answers.isEmpty {
                    answersValid = false
                    problem(
                        nil,
                        t(
                            "intet mål er vurderet; udfyld mindst én \(prefix)MÅL-kolonne",
                            "no goal is rated; fill in at least one \(prefix)GOAL column"))
                }
            } else {
                if !plan.missing.isEmpty {
                    answersValid = false
                    problem(
                        nil,
                        t(
                            "\(instrument.abbreviation) skal have kolonnerne \(plan.missing.joined(separator: ", ")), som filen ikke har",
                            "\(instrument.abbreviation) needs the columns \(plan.missing.joined(separator: ", ")), which the file does not have"
                        )
                    )
                }
                for item in plan.items {
                    let raw = cell(item.index)
                    let name = item.name
                    if raw.isEmpty {
                        if item.optional {
                            answers[item.id] = .skipped
                        } else {
                            answersValid = false
                            problem(name, t("der skal et svar til", "an answer is needed"))
                        }
                        continue
                    }
                    switch parse(raw, item.kind, language: setting.language) {
                    case .success(let answer): answers[item.id] = answer
                    case .failure(let rejection):
                        answersValid = false
                        problem(
                            name,
                            t(
                                "'\(TerminalText.excerpt(raw))' er ikke et gyldigt svar: ",
                                "'\(TerminalText.excerpt(raw))' is not a valid answer: ")
                                + describe(rejection, item.kind, danish: danish))
                    }
                }
                for (name, key) in plan.unknown {
                    problem(
                        name,
                        t(
                            "\(instrument.abbreviation) har intet spørgsmål '\(TerminalText.excerpt(key))'",
                            "\(instrument.abbreviation) has no item '\(TerminalText.excerpt(key))'"))
                }
            }
            guard answersValid else { return nil }
            let scores: [String: Double]
            do {
                scores = try RecordImport.scores(instrument, answers)
            } catch {
                problem(nil, error.message(setting.language))
                return nil
            }
            let givenTotal = cell(plan.total)
            if let given = number(givenTotal), let total = scores["total"], abs(given - total) > 1e-6 {
                warnings.append(
                    t(
                        "række \(rowNumber): filens \(prefix)total \(givenTotal) afviger fra summen af svarene, \(JSONValue.numberText(total)); den genberegnede total importeres",
                        "row \(rowNumber): the file's \(prefix)total \(givenTotal) differs from the total of its answers, \(JSONValue.numberText(total)); the recomputed total is imported"
                    )
                )
            }
            let version = cell(columns.version).isEmpty ? instrument.version : cell(columns.version)
            let content = AdministrationRecord(
                instrument: instrument.id, instrumentVersion: version,
                worker: worker.isEmpty ? nil : worker, respondent: respondent, date: date,
                answers: answers.mapValues(RecordImport.stored), scores: scores,
                comment: comment.isEmpty ? nil : comment, age: age)
            return Record(
                id: id, writer: setting.writer, time: time, caseID: caseID, body: .administration(content))
        }
    }

    /// The last row each record id was given in. Ids of 32 hexadecimal digits (Pejling's own, and
    /// those of paper rows) are kept as their 128 bits, so a million rows take little memory.
    struct RowsByID {
        private var hex: [HexID: Int] = [:]
        private var other: [String: Int] = [:]

        /// Notes that `id` is in `row`, and returns the row it was in before, if any.
        mutating func replace(_ id: String, row: Int) -> Int? {
            if let bits = HexID(id) { return hex.updateValue(row, forKey: bits) }
            return other.updateValue(row, forKey: id)
        }
    }

    /// Where a table's columns are, found once from its header: the fixed ones, and every
    /// `INSTRUMENT.KEY` column in the order of the file.
    struct Columns {
        var id, recorded, `case`, date, instrument, version, worker, respondent, age, comment: Int?
        /// The columns of instruments' answers and scores, and whose they are.
        var answers: [(name: String, index: Int, owner: String)]

        init(_ column: [String: Int]) {
            id = column["id"]
            recorded = column["recorded"]
            `case` = column["case"]
            date = column["date"]
            instrument = column["instrument"]
            version = column["version"]
            worker = column["worker"]
            respondent = column["respondent"]
            age = column["age"]
            comment = column["comment"]
            answers = column.sorted { $0.value < $1.value }.filter { $0.key.contains(".") }.map {
                (name: $0.key, index: $0.value, owner: String($0.key.prefix { $0 != "." }))
            }
        }
    }

    /// One instrument's columns in a table, found once for all the rows of that instrument.
    struct InstrumentColumns {
        var instrument: Instrument
        var prefix: String
        /// The goal columns (`gbo.g1`), in number order, for an instrument of goals.
        var goals: [(name: String, key: String, index: Int)] = []
        /// The item columns the table has, in the instrument's order, with what a row needs of
        /// each item.
        var items: [(id: String, optional: Bool, kind: ItemKind, name: String, index: Int)] = []
        /// The columns of required items the table lacks.
        var missing: [String] = []
        /// The columns named for items the instrument does not have, by name.
        var unknown: [(name: String, key: String)] = []
        var total: Int?

        init(_ instrument: Instrument, _ column: [String: Int]) {
            self.instrument = instrument
            prefix = instrument.id + "."
            total = column[prefix + "total"]
            func isAnswer(_ key: String) -> Bool { key != "total" && !key.hasPrefix("score.") }
            if instrument.goals != nil {
                for name in column.keys.sorted(by: naturalOrder) where name.hasPrefix(prefix) {
                    let key = String(name.dropFirst(prefix.count))
                    if isAnswer(key) { goals.append((name, key, column[name]!)) }
                }
                return
            }
            missing = instrument.items.filter { column[prefix + $0.id] == nil && !$0.optional }.map {
                prefix + $0.id
            }
            for item in instrument.items {
                if let index = column[prefix + item.id] {
                    items.append((item.id, item.optional, item.kind, prefix + item.id, index))
                }
            }
            for name in column.keys.sorted() where name.hasPrefix(prefix) {
                let key = String(name.dropFirst(prefix.count))
                if isAnswer(key) && instrument.item(key) == nil { unknown.append((name, key)) }
            }
        }
    }

    /// An answer as written in a cell: a choice by its stored value first (what export writes),
    /// then as typed on paper (key or label), as `ItemKind.parse` reads it.
    static func parse(_ raw: String, _ kind: ItemKind, language: Language) -> Result<
        ItemAnswer, AnswerRejection
    > {
        if case .choice(let options) = kind, let value = number(raw),
            options.contains(where: { $0.value == value })
        {
            return .success(.number(value))
        }
        return kind.parse(raw, language: language)
    }

    static func number(_ raw: String) -> Double? {
        Double(String(raw.map { $0 == "," ? "." : $0 }))
    }

    static func describe(_ rejection: AnswerRejection, _ kind: ItemKind, danish: Bool = false) -> String {
        let n = JSONValue.numberText
        func t(_ da: String, _ en: String) -> String { danish ? da : en }
        switch rejection {
        case .notANumber: return t("ikke et tal", "not a number")
        case .outOfRange(let min, let max):
            return t("uden for \(n(min))–\(n(max))", "outside \(n(min))–\(n(max))")
        case .offStep(let step):
            return t(
                "ikke på et mærke på skalaen (trin på \(n(step)))",
                "not on a mark of the scale (steps of \(n(step)))")
        case .notWhole: return t("ikke et helt tal", "not a whole number")
        case .noSuchOption, .ambiguousOption:
            if case .choice(let options) = kind {
                return t("brug en af ", "use one of ") + options.map { n($0.value) }.joined(separator: ", ")
            }
            return t("ingen sådan mulighed", "no such option")
        case .tooLong(let max): return t("længere end \(max) tegn", "longer than \(max) characters")
        case .empty: return t("tomt", "empty")
        }
    }
}

/// An administration as `AdministrationTable.Layout.visit` reads it into a row: each cell's
/// value handed to the row's cells.
protocol TableRow {
    func id(_ cells: inout some RowCells)
    var time: Date { get }
    func caseID(_ cells: inout some RowCells)
    /// A text field, or an empty text when the administration has none.
    func text(_ field: AdministrationField, _ cells: inout some RowCells)
    func integer(_ field: AdministrationField) -> Int?
    /// Whether the administration is of the instrument of the layout's block number `block`.
    func fills(_ block: Int, of layout: AdministrationTable.Layout) -> Bool
    /// The answer to `key`, the answer column number `column` of the block it fills.
    func answer(_ key: String, column: Int, _ cells: inout some RowCells)
    /// The score `key`: the part column number `part` of the block it fills, or the total (-1).
    func score(_ key: String, part: Int, _ cells: inout some RowCells)
}

extension StoredAdministration: TableRow {
    func id(_ cells: inout some RowCells) { cells.text(id) }
    func caseID(_ cells: inout some RowCells) { cells.text(caseID) }
    func text(_ field: AdministrationField, _ cells: inout some RowCells) {
        cells.text(content.text(field) ?? "")
    }
    func integer(_ field: AdministrationField) -> Int? { content.integer(field) }

    func fills(_ block: Int, of layout: AdministrationTable.Layout) -> Bool {
        layout.blocks[block].instrument == content.instrument
    }

    func answer(_ key: String, column: Int, _ cells: inout some RowCells) {
        switch content.answers[key] {
        case .number(let value)?: cells.number(value)
        case .text(let words)?: cells.text(words)
        case .skipped?, nil: cells.empty(1)
        }
    }

    func score(_ key: String, part: Int, _ cells: inout some RowCells) { cells.number(content.scores[key]) }
}

/// An administration read from its lines (`AdministrationLine`): the id, time and case of its
/// own, the rest of the content that stands (its own or its correction's), whose answers and
/// scores name the keys `plan` was made of, in their order.
private struct LineRow: TableRow {
    let original: AdministrationLine
    let content: AdministrationLine
    let plan: AdministrationTable.Layout.Plan
    /// Where each answer's and score's value starts in the content's line.
    let answers: [Int]
    let scores: [Int]

    var time: Date { original.time }
    func id(_ cells: inout some RowCells) { original.withID { cells.text(utf8: $0) } }
    func caseID(_ cells: inout some RowCells) { original.withCaseID { cells.text(utf8: $0) } }

    func text(_ field: AdministrationField, _ cells: inout some RowCells) {
        content.withText(field) { bytes in
            if let bytes { cells.text(utf8: bytes) } else { cells.text("") }
        }
    }

    func integer(_ field: AdministrationField) -> Int? { content.integer(field) }
    func fills(_ block: Int, of layout: AdministrationTable.Layout) -> Bool { block == plan.block }

    func answer(_ key: String, column: Int, _ cells: inout some RowCells) {
        let place = plan.answers[column]
        guard place >= 0 else { return cells.empty(1) }
        if let text = content.numberText(at: answers[place]) {
            return cells.number(text: text, AdministrationLine.number)
        }
        switch content.value(at: answers[place]) {
        case .number(let value): cells.number(value)
        case .text(let bytes): cells.text(utf8: bytes)
        case .escapedText(let words): cells.text(words)
        case .skipped: cells.empty(1)
        }
    }

    func score(_ key: String, part: Int, _ cells: inout some RowCells) {
        let place = part < 0 ? plan.total : plan.parts[part]
        guard place >= 0 else { return cells.number(nil) }
        if let text = content.numberText(at: scores[place]) {
            return cells.number(text: text, AdministrationLine.number)
        }
        guard case .number(let value) = content.value(at: scores[place]) else { return cells.number(nil) }
        cells.number(value)
    }
}

/// What takes a table's row cell by cell (`AdministrationTable.Layout.visit`).
protocol RowCells {
    mutating func text(_ text: String)
    /// A text given as its UTF-8.
    mutating func text(utf8: UnsafeBufferPointer<UInt8>)
    mutating func instant(_ time: Date)
    mutating func integer(_ value: Int?)
    mutating func number(_ value: Double?)
    /// A number given as its text in a line, and how to read it: what `number(_:)` writes of the
    /// number `read` reads of `text`.
    mutating func number(text: UnsafeBufferPointer<UInt8>, _ read: (UnsafeBufferPointer<UInt8>) -> Double)
    /// `count` empty cells.
    mutating func empty(_ count: Int)
}

/// A row as the texts of its fields.
private struct TextCells: RowCells {
    let csv: CSVWriter
    var row: [String] = []

    init(csv: CSVWriter) {
        self.csv = csv
    }

    mutating func text(_ text: String) { row.append(text) }
    mutating func text(utf8: UnsafeBufferPointer<UInt8>) { row.append(String(decoding: utf8, as: UTF8.self)) }
    mutating func instant(_ time: Date) { row.append(TimeFormat.instant(time)) }
    mutating func integer(_ value: Int?) { row.append(value.map(String.init) ?? "") }
    mutating func number(_ value: Double?) { row.append(csv.number(value)) }
    mutating func number(text: UnsafeBufferPointer<UInt8>, _ read: (UnsafeBufferPointer<UInt8>) -> Double) {
        number(read(text))
    }
    mutating func empty(_ count: Int) { row.append(contentsOf: repeatElement("", count: count)) }
}

/// Rows written straight as CSV bytes: what `CSVWriter.append` makes of `TextCells`' rows.
private struct ByteCells: RowCells {
    let csv: CSVWriter
    let separator: UInt8
    var out: [UInt8] = []
    /// Whether the next cell is the row's first.
    private var first = true

    init(csv: CSVWriter) {
        self.csv = csv
        separator = csv.dialect == .danish ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// Ends the row with CRLF, as RFC 4180 specifies.
    mutating func endRow() {
        out.append(0x0D)
        out.append(0x0A)
        first = true
    }

    private mutating func next() {
        if first {
            first = false
        } else {
            out.append(separator)
        }
    }

    mutating func text(_ text: String) {
        next()
        CSVField.append(text, separator: separator, to: &out)
    }

    mutating func text(utf8: UnsafeBufferPointer<UInt8>) {
        next()
        CSVField.append(utf8: utf8, separator: separator, to: &out)
    }

    // Times, whole numbers and numbers as Pejling writes them are never guarded nor quoted.
    mutating func instant(_ time: Date) {
        next()
        // The rows come in order of time, and a day's meetings share their hours: the time of
        // the row before is written again as it was.
        let bits = time.timeIntervalSinceReferenceDate.bitPattern
        if !lastInstant.isEmpty, bits == lastInstantBits {
            lastInstant.withUnsafeBufferPointer { out.append(contentsOf: $0) }
            return
        }
        let start = out.count
        TimeFormat.appendInstant(time, to: &out)
        lastInstantBits = bits
        lastInstant.removeAll(keepingCapacity: true)
        out.withUnsafeBufferPointer {
            lastInstant.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start...]))
        }
    }

    private var lastInstantBits: UInt64 = 0
    /// What `instant` wrote of the time of `lastInstantBits` (empty: none yet).
    private var lastInstant: [UInt8] = []

    mutating func integer(_ value: Int?) {
        next()
        if let value { NumberText.appendInteger(Int64(value), to: &out) }
    }

    mutating func number(_ value: Double?) {
        next()
        guard let value else { return }
        // What `csv.appendNumber` wrote of the number last met in its slot, by its bits: a
        // table's answers and scores are a few hundred numbers, met again on nearly every row.
        let bits = value.bitPattern
        let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 56)
        let length = Int(numberLengths[slot])
        if length > 0, numberBits[slot] == bits {
            numberBytes.withUnsafeBufferPointer { bytes in
                out.append(
                    contentsOf: UnsafeBufferPointer(
                        rebasing: bytes[slot * Self.numberRoom..<slot * Self.numberRoom + length]))
            }
            return
        }
        let start = out.count
        csv.appendNumber(value, to: &out)
        let written = out.count - start
        guard written <= Self.numberRoom else { return }
        numberBits[slot] = bits
        numberLengths[slot] = UInt8(written)
        numberBytes.replaceSubrange(
            slot * Self.numberRoom..<slot * Self.numberRoom + written, with: out[start..<out.count])
    }

    /// What `number(_:)` wrote of the number of a text of up to eight bytes, remembered by the
    /// text (its bytes, the first lowest; none is 0, so texts of different lengths differ): the
    /// numbers of a journal's answers and scores are a few hundred texts, met on nearly every row.
    mutating func number(text: UnsafeBufferPointer<UInt8>, _ read: (UnsafeBufferPointer<UInt8>) -> Double) {
        guard text.count <= 8 else { return number(read(text)) }
        var key: UInt64 = 0
        for offset in 0..<text.count { key |= UInt64(text[offset]) << (8 * offset) }
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56)
        let length = Int(textLengths[slot])
        if length > 0, numberTexts[slot] == key {
            next()
            numberBytes.withUnsafeBufferPointer { bytes in
                out.append(
                    contentsOf: UnsafeBufferPointer(
                        rebasing: bytes[
                            (Self.slots + slot) * Self.numberRoom..<(Self.slots + slot) * Self.numberRoom
                                + length]))
            }
            return
        }
        let start = out.count + (first ? 0 : 1)
        number(read(text))
        let written = out.count - start
        guard written > 0, written <= Self.numberRoom else { return }
        numberTexts[slot] = key
        textLengths[slot] = UInt8(written)
        numberBytes.replaceSubrange(
            (Self.slots + slot) * Self.numberRoom..<(Self.slots + slot) * Self.numberRoom + written,
            with: out[start..<out.count])
    }

    private var numberTexts = [UInt64](repeating: 0, count: Self.slots)
    /// How many bytes of `numberBytes` (after the slots of `number(_:)`) a slot holds (0: none).
    private var textLengths = [UInt8](repeating: 0, count: Self.slots)
    private static let slots = 256

    private var numberBits = [UInt64](repeating: 0, count: 256)
    /// How many bytes of `numberBytes` a slot holds (0: none).
    private var numberLengths = [UInt8](repeating: 0, count: 256)
    private var numberBytes = [UInt8](repeating: 0, count: 2 * Self.slots * Self.numberRoom)
    private static let numberRoom = 24

    mutating func empty(_ count: Int) {
        guard count > 0 else { return }
        next()
        if count - 1 > separators.count { separators = Array(repeating: separator, count: count - 1) }
        separators.withUnsafeBufferPointer {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<(count - 1)]))
        }
    }

    /// Separators enough for the widest run of empty cells met so far, copied at once.
    private var separators: [UInt8] = []
}
