import Foundation
import Storage
import Support
import TestSupport
import Testing

@testable import Progression

/// An administration with every field of `AdministrationField`'s list set (or only the required
/// ones), each to a value of its own kind.
private func administrationWithFields(optionals: Bool) -> AdministrationRecord {
    var fields = FieldValues()
    for field in AdministrationField.allCases where optionals || field.isRequired {
        switch field.kind {
        case .requiredText, .optionalText: fields.set(field, text: "\(field.key) \(field.rawValue) \"æ\"")
        case .optionalInteger: fields.set(field, integer: 60 + field.rawValue)
        case .meetingDate: fields.set(field, text: "2026-04-\(10 + field.rawValue)")
        }
    }
    return AdministrationRecord(fields: fields, answers: [:], scores: ["total": 12])
}

@Test(arguments: [true, false])
func aReadingHasEverySummarizedFieldOfTheList(optionals: Bool) throws {
    let directory = TemporaryFolders.path("reading-fields")
    let store = Store(directory: directory, writer: "anna@host")
    let content = administrationWithFields(optionals: optionals)
    try store.append(.administration(content), caseID: "K-1")
    _ = try store.readSummaries(cacheAfter: 0)
    let indexes = [
        CaseIndex(records: try store.read().records), CaseIndex(try store.readSummaries(cacheAfter: .max)),
        CaseIndex(try store.readSummaries(cacheAfter: 0)),
    ]
    for index in indexes {
        let reading = try #require(index.history(of: "K-1")?.readings.first)
        for field in AdministrationField.allCases where field.summarized {
            switch field.kind {
            case .requiredText, .optionalText: #expect(reading.text(field) == content.text(field), "\(field)")
            case .optionalInteger: #expect(reading.integer(field) == content.integer(field), "\(field)")
            case .meetingDate:
                let text = try #require(content.text(field))
                let day = try #require(Day(iso: text))
                #expect(reading.integer(field) == day.number, "\(field)")
                #expect(reading.day == day)
            }
        }
        #expect(reading.total == 12)
    }
}
