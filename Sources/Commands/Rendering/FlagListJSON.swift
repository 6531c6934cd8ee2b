import InstrumentModel
import Progression
import Support

/// Flags as JSON, the one shape `flags`, `team` and `ask` write: each flag with its own facts and
/// numbers, and the bilingual texts of the rules they come from once, in a `rules` object the
/// flags name by key.
///
/// A flag's reason, question and principle depend only on its rule (as the instrument states it,
/// and whether it compares with the expected band), so a list of thousands of flags would
/// otherwise repeat the same few texts thousands of times. `flags --format json` writes
/// `{"rules": {…}, "flags": […]}`; `team` and `ask` put `rules` beside their own list of flags.
/// Only the rules the list's flags come from are given, in key order.
///
/// A key is `instrument.rule.` and eight hexadecimal digits of the FNV-1a hash of the rule's
/// texts: the same texts always give the same key, in every command, store and run, and two
/// rules with different texts (ORS's deterioration since intake and since the previous
/// measurement, say) never share one.
enum FlagListJSON {
    /// The members `rules` and `name` (the flags, in the order given) of a JSON object.
    static func members(_ flags: some Collection<Flag>, named name: String) -> [(
        key: String, value: JSONValue
    )] {
        var keys = RuleKeys()
        let rules = flags.map { keys.number($0) }
        let list = zip(flags, rules).map { flag, rule in
            var members: [(key: String, value: JSONValue)] = []
            forEachMember(flag, ruleKey: keys.key(rule)) { members.append((key: $0, value: $1.json)) }
            return JSONValue.object(members)
        }
        return [("rules", keys.rules), (name, .array(list))]
    }

    /// Writes the members `rules` and `name` into the object `stream` has open, as `members` gives
    /// them, the flags one at a time (on every core, `JSONStream.elements`): a list of a hundred
    /// thousand flags is never one tree.
    ///
    /// The list is a `FlagList` rather than any collection of flags: a flag read through a
    /// generic collection's subscript is copied (its texts counted) for every member written.
    static func write(_ flags: FlagList, named name: String, into stream: inout JSONStream)
        throws(FileOutputError)
    {
        var keys = RuleKeys()
        // By place: a flag copied out of the list would be counted for nothing.
        let rules = flags.indices.map { keys.number(flags[$0]) }
        try stream.member("rules", keys.rules)
        stream.key(name)
        stream.beginArray()
        let ruleKeys = keys.keys
        // By place: a flag copied out of the list would be counted for nothing.
        try stream.elements(flags.count) { number, stream throws(FileOutputError) in
            stream.beginObject()
            try forEachMember(flags[number], ruleKey: ruleKeys[rules[number]]) {
                key, value throws(FileOutputError) in try value.write(named: key, into: &stream)
            }
            try stream.endObject()
        }
        try stream.endArray()
    }

    /// `{"rules": {…}, "flags": […]}`: what `flags --format json` writes.
    static func document(_ flags: [Flag]) -> JSONValue {
        .object(members(flags, named: "flags"))
    }

    /// Writes `document(flags)` into `stream`, the flags one at a time.
    static func writeDocument(_ flags: FlagList, into stream: inout JSONStream) throws(FileOutputError) {
        stream.beginObject()
        try write(flags, named: "flags", into: &stream)
        try stream.endObject()
    }

    /// One flag's members, handed to `body` in order: its facts, its rule's key in `rules`, its
    /// evidence and the decision on it. The one list of them, which a document whole and a stream
    /// both write (the stream with no list made per flag).
    private static func forEachMember<Failure: Error>(
        _ flag: Flag, ruleKey: String, _ body: (_ key: String, _ value: Member) throws(Failure) -> Void
    ) throws(Failure) {
        try body("id", .text(flag.id))
        try body("case", .text(flag.caseID))
        try body("instrument", .text(flag.instrument))
        try body("rule", .text(flag.rule))
        try body("ruleKey", .text(ruleKey))
        try body("goal", .text(flag.goal))
        try body("since", .day(flag.since))
        try body("latest", .day(flag.latest))
        try body("open", .flag(flag.isOpen))
        try body("stillHolds", .flag(flag.stillHolds))
        try body("clearedOn", .day(flag.clearedOn))
        try body("unverified", .flag(flag.unverified))
        // The evidence holds the flag's own numbers: it stays with the flag.
        try body("evidence", .localized(flag.evidence))
        if let decision = flag.decision {
            try body(
                "decision",
                .value([
                    "outcome": .string(decision.outcome.rawValue), "code": .string(decision.outcome.code),
                    "note": .optional(decision.note), "worker": .optional(decision.worker),
                ]))
        }
    }

    /// A member's value: a text or a day as text (null when nil) or a flag, written as they are, or
    /// any other value.
    private enum Member {
        case text(String?)
        case day(Day?)
        case flag(Bool)
        /// A text in several languages, as `InstrumentWriter.text` writes it.
        case localized(LocalizedText)
        case value(JSONValue)

        var json: JSONValue {
            switch self {
            case .text(let text): return .optional(text)
            case .day(let day): return .optional(day?.description)
            case .flag(let flag): return .bool(flag)
            case .localized(let text): return InstrumentWriter.text(text)
            case .value(let value): return value
            }
        }

        /// Writes the member `key` with this value, as `stream.member(key, json)` writes it.
        func write(named key: String, into stream: inout JSONStream) throws(FileOutputError) {
            switch self {
            case .text(let text): try stream.member(key, text: text)
            case .day(let day): try stream.member(key, day: day)
            case .flag(let flag): try stream.member(key, bool: flag)
            case .localized(let text):
                // Each language's text written as it stands, without an object made of them.
                stream.key(key)
                stream.beginObject()
                for (language, words) in InstrumentWriter.textMembers(text) {
                    try stream.member(language, text: words)
                }
                try stream.endObject()
            case .value(let value): try stream.member(key, value)
            }
        }
    }

    /// What every flag of one rule shares: the key's input and the `rules` entry.
    private struct RuleTexts: Hashable {
        var instrument: String
        var rule: String
        var reason: LocalizedText
        var question: LocalizedText
        var principle: Principle

        init(_ flag: Flag) {
            (instrument, rule) = (flag.instrument, flag.rule)
            (reason, question, principle) = (flag.reason, flag.question, flag.principle)
        }

        /// The texts as the `rules` entry gives them, without the instrument and rule.
        var texts: [(key: String, value: JSONValue)] {
            [
                ("reason", InstrumentWriter.text(reason)), ("question", InstrumentWriter.text(question)),
                (
                    "principle",
                    [
                        "number": .number(Double(principle.rawValue)),
                        "text": InstrumentWriter.text(principle.text),
                    ]
                ),
            ]
        }

        var key: String {
            let hash = FNV1a.hash(JSONValue.object(texts).rendered(pretty: false))
            return "\(instrument).\(rule).\(Hex.string(hash).prefix(8))"
        }

        var entry: JSONValue {
            .object([("instrument", .string(instrument)), ("rule", .string(rule))] + texts)
        }
    }

    /// The rules found so far, each one's key worked out once; a flag's rule is found by looking
    /// (a list has a few rules, and the flags of one rule share its texts' storage, which compare
    /// equal at once).
    private struct RuleKeys {
        private var found: [(texts: RuleTexts, key: String)] = []

        /// The number of the flag's rule among those found.
        mutating func number(_ flag: Flag) -> Int {
            let texts = RuleTexts(flag)
            if let number = found.firstIndex(where: { $0.texts == texts }) { return number }
            found.append((texts, texts.key))
            return found.count - 1
        }

        func key(_ number: Int) -> String { found[number].key }

        /// The keys of the rules found, by number.
        var keys: [String] { found.map(\.key) }

        /// Each rule met, by key in key order.
        var rules: JSONValue {
            .object(found.map { (key: $0.key, value: $0.texts.entry) }.sorted { $0.key < $1.key })
        }
    }
}
