import Support
import Testing

/// Flag ids and imported rows' ids are stored in journals: the hash must give, byte for byte,
/// what the code that wrote them gave. These values were computed by the hashing each module
/// had written out for itself before the one `FNV1a` took its place.
@Suite struct FNV1aTests {
    @Test(arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64),
        ("a", 0xaf63_dc4c_8601_ec8c),
        ("K1", 0x092a_8f07_b5be_1d21),
        ("pejling journal 2026", 0x4c5c_251f_6e6a_86cb),
    ])
    func hashesAreThoseStoredIdsWereMadeWith(text: String, expected: UInt64) {
        #expect(FNV1a.hash(text) == expected)
        #expect(FNV1a.hash(Array(text.utf8)) == expected)
    }

    @Test func addingPieceByPieceHashesTheWhole() {
        var pieces = FNV1a()
        pieces.add("pejling ")
        for byte in "journal".utf8 { pieces.add(byte) }
        Array(" 2026".utf8).withUnsafeBufferPointer { pieces.add($0) }
        #expect(pieces.value == FNV1a.hash("pejling journal 2026"))
    }

    @Test(arguments: [0, 1, 0xa, 0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, UInt64.max] as [UInt64])
    func addingHexDigitsAddsTheDigitsWritten(value: UInt64) {
        var digits = FNV1a(seed: 0x1234_5678)
        digits.add("K1|")
        digits.addHexDigits(of: value)
        #expect(digits.value == FNV1a.hash("K1|" + Hex.string(value), seed: 0x1234_5678))
    }

    @Test(arguments: ["", "|", "ors|{\"rule\":\"notOnTrack\",\"sessions\":3}|", "æøå ≠ ascii|"])
    func aContinuationAddsWhatAddingTheTextAdds(text: String) {
        let continuation = FNV1a.Continuation(text)
        // Every lowest byte, each with other bits above it.
        for low in 0..<256 as Range<UInt64> {
            for high in [0, 0x9e37_79b9_7f4a_7c00, 0xffff_ffff_ffff_ff00] as [UInt64] {
                var added = FNV1a(seed: high | low)
                added.add(text)
                #expect(continuation.added(to: FNV1a(seed: high | low)) == added)
            }
        }
    }

    @Test func aSeedGivesAnotherHash() {
        #expect(FNV1a.hash("K1", seed: 1) != FNV1a.hash("K1"))
        #expect(FNV1a(seed: 7).value == 7)
    }
}
