import InstrumentModel
import Support
import Testing

@testable import Progression

@Test(arguments: [
    "f4a578dccbc87656bfdeaed9a17b3c8f", "00000000000000000000000000000000",
    "ffffffffffffffffffffffffffffffff",
    "F4A578DCCBC87656BFDEAED9A17B3C8F", "f4a578dccbc87656bfdeaed9a17b3c8", "paper-row-12", "", "ø-ærø",
])
func aReadingIDReadsBackAsWritten(_ text: String) {
    let id = ReadingID(text)
    #expect(id.text == text)
    var hash = FNV1a(seed: 7)
    id.add(to: &hash)
    #expect(hash.value == FNV1a.hash(text, seed: 7))
}

@Test func readingIDsAreEqualExactlyWhenTheirTextsAre() {
    #expect(
        ReadingID("f4a578dccbc87656bfdeaed9a17b3c8f")
            == ReadingID(high: 0xf4a5_78dc_cbc8_7656, low: 0xbfde_aed9_a17b_3c8f))
    #expect(ReadingID("f4a578dccbc87656bfdeaed9a17b3c8f") != ReadingID("F4A578DCCBC87656BFDEAED9A17B3C8F"))
    var reading = weekly("ors", [20])[0]
    reading.id = "f4a578dccbc87656bfdeaed9a17b3c8f"
    #expect(reading.id == "f4a578dccbc87656bfdeaed9a17b3c8f")
    #expect(reading.identifier == ReadingID(high: 0xf4a5_78dc_cbc8_7656, low: 0xbfde_aed9_a17b_3c8f))
}

@Test func aFlagsEvidenceCanBeReplacedAndFlagsCompareByItsWords() throws {
    var flag = try #require(flags(ors([18, 19, 20])).first)
    let copy = flag
    #expect(flag == copy)
    flag.evidence = LocalizedText(da: "Andet", en: "Other")
    #expect(flag.evidence[.en] == "Other")
    #expect(flag != copy)
    flag.evidence = copy.evidence
    #expect(flag == copy)
    #expect(flag.hashValue == copy.hashValue)
}
