import Support
import Testing

@Test func aFlagNumberReadsBackAsItsText() throws {
    let number = try #require(FlagNumber("F0123456789abcdef"))
    #expect(number.value == 0x0123_4567_89ab_cdef)
    #expect(number.text == "F0123456789abcdef")
    #expect(FlagNumber(0xa).text == "F000000000000000a")
    #expect(FlagNumber(UInt64.max).text == "Fffffffffffffffff")
}

@Test(arguments: [
    "", "F", "F0123456789ABCDEF", "f0123456789abcdef", "F0123456789abcde", "F0123456789abcdef0",
    "G0123456789abcdef",
])
func textThatIsNoFlagNumberIsNotReadAsOne(text: String) {
    #expect(FlagNumber(text) == nil)
}
