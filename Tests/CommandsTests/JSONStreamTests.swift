import Foundation
import Progression
import Support
import Testing

@testable import Commands

/// The text a `JSONStream` hands its writer while `body` writes into it.
private func streamed(_ body: (inout JSONStream) throws(FileOutputError) -> Void) throws -> String {
    var text = ""
    let writer = FileWriter(sendingTo: { text += $0 })
    var stream = JSONStream(writer)
    try body(&stream)
    try stream.finish()
    try writer.flush()
    return text
}

/// Writes `value` into `stream` opening every container there, member by member and element by
/// element, as a report writes the lists that grow with the store.
private func write(_ value: JSONValue, into stream: inout JSONStream) throws(FileOutputError) {
    switch value {
    case .object(let members):
        stream.beginObject()
        for member in members {
            stream.key(member.key)
            try write(member.value, into: &stream)
        }
        try stream.endObject()
    case .array(let elements):
        stream.beginArray()
        for element in elements {
            stream.next()
            try write(element, into: &stream)
        }
        try stream.endArray()
    default:
        try stream.value(value)
    }
}

private let document: JSONValue = [
    "name": "Pejling \"quoted\"\n", "count": 3, "share": 0.25, "none": .null, "yes": true,
    "empty": [], "nothing": .object([]),
    "list": [1, "two", ["three": [3, [], .object([])]], [[4], [5.5]]],
    "nested": ["a": ["b": ["c": "d"]], "e": [.object([]), ["f": .null]]],
]

@Test func aDocumentStreamedContainerByContainerHasTheBytesOfTheWholeOne() throws {
    #expect(
        try streamed { stream throws(FileOutputError) in try write(document, into: &stream) }
            == document.rendered())
    // Whole values at any depth, as a report writes its small members.
    let mixed = try streamed { stream throws(FileOutputError) in
        stream.beginObject()
        guard case .object(let members) = document else { return }
        for member in members {
            if case .array(let elements) = member.value {
                stream.key(member.key)
                stream.beginArray()
                for element in elements { try stream.element(element) }
                try stream.endArray()
            } else {
                try stream.member(member.key, member.value)
            }
        }
        try stream.endObject()
    }
    #expect(mixed == document.rendered())
    #expect(try streamed { stream throws(FileOutputError) in try stream.value([]) } == "[]")
}

@Test func aLongStreamedListIsHandedOnInPartsWithTheSameBytes() throws {
    let long = JSONValue.array((0..<5000).map { ["n": .number(Double($0)), "text": .string("row \($0)")] })
    var parts = 0
    var text = ""
    let writer = FileWriter(sendingTo: {
        parts += 1
        text += $0
    })
    var stream = JSONStream(writer)
    try write(long, into: &stream)
    try stream.finish()
    try writer.flush()
    #expect(parts > 2)
    #expect(text == long.rendered())
}

@Test(arguments: [0, 1, 255, 256, 257, 3000])
func elementsRenderedOnEveryCoreHaveTheBytesOfElementsWrittenInTurn(count: Int) throws {
    // Each element unlike the next, nested below an object member and after an element written
    // before them, so every stretch's commas and depth are seen.
    let rows = (0..<count).map { number -> JSONValue in
        number % 3 == 0
            ? .number(Double(number)) : ["n": .number(Double(number)), "list": [.string("\(number)"), []]]
    }
    let whole: JSONValue = ["before": 1, "rows": .array(["first"] + rows), "after": .object([])]
    let text = try streamed { stream throws(FileOutputError) in
        stream.beginObject()
        try stream.member("before", 1)
        stream.key("rows")
        stream.beginArray()
        try stream.element("first")
        try stream.elements(rows.count) { number, part throws(FileOutputError) in
            try write(rows[number], into: &part)
        }
        try stream.endArray()
        try stream.member("after", .object([]))
        try stream.endObject()
    }
    #expect(text == whole.rendered())
}

@Test func anEmptyListOfElementsRenderedOnEveryCoreIsAnEmptyArray() throws {
    let text = try streamed { stream throws(FileOutputError) in
        stream.beginArray()
        try stream.elements(0) { _, _ throws(FileOutputError) in }
        try stream.endArray()
    }
    #expect(text == "[]")
}

@Test func aFlagListStreamedIsTheFlagListDocument() throws {
    let variables = ["PEJLING_STORE": try temporaryFolder()]
    let made = run(["simulate", "--cases", "30", "--months", "12", "--seed", "9"], variables: variables)
    #expect(made.status == .success, "\(made.errors)")
    let context = try useCaseContext(try #require(variables["PEJLING_STORE"]))
    let (index, engine) = try context.reportIndex()
    let flags = engine.flags(of: index, openOnly: false)
    #expect(flags.count > 10)
    let text = try streamed { stream throws(FileOutputError) in
        try FlagListJSON.writeDocument(flags, into: &stream)
    }
    #expect(text == FlagListJSON.document(Array(flags)).rendered())
}

/// Writes `value` into `stream` as `write(_:into:)` does, but every member that is a text, null,
/// a flag or a number and every element that is a number through the stream's own writers of
/// them, which make no value.
private func writeScalars(_ value: JSONValue, into stream: inout JSONStream) throws(FileOutputError) {
    switch value {
    case .object(let members):
        stream.beginObject()
        for member in members {
            switch member.value {
            case .string(let text): try stream.member(member.key, text: text)
            case .null: try stream.member(member.key, text: nil)
            case .bool(let flag): try stream.member(member.key, bool: flag)
            case .number(let number): try stream.member(member.key, number: number)
            default:
                stream.key(member.key)
                try writeScalars(member.value, into: &stream)
            }
        }
        try stream.endObject()
    case .array(let elements):
        stream.beginArray()
        for element in elements {
            if case .number(let number) = element {
                try stream.element(number: number)
            } else {
                stream.next()
                try writeScalars(element, into: &stream)
            }
        }
        try stream.endArray()
    default:
        try stream.value(value)
    }
}

@Test func textsFlagsNumbersAndNullWrittenByTheStreamAreWhatTheirValuesRender() throws {
    let numbers: JSONValue = [
        "whole": 42, "negative": -7, "tenth": 19.1, "small": 1e-7, "large": 1e21, "nan": .number(.nan),
        "zero": .number(-0.0), "list": [0.5, -2.25, 3, 1234567.8, .number(.infinity)],
        "texts": ["plain": "ord", "escaped": "a\u{1}b\\c\"d", "danish": "Ændres inden for rammen"],
    ]
    for value in [document, numbers] {
        #expect(
            try streamed { stream throws(FileOutputError) in try writeScalars(value, into: &stream) }
                == value.rendered())
    }
}

@Test func aDayWrittenByTheStreamIsItsTextAsTheValueRendersIt() throws {
    let days: [Day?] = [
        Day(number: 0), Day(number: 20_429), Day(iso: "2026-12-31"), Day(iso: "0001-01-01"), nil,
    ]
    let value = JSONValue.object(
        days.enumerated().map { (key: "d\($0.offset)", value: .optional($0.element?.description)) })
    let text = try streamed { stream throws(FileOutputError) in
        stream.beginObject()
        for (place, day) in days.enumerated() { try stream.member("d\(place)", day: day) }
        try stream.endObject()
    }
    #expect(text == value.rendered())
}
