import Foundation
import Support
import Testing

@testable import Storage

/// Summaries of two cases, most alike but for their times, totals and meeting dates, and some
/// with a field, part, text id or meeting date (one beyond 32 bits, one before 1970) of their own.
private func summaries() -> [AdministrationSummary] {
    (0..<200).map { index in
        var fields = SummaryFields()
        fields.set(.instrument, text: index % 50 == 7 ? "srs" : "ors")
        fields.set(.respondent, text: "citizen")
        fields.set(.worker, text: index % 40 == 3 ? nil : "w01")
        fields.set(.age, integer: index % 60 == 11 ? -4 : 32)
        fields.set(.comment, text: index % 70 == 5 ? "comment \(index)" : nil)
        let day: Int? =
            switch index % 90 {
            case 13: nil
            case 17: (1 << 40) + index
            case 19: -1_000 - index
            default: 20_000 + index / 4
            }
        fields.set(.date, integer: day)
        let bits = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        return AdministrationSummary(
            id: index % 45 == 9 ? "text-\(index)" : HexID(high: bits, low: ~bits).text,
            caseID: "K-\(index % 2)", time: Date(timeIntervalSince1970: 1.7e9 + Double(index) * 61.25),
            total: index % 30 == 1 ? nil : Double(index) / 3,
            parts: index % 25 == 2 ? ["a": Double(index), "b": -0.5] : [:], fields: fields)
    }
}

private func same(_ left: AdministrationSummary, _ right: AdministrationSummary) -> Bool {
    left.id == right.id && left.caseID == right.caseID && left.time == right.time
        && left.total == right.total && left.parts == right.parts && left.fields == right.fields
}

@Test func aTableGivesBackEveryAdministrationItHolds() {
    let all = summaries()
    let table = SummaryTable(all)
    #expect(table.count == all.count)
    for index in all.indices {
        #expect(same(table[index], all[index]), "administration \(index)")
    }
    let rows = SummaryRows(table)
    for index in all.indices {
        #expect(
            rows.day(index) == all[index].day
                ?? Int((all[index].time.timeIntervalSince1970 / 86_400).rounded(.down)))
        #expect(rows.fields(index) == all[index].fields)
        #expect(rows.total(index) == all[index].total)
        #expect(rows.idText(index) == all[index].id)
        let facts = rows.readingFacts(index)
        #expect(facts.day == rows.day(index) && facts.total == all[index].total)
        #expect(facts.time == all[index].time.timeIntervalSince1970)
        #expect(facts.age == all[index].age && rows.integer(.age, index) == all[index].age)
        #expect(facts.instrument.map { rows.strings[$0] } == all[index].instrument)
        #expect(rows.strings[rows.instrumentNumber(index)] == all[index].instrument)
        #expect(rows.text(.worker, index) == all[index].worker)
        #expect(rows.text(.comment, index) == all[index].comment)
        #expect(rows.integer(.date, index) == all[index].day)
        #expect(
            facts.id.text ?? HexID(high: facts.id.bits!.high, low: facts.id.bits!.low).text == all[index].id)
        #expect(rows.parts(index) == all[index].parts)
    }
}

@Test func administrationsAlikeButForTheirTimesTotalsAndDatesShareOneShape() {
    let all = summaries()
    let table = SummaryTable(all)
    // The ones with something of their own: a different instrument, no worker, another age, a
    // comment, no date or a date beyond 32 bits or before 1970, a text id, no total, parts.
    let own = all.indices.filter { index in
        index % 50 == 7 || index % 40 == 3 || index % 60 == 11 || index % 70 == 5
            || [13, 17, 19].contains(index % 90) || index % 45 == 9 || index % 30 == 1 || index % 25 == 2
    }
    #expect(table.shapes.count <= own.count + 1)
    #expect(table.shapes.count > 1)
    #expect(MemoryLayout<TableEntry>.stride == 48)
}

@Test func aTableTakenIntoAnotherKeepsItsAdministrations() {
    let all = summaries()
    var table = SummaryTable(Array(all[0..<30]))
    table.append(contentsOf: SummaryTable(Array(all[30...])), where: { $0.time.isFinite })
    for index in all.indices {
        #expect(same(table[index], all[index]), "administration \(index)")
    }
}

@Test func aTableOfManyShapesKeepsEachApart() {
    // Each age its own shape, each met three times: the shapes' table grows many times over.
    let all = (0..<3_000).map { index in
        var fields = SummaryFields()
        fields.set(.instrument, text: "ors")
        fields.set(.respondent, text: "citizen")
        fields.set(.age, integer: index % 1_000)
        return AdministrationSummary(
            id: "id-\(index)", caseID: "K-1", time: Date(timeIntervalSince1970: Double(index)), total: 1,
            parts: [:], fields: fields)
    }
    let table = SummaryTable(all)
    #expect(table.shapes.count == 1_000)
    for index in all.indices { #expect(table[index].age == index % 1_000) }
}
