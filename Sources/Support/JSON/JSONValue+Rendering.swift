extension JSONValue {
    /// Returns the value as JSON text: pretty-printed with two-space indents, or on one line.
    ///
    /// Numbers use the shortest form that reads back the same (19.1, not 19.100000000000001),
    /// whole numbers without a decimal point; members keep their order.
    package func rendered(pretty: Bool = true) -> String {
        var out = ""
        render(into: &out, indent: pretty ? 0 : nil, spill: Self.keep)
        return out
    }

    /// Returns the value pretty-printed as it stands `depth` levels deep in a larger document: its
    /// first line not indented (the document's text before it is), its later lines indented from
    /// that depth. A document streamed a part at a time this way has the bytes `rendered()` gives
    /// the whole.
    package func rendered(depth: Int) -> String {
        var out = ""
        render(into: &out, indent: depth, spill: Self.keep)
        return out
    }

    /// Appends the value pretty-printed, as `rendered(depth:)` gives it, to `out`: a document
    /// streamed a part at a time into one buffer (see `JSONStream`) renders each part in place.
    package func render(into out: inout String, depth: Int) {
        render(into: &out, indent: depth, spill: Self.keep)
    }

    /// Writes the value pretty-printed, as `rendered(depth:)` gives it, through `writer` a part at
    /// a time: the text is handed on whenever about 64 KB of it are ready, so a document that grows
    /// with the store is never held whole as text.
    package func write(to writer: FileWriter, depth: Int = 0) throws(FileOutputError) {
        var out = ""
        try render(into: &out, indent: depth) { (text: inout String) throws(FileOutputError) in
            guard text.utf8.count >= 1 << 16 else { return }
            try writer.write(text)
            text.removeAll(keepingCapacity: true)
        }
        try writer.write(out)
    }

    /// Appends the value's text to `out`, compact when `indent` is nil, else pretty-printed from
    /// that depth; `spill` sees the text after each element and member and may hand it on.
    private func render<Failure: Error>(
        into out: inout String, indent: Int?,
        spill: (inout String) throws(Failure) -> Void
    ) throws(Failure) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += Self.numberText(number)
        case .string(let text): Self.quote(text, into: &out)
        case .array(let elements):
            if elements.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                newline(&out, indent.map { $0 + 1 })
                try element.render(into: &out, indent: indent.map { $0 + 1 }, spill: spill)
                try spill(&out)
            }
            newline(&out, indent)
            out += "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                newline(&out, indent.map { $0 + 1 })
                Self.quote(member.key, into: &out)
                out += indent == nil ? ":" : ": "
                try member.value.render(into: &out, indent: indent.map { $0 + 1 }, spill: spill)
                try spill(&out)
            }
            newline(&out, indent)
            out += "}"
        }
    }

    /// Keeps the text where it is (a document rendered whole).
    private static func keep(_ text: inout String) {}

    private func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        // Appended in place: a new string per line would be made for every element written.
        out += "\n"
        for _ in 0..<indent { out += "  " }
    }

    /// The shortest text for a number that reads back the same; `null` for NaN and infinity,
    /// which JSON cannot hold.
    package static func numberText(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        return NumberText.shortest(number)
    }

    /// Appends `text` as a JSON string literal (`JSONString.quote`, the one escaper).
    package static func quote(_ text: String, into out: inout String) {
        JSONString.quote(text, into: &out)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(floatLiteral value: Double) { self = .number(value) }
    package init(integerLiteral value: Int) { self = .number(Double(value)) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { (key: $0.0, value: $0.1) })
    }

    /// A string, or null when `text` is nil.
    package static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    /// A number, or null when `number` is nil.
    package static func optional(_ number: Double?) -> JSONValue { number.map(JSONValue.number) ?? .null }
}
