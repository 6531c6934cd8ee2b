/// A flag id as Pejling makes it: `F` and the 16 lowercase hexadecimal digits of a 64-bit hash.
///
/// The one place that writes and reads that form, so that a decision's flag can be held and
/// matched as a number while its text stays what is stored and shown.
package struct FlagNumber: Hashable, Sendable {
    package var value: UInt64

    package init(_ value: UInt64) {
        self.value = value
    }

    /// The number of `text`, or nil when it is not `F` and 16 lowercase hexadecimal digits.
    package init?(_ text: String) {
        var text = text
        guard let number = text.withUTF8({ FlagNumber($0) }) else { return nil }
        self = number
    }

    /// The number of the id in these UTF-8 bytes, or nil when they are not `F` and 16 lowercase
    /// hexadecimal digits.
    package init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 17, bytes[0] == UInt8(ascii: "F") else { return nil }
        var value: UInt64 = 0
        for byte in bytes[1...] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"):
                value = value << 4 | UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        self.value = value
    }

    /// `F` and the 16 digits.
    package var text: String {
        String(unsafeUninitializedCapacity: 17) { buffer in
            buffer[0] = UInt8(ascii: "F")
            Hex.write(value, into: buffer, at: 1)
            return 17
        }
    }
}
