import Support

/// A JSON document written a member and an element at a time through one `FileWriter`, with the
/// bytes `JSONValue.write(to:)` gives the same document whole (pretty-printed, two-space indents).
///
/// A report's lists grow with the store (a hundred thousand open flags, a row per case), so they
/// are opened here and their elements written one by one, never held as one tree; every value
/// inside them is rendered by `JSONValue` itself, in place, at its depth. Only the containers
/// opened here are laid out here, as `JSONValue` lays out its own (`JSONStreamTests` ties the two).
struct JSONStream {
    /// Where the text goes; nil for a stream that renders a part of a document (`elements`).
    private let writer: FileWriter?
    /// The UTF-8 of the document not yet handed on.
    private var bytes: [UInt8] = []
    /// How many members or elements each container opened here holds so far, outermost first.
    private var counts: [Int] = []

    init(_ writer: FileWriter) {
        self.writer = writer
        bytes.reserveCapacity(1 << 17)
    }

    /// A stream that renders a stretch of elements of the array `counts` describes (its
    /// containers' counts so far, outermost first), whose bytes are then handed on in order.
    private init(partAt counts: [Int]) {
        writer = nil
        self.counts = counts
    }

    /// Opens an object where a value goes (the document, a member's value, an element).
    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        counts.append(0)
    }

    mutating func endObject() throws(FileOutputError) {
        close("}")
        try spill()
    }

    /// Opens an array where a value goes.
    mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        counts.append(0)
    }

    mutating func endArray() throws(FileOutputError) {
        close("]")
        try spill()
    }

    /// Starts the member `key` of the object opened last; its value follows (`value` or a
    /// container opened here).
    mutating func key(_ key: String) {
        next()
        JSONValue.quote(key, into: &bytes)
        bytes.append(contentsOf: ": ".utf8)
    }

    /// Starts the next element of the array opened last; the element follows.
    mutating func next() {
        let last = counts.count - 1
        if counts[last] > 0 { bytes.append(UInt8(ascii: ",")) }
        counts[last] += 1
        JSONValue.newline(&bytes, counts.count)
    }

    /// Writes `value` where a value goes, as `JSONValue` renders it at this depth.
    mutating func value(_ value: JSONValue) throws(FileOutputError) {
        value.render(into: &bytes, depth: counts.count)
        try spill()
    }

    /// Writes the member `key` with `value` in the object opened last.
    mutating func member(_ key: String, _ value: JSONValue) throws(FileOutputError) {
        self.key(key)
        try self.value(value)
    }

    /// Writes the member `key` with the text `text` (null when nil) in the object opened last: what
    /// `member(key, .optional(text))` writes, without a value made for it.
    mutating func member(_ key: String, text: String?) throws(FileOutputError) {
        self.key(key)
        if let text { JSONValue.appendString(text, to: &bytes) } else { JSONValue.appendNull(to: &bytes) }
        try spill()
    }

    /// Writes the member `key` with the day `day` as text (null when nil) in the object opened last:
    /// what `member(key, text: day?.description)` writes, without the text made (a day's digits and
    /// dashes need no escaping).
    mutating func member(_ key: String, day: Day?) throws(FileOutputError) {
        self.key(key)
        if let day {
            bytes.append(UInt8(ascii: "\""))
            day.append(to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        } else {
            JSONValue.appendNull(to: &bytes)
        }
        try spill()
    }

    /// Writes the member `key` with `flag` in the object opened last: what `member(key, .bool(flag))`
    /// writes.
    mutating func member(_ key: String, bool flag: Bool) throws(FileOutputError) {
        self.key(key)
        JSONValue.appendBool(flag, to: &bytes)
        try spill()
    }

    /// Writes the member `key` with `number` in the object opened last: what
    /// `member(key, .number(number))` writes.
    mutating func member(_ key: String, number: Double) throws(FileOutputError) {
        self.key(key)
        JSONValue.appendNumber(number, to: &bytes)
        try spill()
    }

    /// Writes `members` in the object opened last, in their order.
    mutating func members(_ members: [(key: String, value: JSONValue)]) throws(FileOutputError) {
        for member in members { try self.member(member.key, member.value) }
    }

    /// Writes `value` as the next element of the array opened last.
    mutating func element(_ value: JSONValue) throws(FileOutputError) {
        next()
        try self.value(value)
    }

    /// Writes `count` elements of the array opened last, element `index` written by
    /// `element(index, &stream)`: the bytes `next()` followed by `element` would give for each in
    /// turn, rendered on every core a stretch of elements at a time while the stretches before
    /// are handed on (a list of a hundred thousand flags renders on both cores).
    mutating func elements(
        _ count: Int,
        _ element:
            @escaping @Sendable (_ index: Int, _ stream: inout JSONStream) throws(FileOutputError) -> Void
    ) throws(FileOutputError) {
        let counts = self.counts
        try parallelPipeline(
            stretchesOf: count, size: Self.elementStretch, batch: 8,
            make: { stretch -> Result<[UInt8], FileOutputError> in
                var stream = JSONStream(partAt: counts)
                // Room for a stretch of flags at once, rather than grown into copy by copy.
                stream.bytes.reserveCapacity(Self.partCapacity)
                stream.counts[counts.count - 1] += stretch.lowerBound
                return Result { () throws(FileOutputError) in
                    for index in stretch {
                        stream.next()
                        try element(index, &stream)
                    }
                    return stream.bytes
                }
            },
            consume: { (rendered: consuming Result<[UInt8], FileOutputError>) throws(FileOutputError) in
                try hand(rendered.get())
            })
        self.counts[counts.count - 1] += count
    }

    /// How many elements `elements` renders in one task.
    private static let elementStretch = 256

    /// How many bytes a stretch of elements starts with room for (a stretch of open flags takes
    /// about 140 KB).
    private static let partCapacity = 1 << 18

    /// Hands on `part`, rendered after what is held: written as it is, after what is held, rather
    /// than copied behind it first (a part rendered apart is a stretch of elements, a few hundred KB).
    private mutating func hand(_ part: [UInt8]) throws(FileOutputError) {
        guard let writer else {
            bytes += part
            return
        }
        if !bytes.isEmpty {
            try writer.write(bytes: bytes)
            bytes.removeAll(keepingCapacity: true)
        }
        try writer.write(bytes: part)
    }

    /// Writes `number` as the next element of the array opened last: what
    /// `element(.number(number))` writes.
    mutating func element(number: Double) throws(FileOutputError) {
        next()
        JSONValue.appendNumber(number, to: &bytes)
        try spill()
    }

    /// Hands on what is left; every container opened here must be closed.
    mutating func finish() throws(FileOutputError) {
        precondition(counts.isEmpty, "a JSON container left open")
        try writer?.write(bytes: bytes)
        bytes.removeAll()
    }

    private mutating func close(_ bracket: Character) {
        let count = counts.removeLast()
        if count > 0 { JSONValue.newline(&bytes, counts.count) }
        bytes.append(bracket.asciiValue!)
    }

    /// Hands the text on once about 64 KB of it are ready.
    private mutating func spill() throws(FileOutputError) {
        guard let writer, bytes.count >= 1 << 16 else { return }
        try writer.write(bytes: bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

extension Context {
    /// Writes a JSON document (`--format json`) to standard output as `body` streams it, followed
    /// by a line break, as `emitJSON` writes a whole one.
    func emitJSON(command: [String], _ body: (inout JSONStream) throws(FileOutputError) -> Void)
        throws(CommandError)
    {
        try emit(to: nil, command: command) { writer throws(FileOutputError) in
            var stream = JSONStream(writer)
            try body(&stream)
            try stream.finish()
            try writer.write("\n")
        }
    }
}
