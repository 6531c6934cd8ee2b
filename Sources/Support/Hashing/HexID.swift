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
        guard bytes.count == 32, let base = bytes.baseAddress else { return nil }
        // Eight digits at a time, without a branch per digit (random digits would mispredict a
        // third of them).
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for group in 0..<4 {
            let word = UnsafeRawPointer(base + 8 * group).loadUnaligned(as: UInt64.self)
            guard let value = Self.digits(UInt64(littleEndian: word))
            else { return nil }
            switch group {
            case 0: words.0 = value
            case 1: words.1 = value
            case 2: words.2 = value
            default: words.3 = value
            }
        }
        self.init(high: words.0 << 32 | words.1, low: words.2 << 32 | words.3)
    }

    /// The value of eight lowercase hexadecimal digits (the first in the word's lowest byte), or
    /// nil when one of them is not one.
    @inline(__always)
    private static func digits(_ word: UInt64) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs = ones &* 0x80
        // For bytes below 0x80, the high bit of `(x + 0x80 - low) & ~(x + 0x7F - high)` is set
        // exactly when low <= x <= high, and no byte carries into the next.
        let digit = (word &+ ones &* (0x80 - 0x30)) & ~(word &+ ones &* (0x7F - 0x39))
        let letter = (word &+ ones &* (0x80 - 0x61)) & ~(word &+ ones &* (0x7F - 0x66))
        guard word & highs == 0, (digit | letter) & highs == highs else { return nil }
        // '0'...'9' are 0x30...0x39, 'a'...'f' 0x61...0x66: the low four bits, plus 9 for a letter.
        let values = (word & (ones &* 0x0F)) &+ ((word >> 6) & ones) &* 9
        // Gather the eight values, first digit highest.
        let pairs = (values << 4 | values >> 8) & 0x00FF_00FF_00FF_00FF
        let quads = (pairs << 8 | pairs >> 16) & 0x0000_FFFF_0000_FFFF
        return (quads << 16 | quads >> 32) & 0xFFFF_FFFF
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
