import Foundation
import Support

extension Record {
    /// Returns the record as one JSON line, without the line break.
    ///
    /// Keys come in a fixed order and answers by item id, so the same record always gives the same
    /// bytes; numbers take the shortest form that reads back the same (19.1, not 19.100000000000001).
    package func encodedLine() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendEncodedLine(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 of `encodedLine()` to `out`.
    package func appendEncodedLine(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        field(&out, "id", id, first: true)
        out.append(contentsOf: ",\"v\":".utf8)
        NumberText.appendInteger(Int64(schemaVersion), to: &out)
        field(&out, "kind", body.kind)
        field(&out, "writer", writer)
        out.append(contentsOf: ",\"time\":\"".utf8)
        TimeFormat.append(time, to: &out)
        out.append(UInt8(ascii: "\""))
        field(&out, "case", caseID)
        switch body {
        case .administration(let administration):
            encode(administration, into: &out)
        case .correction(let target, let replacement):
            field(&out, "target", target)
            encode(replacement, into: &out)
        case .withdrawal(let target, let reason):
            field(&out, "target", target)
            if let reason { field(&out, "reason", reason) }
        case .goal(let goal):
            field(&out, "instrument", goal.instrument)
            field(&out, "goal", goal.goal)
            field(&out, "action", goal.action.rawValue)
            if let text = goal.text { field(&out, "text", text) }
        case .decision(let decision):
            field(&out, "flag", decision.flag)
            field(&out, "outcome", decision.outcome)
            if let note = decision.note { field(&out, "note", note) }
            if let worker = decision.worker { field(&out, "worker", worker) }
        case .erasure:
            break
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The JSON path of the first number a journal cannot hold (NaN, infinite, or beyond
    /// `NumberLimits.storedValue`), or nil when there is none. Such a record is refused rather
    /// than written as a line that would not read back.
    var nonFiniteField: String? {
        let content: AdministrationRecord
        switch body {
        case .administration(let administration): content = administration
        case .correction(_, let replacement): content = replacement
        default: return nil
        }
        // The journal reader refuses the same numbers; a record it would refuse is never written.
        for key in content.answers.keys.sorted() {
            if case .number(let value) = content.answers[key], !Scanner.isStorable(value) {
                return "answers.\(key)"
            }
        }
        for key in content.scores.keys.sorted() where !Scanner.isStorable(content.scores[key]!) {
            return "scores.\(key)"
        }
        return nil
    }

    private func encode(_ administration: AdministrationRecord, into out: inout [UInt8]) {
        let fields = AdministrationField.layout.fields
        for field in fields where !field.writtenAfterScores { encode(field, of: administration, into: &out) }
        out.append(contentsOf: ",\"answers\":{".utf8)
        // By key, each with its value (sorted together: no lookup of each key again).
        for (index, (key, answer)) in administration.answers.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.quote(key, into: &out)
            out.append(UInt8(ascii: ":"))
            switch answer {
            case .number(let value): Self.number(value, into: &out)
            case .text(let words): JSONString.quote(words, into: &out)
            case .skipped: out.append(contentsOf: "null".utf8)
            }
        }
        out.append(contentsOf: "},\"scores\":{".utf8)
        for (index, (key, score)) in administration.scores.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.quote(key, into: &out)
            out.append(UInt8(ascii: ":"))
            Self.number(score, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        for field in fields where field.writtenAfterScores { encode(field, of: administration, into: &out) }
    }

    /// A number as `JSONValue.numberText` writes it.
    private static func number(_ value: Double, into out: inout [UInt8]) {
        if value.isFinite {
            NumberText.appendShortest(value, to: &out)
        } else {
            out.append(contentsOf: JSONValue.numberText(value).utf8)
        }
    }

    /// Writes one field of the list, left out when absent (a required field is never absent).
    private func encode(
        _ field: AdministrationField, of administration: AdministrationRecord, into out: inout [UInt8]
    ) {
        if field.isText {
            guard let text = administration.fields.text(field) else {
                precondition(!field.isRequired, "an administration without \(field)")
                return
            }
            self.field(&out, field.key, text)
        } else if let integer = administration.fields.integer(field) {
            out.append(contentsOf: ",\"".utf8)
            Self.append(field.key, to: &out)
            out.append(contentsOf: "\":".utf8)
            NumberText.appendInteger(Int64(integer), to: &out)
        }
    }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private func field(_ out: inout [UInt8], _ key: StaticString, _ value: String, first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        Self.append(key, to: &out)
        out.append(contentsOf: "\":".utf8)
        JSONString.quote(value, into: &out)
    }
}
