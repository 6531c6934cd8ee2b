/// A record id of 32 lowercase hexadecimal digits (what the store's `randomID` makes) as 128 bits.
package struct HexID: Hashable, Sendable {
    package var high: UInt64
    package var low: UInt64

    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The id's bits, or nil when it is not 32 lowercase hexadecimal digits.
    package init?(_ id: String) {
        var id = id
        guard let bits = id.withUTF8({ HexID($0) }) else { return nil }
        self = bits
    }

    /// The bits of the id in these UTF-8 bytes, or nil when they are not 32 lowercase
    /// hexadecimal digits.
    package init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for offset in 0..<32 {
            let byte = bytes[offset]
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
            if offset < 16 { high = high << 4 | digit } else { low = low << 4 | digit }
        }
        self.init(high: high, low: low)
    }

    /// The 32 hexadecimal digits.
    package var text: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            Hex.write(high, into: buffer, at: 0)
            Hex.write(low, into: buffer, at: 16)
            return 32
        }
    }
}
