import Support
import Testing

@Test func anIdOfHexadecimalDigitsReadsAsItsBits() throws {
    let bits = try #require(HexID("0123456789abcdeffedcba9876543210"))
    #expect(bits.high == 0x0123_4567_89ab_cdef)
    #expect(bits.low == 0xfedc_ba98_7654_3210)
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<1000 {
        let random = HexID(high: generator.next(), low: generator.next())
        #expect(HexID(random.text) == random)
    }
}

/// Ids are read eight digits at a time: every byte that is not a lowercase hexadecimal digit,
/// at every place, must make the id no HexID (it is then kept as text).
@Test func anyOtherByteAnywhereMakesItNoHexID() {
    let digits = Set("0123456789abcdef".utf8)
    let id = Array("0123456789abcdeffedcba9876543210".utf8)
    for place in 0..<32 {
        for byte in UInt8.min...UInt8.max {
            var bytes = id
            bytes[place] = byte
            let read = bytes.withUnsafeBufferPointer { HexID($0) }
            #expect((read != nil) == digits.contains(byte), "byte \(byte) at \(place)")
            if let read {
                #expect(read.text == String(decoding: bytes, as: UTF8.self))
            }
        }
    }
    for length in [0, 31, 33] {
        let bytes = Array(repeating: UInt8(ascii: "a"), count: length)
        #expect(bytes.withUnsafeBufferPointer { HexID($0) } == nil)
    }
}
