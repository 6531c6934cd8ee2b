import Support

/// A reading's id: 128 bits when it is 32 lowercase hexadecimal digits (the ids the store
/// makes), else its text. A million readings then hold no string each; the text is made when
/// asked for.
struct ReadingID: Sendable, Hashable {
    private enum Storage: Sendable, Hashable {
        case bits(high: UInt64, low: UInt64)
        case text(String)
    }

    private var storage: Storage

    /// The id of this text; two ids are equal exactly when their texts are.
    init(_ text: String) {
        storage = HexID(text).map { .bits(high: $0.high, low: $0.low) } ?? .text(text)
    }

    /// The id of 32 hexadecimal digits, the first 16 from `high`.
    init(high: UInt64, low: UInt64) {
        storage = .bits(high: high, low: low)
    }

    /// The 128 bits of an id of 32 hexadecimal digits, else nil.
    var bits: (high: UInt64, low: UInt64)? {
        if case .bits(let high, let low) = storage { return (high, low) }
        return nil
    }

    /// The id as written.
    var text: String {
        switch storage {
        case .text(let text): return text
        case .bits(let high, let low): return HexID(high: high, low: low).text
        }
    }

    /// Adds the UTF-8 bytes of the text to `hash` without making the text (a flag's id is such a
    /// hash, made for every flag opened).
    func add(to hash: inout FNV1a) {
        switch storage {
        case .text(let text): hash.add(text)
        case .bits(let high, let low):
            hash.addHexDigits(of: high)
            hash.addHexDigits(of: low)
        }
    }
}
