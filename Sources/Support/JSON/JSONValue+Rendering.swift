extension JSONValue {
    /// Returns the value as JSON text: pretty-printed with two-space indents, or on one line.
    ///
    /// Numbers use the shortest form that reads back the same (19.1, not 19.100000000000001),
    /// whole numbers without a decimal point; members keep their order.
    package func rendered(pretty: Bool = true) -> String {
        var out: [UInt8] = []
        render(into: &out, indent: pretty ? 0 : nil, spill: Self.keep)
        return String(decoding: out, as: UTF8.self)
    }

    /// Returns the value pretty-printed as it stands `depth` levels deep in a larger document: its
    /// first line not indented (the document's text before it is), its later lines indented from
    /// that depth. A document streamed a part at a time this way has the bytes `rendered()` gives
    /// the whole.
    package func rendered(depth: Int) -> String {
        var out: [UInt8] = []
        render(into: &out, indent: depth, spill: Self.keep)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 of the value pretty-printed, as `rendered(depth:)` gives it, to `out`: a
    /// document streamed a part at a time into one buffer (see `JSONStream`) renders each part in
    /// place.
    package func render(into out: inout [UInt8], depth: Int) {
        render(into: &out, indent: depth, spill: Self.keep)
    }

    /// Writes the value pretty-printed, as `rendered(depth:)` gives it, through `writer` a part at
    /// a time: the text is handed on whenever about 64 KB of it are ready, so a document that grows
    /// with the store is never held whole as text.
    package func write(to writer: FileWriter, depth: Int = 0) throws(FileOutputError) {
        var out: [UInt8] = []
        try render(into: &out, indent: depth) { (bytes: inout [UInt8]) throws(FileOutputError) in
            guard bytes.count >= 1 << 16 else { return }
            try writer.write(bytes: bytes)
            bytes.removeAll(keepingCapacity: true)
        }
        try writer.write(bytes: out)
    }

    /// Appends the UTF-8 of the value's text to `out`, compact when `indent` is nil, else
    /// pretty-printed from that depth; `spill` sees the bytes after each element and member and
    /// may hand them on. The one renderer of JSON values: every text above is made by it.
    private func render<Failure: Error>(
        into out: inout [UInt8], indent: Int?,
        spill: (inout [UInt8]) throws(Failure) -> Void
    ) throws(Failure) {
        switch self {
        case .null: Self.appendNull(to: &out)
        case .bool(let flag): Self.appendBool(flag, to: &out)
        case .number(let number): Self.appendNumber(number, to: &out)
        case .string(let text): Self.appendString(text, to: &out)
        case .array(let elements):
            if elements.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent.map { $0 + 1 })
                try element.render(into: &out, indent: indent.map { $0 + 1 }, spill: spill)
                try spill(&out)
            }
            Self.newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent.map { $0 + 1 })
                JSONString.quote(member.key, into: &out)
                if indent == nil {
                    out.append(UInt8(ascii: ":"))
                } else {
                    out.append(contentsOf: ": ".utf8)
                }
                try member.value.render(into: &out, indent: indent.map { $0 + 1 }, spill: spill)
                try spill(&out)
            }
            Self.newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Keeps the bytes where they are (a document rendered whole).
    private static func keep(_ bytes: inout [UInt8]) {}

    /// Appends a line break and `indent` levels of two-space indent (nothing when compact): how
    /// a container's elements and its closing bracket are laid out.
    package static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        // Copied from a run of spaces on the stack, as one piece of memory: a shared array of
        // them would be counted (retained and released) for every line, from every core at once.
        let eight: UInt64 = 0x2020_2020_2020_2020
        let spaces = (eight, eight, eight, eight)
        withUnsafeBytes(of: spaces) { raw in
            let run = raw.assumingMemoryBound(to: UInt8.self)
            var left = 2 * indent
            while left > 0 {
                let count = min(left, run.count)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: run[..<count]))
                left -= count
            }
        }
    }

    /// Appends what `.null` renders to `out`.
    package static func appendNull(to out: inout [UInt8]) {
        out.append(contentsOf: "null".utf8)
    }

    /// Appends what `.bool(flag)` renders to `out`.
    package static func appendBool(_ flag: Bool, to out: inout [UInt8]) {
        out.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    /// Appends what `.string(text)` renders to `out`.
    package static func appendString(_ text: String, to out: inout [UInt8]) {
        JSONString.quote(text, into: &out)
    }

    /// Appends what `.number(number)` renders, `numberText(number)`, to `out`.
    package static func appendNumber(_ number: Double, to out: inout [UInt8]) {
        guard number.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        NumberText.appendShortest(number, to: &out)
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

    /// Appends `text` as a JSON string literal, as `quote(_:into:)` writes it, to UTF-8 bytes.
    package static func quote(_ text: String, into out: inout [UInt8]) {
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
