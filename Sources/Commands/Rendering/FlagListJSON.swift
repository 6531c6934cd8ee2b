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
            JSONValue.object(members(flag, ruleKey: keys.key(rule)))
        }
        return [("rules", keys.rules), (name, .array(list))]
    }

    /// Writes the members `rules` and `name` into the object `stream` has open, as `members` gives
    /// them, the flags one at a time: a list of a hundred thousand flags is never one tree.
    static func write(
        _ flags: some Collection<Flag>, named name: String, into stream: inout JSONStream
    ) throws(FileOutputError) {
        var keys = RuleKeys()
        let rules = flags.map { keys.number($0) }
        try stream.member("rules", keys.rules)
        stream.key(name)
        stream.beginArray()
        for (flag, rule) in zip(flags, rules) {
            stream.next()
            stream.beginObject()
            try stream.members(members(flag, ruleKey: keys.key(rule)))
            try stream.endObject()
        }
        try stream.endArray()
    }

    /// `{"rules": {…}, "flags": […]}`: what `flags --format json` writes.
    static func document(_ flags: [Flag]) -> JSONValue {
        .object(members(flags, named: "flags"))
    }

    /// Writes `document(flags)` into `stream`, the flags one at a time.
    static func writeDocument(_ flags: some Collection<Flag>, into stream: inout JSONStream)
        throws(FileOutputError)
    {
        stream.beginObject()
        try write(flags, named: "flags", into: &stream)
        try stream.endObject()
    }

    /// One flag's members: its facts, its rule's key in `rules`, its evidence and the decision on
    /// it.
    private static func members(_ flag: Flag, ruleKey: String) -> [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(flag.id)), ("case", .string(flag.caseID)),
            ("instrument", .string(flag.instrument)),
            ("rule", .string(flag.rule)), ("ruleKey", .string(ruleKey)), ("goal", .optional(flag.goal)),
            ("since", .string(flag.since.description)),
            ("latest", .string(flag.latest.description)), ("open", .bool(flag.isOpen)),
            ("stillHolds", .bool(flag.stillHolds)), ("clearedOn", .optional(flag.clearedOn?.description)),
            ("unverified", .bool(flag.unverified)),
            // The evidence holds the flag's own numbers: it stays with the flag.
            ("evidence", InstrumentWriter.text(flag.evidence)),
        ]
        if let decision = flag.decision {
            members.append(
                (
                    "decision",
                    [
                        "outcome": .string(decision.outcome.rawValue), "code": .string(decision.outcome.code),
                        "note": .optional(decision.note), "worker": .optional(decision.worker),
                    ]
                ))
        }
        return members
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

        /// Each rule met, by key in key order.
        var rules: JSONValue {
            .object(found.map { (key: $0.key, value: $0.texts.entry) }.sorted { $0.key < $1.key })
        }
    }
}
