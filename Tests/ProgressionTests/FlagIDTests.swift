import InstrumentModel
import Support
import Testing

@testable import Progression

// A decision names its flag by id, and decisions are stored: a flag's id must be what it was when
// the decision was made. The values were computed by FlagEngine's own hashing before it moved to
// Support's FNV1a.

@Test func flagIDsAreUnchanged() throws {
    let engine = FlagEngine(catalogue: catalogue, today: Day(number: 20_000))
    let rule = try catalogue.instrument("ors").flags[0]
    #expect(
        engine.flagID("K1", "ors", rule, goal: nil, opening: "0123456789abcdef0123456789abcdef")
            == "F0f6c629761fc863e")
    #expect(engine.flagID("anna-7", "srs", rule, goal: "g2", opening: "imported-3") == "Fa552c1596d601453")
}
