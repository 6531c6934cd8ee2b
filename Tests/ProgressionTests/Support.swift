import Foundation
import InstrumentModel
import Support

@testable import Progression

let catalogue = try! InstrumentCatalogue.load(organisationDirectory: nil)

/// A day from its ISO text, for readable tests.
func day(_ text: String) -> Day { Day(iso: text)! }

/// Measurements of one instrument, a week apart from `start`, recorded at noon that day.
func weekly(
    _ instrument: String, _ totals: [Double?], caseID: String = "K1", start: String = "2026-01-05",
    parts: [[String: Double]]? = nil, every days: Int = 7
) -> [Reading] {
    totals.enumerated().map { index, total in
        let meeting = day(start) + index * days
        return Reading(
            id: "\(instrument)-\(caseID)-\(index + 1)", caseID: caseID, instrument: instrument, day: meeting,
            recorded: meeting.date.addingTimeInterval(12 * 3600), total: total, parts: parts?[index] ?? [:])
    }
}

/// An instrument with one number item, reliability and SD, and a fixed cut-off, made in the test.
func numberInstrument(
    direction: Scoring.Direction, cutoff: Double, r: Double, sd: Double, flags: [FlagRule] = []
)
    -> Instrument
{
    var instrument = try! catalogue.instrument("srs")
    instrument.id = "num"
    instrument.abbreviation = "NUM"
    instrument.role = .outcome
    instrument.items = [
        Item(
            id: "score", label: LocalizedText(verbatim: "Score"), text: LocalizedText(verbatim: "Score?"),
            kind: .number(NumberRange(min: 0, max: 100, integer: false)))
    ]
    instrument.scoring = Scoring(method: .sum, range: 0...100, direction: direction, decimals: 2)
    instrument.interpretation = Interpretation(
        cutoffs: [Cutoff(rule: .fixed(cutoff))],
        reliableChange: ReliableChange(method: .reliability(r: r, sd: sd)))
    instrument.flags = flags
    return instrument
}
