/// The 64-bit FNV-1a hash (Fowler, Noll, Vo), the one hash behind Pejling's stored and derived
/// ids: flag ids, ids of imported rows, FHIR addresses, the summary cache's checks and its
/// string pool.
///
/// Flag ids and imported rows' ids are stored in journals, so the constants and the order of
/// the steps must never change; SupportTests pins known values. The constants are those of the
/// specification: offset basis 0xcbf29ce484222325, prime 0x100000001b3 (1099511628211).
package struct FNV1a: Sendable, Hashable {
    /// The offset basis: the hash of no bytes.
    ///
    /// Constants written out rather than stored: a stored `static let` is read through its
    /// accessor from other modules, once per byte or word hashed, where a literal folds away.
    @inlinable package static var offsetBasis: UInt64 { 0xcbf2_9ce4_8422_2325 }
    /// The 64-bit FNV prime.
    @inlinable package static var prime: UInt64 { 0x100_0000_01b3 }

    /// The hash of the bytes added so far.
    package private(set) var value: UInt64

    /// Starts a hash at `seed` (the offset basis unless a second, independent hash is wanted).
    @inlinable package init(seed: UInt64 = FNV1a.offsetBasis) {
        value = seed
    }

    /// Adds one byte: xor it in, then multiply by the prime.
    @inlinable package mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    /// Adds every byte of `bytes`.
    @inlinable package mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        for byte in bytes { add(byte) }
    }

    /// Adds the UTF-8 bytes of `text`, in one piece of memory rather than one at a time through
    /// an iterator.
    @inlinable package mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add($0) }
    }

    /// Adds the 16 lowercase hexadecimal digits of `value` (`Hex.string(value)`), most
    /// significant first, without making the text: a flag's id hashes the 32 digits of the
    /// administration that opened it, for every flag opened. Not inlined, so that the digits
    /// and the prime stay plain constants in one loop.
    package mutating func addHexDigits(of value: UInt64) {
        var hash = self.value
        var shift: UInt64 = 64
        while shift > 0 {
            shift &-= 4
            let nibble = UInt8(truncatingIfNeeded: (value &>> shift) & 0xF)
            let digit = nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
            hash = (hash ^ UInt64(digit)) &* Self.prime
        }
        self.value = hash
    }

    /// Returns the hash of `bytes`.
    @inlinable package static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = FNV1a()
        hash.add(bytes)
        return hash.value
    }

    /// Returns the hash of `bytes`.
    @inlinable package static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { hash($0) }
    }

    /// Returns the hash of the UTF-8 bytes of `text`, starting at `seed`.
    @inlinable package static func hash(_ text: String, seed: UInt64 = FNV1a.offsetBasis) -> UInt64 {
        var hash = FNV1a(seed: seed)
        hash.add(text)
        return hash.value
    }
}

extension FNV1a {
    /// What adding one fixed text does to any hash, worked out once for every hash it is added to.
    ///
    /// Adding `n` bytes maps a hash `h` to `h · primeⁿ + c` (wrapping), where `c` depends only on
    /// the lowest byte of `h`: xoring a byte in changes only the low byte, and the low byte of a
    /// product depends only on the low bytes of its factors, so the low byte before each step, and
    /// with it what each xor adds, follows from the first one. The 256 values of `c` then give, in
    /// one multiplication, the hash that adding the bytes one at a time gives (a flag id hashes its
    /// rule's text after the case's id, for every case).
    package struct Continuation: Sendable {
        /// `primeⁿ`, for the text's `n` bytes.
        private let factor: UInt64
        /// `c` by the lowest byte of the hash added to.
        private let offsets: [UInt64]

        /// The continuation that adds the UTF-8 bytes of `text`.
        package init(_ text: String) {
            var factor: UInt64 = 1
            for _ in text.utf8 { factor = factor &* FNV1a.prime }
            var offsets = [UInt64](repeating: 0, count: 256)
            for low in 0..<256 {
                var hash = FNV1a(seed: UInt64(low))
                hash.add(text)
                offsets[low] = hash.value &- UInt64(low) &* factor
            }
            self.factor = factor
            self.offsets = offsets
        }

        /// `hash` with the text added: what `hash.add(text)` gives.
        package func added(to hash: FNV1a) -> FNV1a {
            FNV1a(seed: hash.value &* factor &+ offsets[Int(hash.value & 0xFF)])
        }
    }
}
