import Testing

@testable import Interchange

// An imported row's record id is stored in the journal, and a FHIR address is how a server
// recognises a response exported again: both must be what they were before the hashing moved to
// Support. The values were computed by the code before the move.

@Test func anImportedRowsIDIsUnchanged() {
    let id = AdministrationTable.contentID(row: 3, fields: ["K1", "ors", "2026-03-14", "æøå"])
    #expect(id == "a84869a705ea87a478852b80071f461e")
}

@Test(arguments: [
    ("anna-1|g2", "urn:uuid:931e2d7d-b6c6-8c3e-b684-290cba63293d"),
    ("K1", "urn:uuid:092a8f07-b5be-8d21-b568-85cb04285e84"),
])
func aHashedFHIRAddressIsUnchanged(key: String, address: String) {
    #expect(FHIR.uuid(key) == address)
}
