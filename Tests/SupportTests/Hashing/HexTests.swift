import Support
import Testing

@Suite struct HexTests {
    @Test(arguments: [
        (0 as UInt64, "0000000000000000"),
        (0xabc, "0000000000000abc"),
        (0x0123_4567_89ab_cdef, "0123456789abcdef"),
        (UInt64.max, "ffffffffffffffff"),
    ])
    func sixtyFourBitsAreSixteenLowercaseDigits(value: UInt64, text: String) {
        #expect(Hex.string(value) == text)
    }

    @Test func aHexIDReadsBackAsWritten() throws {
        let id = HexID(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)
        #expect(id.text == "0123456789abcdeffedcba9876543210")
        #expect(HexID(id.text) == id)
        #expect(HexID("0123456789ABCDEFfedcba9876543210") == nil)
    }
}
