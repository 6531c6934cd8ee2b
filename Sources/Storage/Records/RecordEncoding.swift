import Foundation
import Support

extension Record {
    /// Returns the record as one JSON line, without the line break.
    ///
    /// Keys come in a fixed order and answers by item id, so the same record always gives the same
    /// bytes; numbers take the shortest form that reads back the same (19.1, not 19.100000000000001).
    package func encodedLine() -> String {
        var out = "{"
        out.reserveCapacity(256)
        field(&out, "id", id, first: true)
        out += ",\"v\":\(schemaVersion)"
        field(&out, "kind", body.kind)
        field(&out, "writer", writer)
        field(&out, "time", TimeFormat.string(time))
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
        out += "}"
        return out
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

    private func encode(_ administration: AdministrationRecord, into out: inout String) {
        let fields = AdministrationField.layout.fields
        for field in fields where !field.writtenAfterScores { encode(field, of: administration, into: &out) }
        out += ",\"answers\":{"
        for (index, key) in administration.answers.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            JSONString.quote(key, into: &out)
            out += ":"
            switch administration.answers[key]! {
            case .number(let value): out += JSONValue.numberText(value)
            case .text(let words): JSONString.quote(words, into: &out)
            case .skipped: out += "null"
            }
        }
        out += "},\"scores\":{"
        for (index, key) in administration.scores.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            JSONString.quote(key, into: &out)
            out += ":" + JSONValue.numberText(administration.scores[key]!)
        }
        out += "}"
        for field in fields where field.writtenAfterScores { encode(field, of: administration, into: &out) }
    }

    /// Writes one field of the list, left out when absent (a required field is never absent).
    private func encode(
        _ field: AdministrationField, of administration: AdministrationRecord, into out: inout String
    ) {
        if field.isText {
            guard let text = administration.fields.text(field) else {
                precondition(!field.isRequired, "an administration without \(field)")
                return
            }
            self.field(&out, "\(field.key)", text)
        } else if let integer = administration.fields.integer(field) {
            out += ",\"\(field.key)\":\(integer)"
        }
    }

    private func field(_ out: inout String, _ key: String, _ value: String, first: Bool = false) {
        if !first { out += "," }
        out += "\"\(key)\":"
        JSONString.quote(value, into: &out)
    }
}
