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

    @Test func aSeedGivesAnotherHash() {
        #expect(FNV1a.hash("K1", seed: 1) != FNV1a.hash("K1"))
        #expect(FNV1a(seed: 7).value == 7)
    }
}
