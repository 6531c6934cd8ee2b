/// Lowercase hexadecimal digits, the one way Pejling writes ids: 16 digits for 64 bits, with
/// leading zeros.
package enum Hex {
    /// The digit of the low four bits of `nibble` as an ASCII byte.
    @inlinable package static func digit(_ nibble: UInt64) -> UInt8 {
        let nibble = UInt8(truncatingIfNeeded: nibble & 0xF)
        return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Writes the 16 digits of `value`, most significant first, into `buffer` from `offset`.
    @inlinable package static func write(
        _ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int
    ) {
        for place in 0..<16 {
            buffer[offset + place] = digit(value >> UInt64(60 - 4 * place))
        }
    }

    /// Returns `value` as 16 digits, `00000000000000ab`.
    package static func string(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            write(value, into: buffer, at: 0)
            return 16
        }
    }
}
