/// The 64-bit FNV-1a hash (Fowler, Noll, Vo), the one hash behind Pejling's stored and derived
/// ids: flag ids, ids of imported rows, FHIR addresses, the summary cache's checks and its
/// string pool.
///
/// Flag ids and imported rows' ids are stored in journals, so the constants and the order of
/// the steps must never change; SupportTests pins known values. The constants are those of the
/// specification: offset basis 0xcbf29ce484222325, prime 0x100000001b3 (1099511628211).
package struct FNV1a: Sendable, Hashable {
    /// The offset basis: the hash of no bytes.
    package static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The 64-bit FNV prime.
    package static let prime: UInt64 = 0x100_0000_01b3

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
