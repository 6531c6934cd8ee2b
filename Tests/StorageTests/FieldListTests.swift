import Foundation
import Support
import Testing

@testable import Storage

// Every test here goes through `AdministrationField.allCases`: a field added to the list is
// taken through the encoder, both scanners, the summary cache and the row view without a new test.

/// An administration with every field of the list set (or only the required ones), each to a
/// value of its own kind that differs from every other field's; `escaped` puts characters in the
/// texts that a journal line must escape.
private func administrationWithFields(optionals: Bool, escaped: Bool = false) -> AdministrationRecord {
    var fields = FieldValues()
    for field in AdministrationField.allCases where optionals || field.isRequired {
        switch field.kind {
        case .requiredText, .optionalText:
            fields.set(field, text: "\(field.key) \(field.rawValue)" + (escaped ? " \"æ\" \\ 😀" : " æ"))
        // Beyond 32 bits when escaped: both words of a summary's whole number count.
        case .optionalInteger: fields.set(field, integer: 40 + field.rawValue + (escaped ? 1 << 33 : 0))
        case .meetingDate: fields.set(field, text: "2026-03-\(10 + field.rawValue)")
        }
    }
    return AdministrationRecord(fields: fields, answers: ["a": .number(1)], scores: ["total": 7, "sub": 2.5])
}

/// What a summary keeps of a record's field: nil for a field summaries do not keep, the text or
/// whole number otherwise, the meeting date as the number of its day.
private func summarized(_ field: AdministrationField, of record: AdministrationRecord) -> (
    text: String?, integer: Int?
) {
    guard field.summarized else { return (nil, nil) }
    switch field.kind {
    case .requiredText, .optionalText: return (record.text(field), nil)
    case .optionalInteger: return (nil, record.integer(field))
    case .meetingDate: return (nil, record.text(field).flatMap { Day(iso: $0)?.number })
    }
}

private let cases: [(optionals: Bool, escaped: Bool)] = [(true, false), (true, true), (false, false)]

@Test(arguments: cases)
func everyFieldOfTheListIsWrittenReadCachedAndShownOnARow(optionals: Bool, escaped: Bool) throws {
    let directory = try temporaryStore()
    let store = testStore(directory)
    let content = administrationWithFields(optionals: optionals, escaped: escaped)
    try store.append(.administration(content), caseID: "K-1")

    // The encoder writes each field under its key, and leaves out the absent ones.
    let line = try String(contentsOfFile: directory + "/journals/anna@host.jsonl", encoding: .utf8)
    for field in AdministrationField.allCases {
        let present = field.isText ? content.text(field) != nil : content.integer(field) != nil
        #expect(line.contains("\"\(field.key)\":") == present, "\(field)")
    }
    // The full scanner reads every field back.
    let records = try store.read().records
    #expect(records.count == 1)
    guard case .administration(let read) = records.first?.body else {
        Issue.record("no administration read back")
        return
    }
    #expect(read == content)
    for field in AdministrationField.allCases {
        if field.isText {
            #expect(read.text(field) == content.text(field), "\(field)")
        } else {
            #expect(read.integer(field) == content.integer(field), "\(field)")
        }
    }

    // The summary scanner (no cache), a read that writes the cache, and one that reads it.
    let parsed = try store.readSummaries(cacheAfter: .max)
    let writing = try store.readSummaries(cacheAfter: 0)
    let cached = try store.readSummaries(cacheAfter: 0)
    let loaded = try #require(
        LoadedCache(
            try FileDescriptor.openForReading(directory + "/cache/anna@host.summaries"),
            journal: "journal"))
    let tables = [parsed.table, writing.table, cached.table, loaded.table]
    for table in tables {
        #expect(table.count == 1)
        let rows = SummaryRows(table)
        let summary = table[0]
        let fromRecord = AdministrationSummary(records[0], read)
        #expect(rows.fields(0) == summary.fields)
        #expect(fromRecord.fields == summary.fields)
        for field in AdministrationField.allCases where field.summarized {
            let expected = summarized(field, of: content)
            if field.isSummaryInteger {
                #expect(rows.integer(field, 0) == expected.integer, "\(field)")
                #expect(summary.integer(field) == expected.integer, "\(field)")
            } else {
                #expect(rows.text(field, 0) == expected.text, "\(field)")
                #expect(summary.text(field) == expected.text, "\(field)")
            }
        }
        #expect(summary.total == 7 && summary.parts == ["sub": 2.5] && summary.caseID == "K-1")
    }
}

@Test(arguments: AdministrationField.allCases)
func eachFieldsKeyIsReadAsThatField(field: AdministrationField) {
    var key = "\(field.key)"
    key.withUTF8 { bytes in
        #expect(RecordKey(bytes) == .field(field))
        #expect(AdministrationField(key: bytes) == field)
    }
    // Keys are told apart: no two fields share one.
    #expect(AdministrationField.allCases.filter { "\($0.key)" == key } == [field])
}

@Test func theFieldListFitsItsSlotsAndTheCacheEntry() {
    let layout = AdministrationField.layout
    let all = AdministrationField.allCases
    let summarized = all.filter(\.summarized)
    #expect(layout.summarized == summarized)
    #expect(layout.words == summarized.map { $0.isSummaryInteger ? 2 : 1 }.reduce(0, +))
    #expect(layout.words <= SummaryEntry.wordCapacity)
    #expect(SummaryCache.entrySize == 48 + 4 * layout.words)
    #expect(all.filter(\.isText).count <= FieldValues.textCapacity)
    #expect(all.filter { !$0.isText }.count <= FieldValues.integerCapacity)
    #expect(summarized.filter { !$0.isSummaryInteger }.count <= SummaryFields.textCapacity)
    #expect(summarized.filter(\.isSummaryInteger).count <= SummaryFields.integerCapacity)
    // Each field has slots of its own, and the pass over the summarized fields agrees with them.
    #expect(all.filter(\.isText).map(\.recordTextSlot) == Array(0..<all.filter(\.isText).count))
    #expect(all.filter { !$0.isText }.map(\.recordIntegerSlot) == Array(0..<all.filter { !$0.isText }.count))
    var words: [Int] = []
    AdministrationField.forEachSummarized { field, slot, word in
        #expect(slot == (field.isSummaryInteger ? field.summaryIntegerSlot : field.summaryTextSlot))
        #expect(word == field.word)
        words += field.isSummaryInteger ? [word, word + 1] : [word]
    }
    #expect(words == Array(0..<layout.words))
}

@Test(arguments: AdministrationField.allCases.filter(\.isRequired))
func anAdministrationWithoutARequiredFieldIsRefused(field: AdministrationField) throws {
    let content = administrationWithFields(optionals: true)
    let line = Record(
        id: "i", writer: "w", time: Date(timeIntervalSince1970: 0), caseID: "K",
        body: .administration(content)
    )
    .encodedLine()
    var value = ""
    JSONString.quote(content.text(field)!, into: &value)
    let without = line.replacingOccurrences(of: ",\"\(field.key)\":\(value)", with: "")
    #expect(without != line)
    #expect(throws: RecordScanner.Problem.self) { try RecordScanner.parse(without) }
    var table = SummaryTable()
    var bytes = without
    let summary = bytes.withUTF8 { bytes in
        Result { () throws(RecordScanner.Problem) in try RecordScanner.summary(bytes, into: &table) }
    }
    // The summary scanner checks the fields it keeps; the full scanner checks every one.
    if field.summarized {
        #expect(throws: RecordScanner.Problem.self) { try summary.get() }
    } else {
        #expect(try summary.get() == true)
    }
}
