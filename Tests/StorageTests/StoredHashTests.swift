import Testing

@testable import Storage

// The summary cache's checks and its string pool hash with Support's FNV1a; cache files on disk
// hold these hashes, so they must be what the hashing Storage wrote for itself gave. The values
// were computed by that code before it was replaced.

@Test func aJournalsFingerprintIsUnchanged() {
    var fingerprint = Fingerprint()
    fingerprint.add(Array("w.jsonl".utf8))
    fingerprint.add(7, 42)
    #expect(fingerprint.value == 0x74a3_e7d9_f55b_1778)
}

@Test func theStringPoolsHashIsUnchanged() {
    #expect(Array("K1".utf8).withUnsafeBufferPointer { StringPool.hash($0) } == 0x092a_8f07_b5be_1d21)
}

@Test func theCachesChecksumIsUnchanged() {
    let checksum = Array("0123456789abcdefXYZ".utf8).withUnsafeBytes { SummaryCache.checksum($0) }
    #expect(checksum == 0x45e4_84d6_5510_d183)
}

// The checksum of a cache's sections of records (format 7 on), computed apart from Storage (the
// sum of each padded word's mix at its place, then mixed with the length) when it was made.
@Test func theCachesWordSumIsUnchanged() {
    let checksum = Array("0123456789abcdefXYZ".utf8).withUnsafeBytes { SummaryCache.checksum(.entries, $0) }
    #expect(checksum == 0x8cdc_97ac_5234_dc5f)
}
