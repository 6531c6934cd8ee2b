import Testing

@testable import Support

/// `JSONValue.write(to:)` streams a document a part at a time; the bytes must be those of the
/// whole document rendered at once, however the parts fall.
@Suite struct JSONStreamingTests {
    /// A deterministic generator of nested values: objects, arrays (some empty), strings that need
    /// escaping, numbers of every kind, booleans and nulls.
    struct Values {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func value(depth: Int) -> JSONValue {
            switch depth > 4 ? next(4) : next(7) {
            case 0: return .null
            case 1: return .bool(next(2) == 0)
            case 2: return .number([0, -1.5, 19.1, 1e12, 0.1 + 0.2, .nan][next(6)])
            case 3: return .string(["", "plain", "æøå \"quoted\"\n\t", "\u{1}\u{202E}", "K-0042"][next(5)])
            case 4, 5:
                return .array((0..<next(depth == 0 ? 3_000 : 12)).map { _ in value(depth: depth + 1) })
            default:
                return .object((0..<next(8)).map { (key: "k\($0)", value: value(depth: depth + 1)) })
            }
        }
    }

    /// The text a writer hands on, collected.
    final class Collected {
        var text = ""
        var parts = 0
    }

    private func streamed(_ value: JSONValue, depth: Int) throws -> (text: String, parts: Int) {
        let collected = Collected()
        let writer = FileWriter(sendingTo: { text in
            collected.text += text
            collected.parts += 1
        })
        try value.write(to: writer, depth: depth)
        try writer.flush()
        return (collected.text, collected.parts)
    }

    @Test(arguments: 1...40)
    func aStreamedDocumentIsTheDocumentRenderedWhole(seed: Int) throws {
        var values = Values(state: UInt64(seed))
        let value = values.value(depth: 0)
        for depth in [0, 2] {
            let (text, _) = try streamed(value, depth: depth)
            #expect(Array(text.utf8) == Array(value.rendered(depth: depth).utf8))
        }
    }

    @Test func aLargeDocumentIsHandedOnInParts() throws {
        let rows: [JSONValue] = (0..<20_000).map { number in
            ["case": .string("K-\(number)"), "score": .number(Double(number) / 8), "note": "æ\"ø\"å"]
        }
        let document: JSONValue = ["rules": [:], "rows": .array(rows)]
        let (text, parts) = try streamed(document, depth: 0)
        #expect(Array(text.utf8) == Array(document.rendered().utf8))
        #expect(parts > 10)
    }
}

@Test(arguments: [1, 31, 32, 33, 70])
func aDeeplyNestedValueIsIndentedTwoSpacesALevel(depth: Int) {
    var value: JSONValue = 1
    for _ in 0..<depth { value = [value] }
    func indent(_ level: Int) -> String { String(repeating: " ", count: 2 * level) }
    let lines =
        (0..<depth).map { indent($0) + "[" } + [indent(depth) + "1"]
        + (0..<depth).reversed().map { indent($0) + "]" }
    #expect(value.rendered() == lines.joined(separator: "\n"))
}
