import Foundation
import InstrumentModel
import Progression
import Simulation
import Storage
import Support
import TestSupport
import Testing

// `SettledFlags.decisions` looks at each case's own records, case by case, and makes a case's
// history again only when it changed; these tests hold it to the algorithm it replaced, which
// indexed the whole store up to each step (kept here as the reference), on simulated stores.

/// The decisions as the first implementation made them: at each step the whole store up to the
/// step's day indexed, and every case's flags looked at in the index's order.
private func referenceDecisions(
    for records: [Record], catalogue: InstrumentCatalogue, today: Day, leaveOpen days: Int, step: Int,
    seed: UInt64
) -> [Record] {
    var random = SplitMix64(seed: seed ^ 0x5EED)
    var records = records
    guard let first = records.first else { return [] }
    var decisions: [Record] = []
    var cutoff = Day(first.time) + step
    let end = today + (-days)
    while cutoff <= end {
        let moment = (cutoff + 1).date
        let index = CaseIndex(records: records.filter { $0.time < moment })
        let engine = FlagEngine(catalogue: catalogue, today: cutoff)
        for (number, caseID) in index.caseIDs.enumerated() {
            let history = index.history(number)
            for flag in engine.flags(for: history) where flag.isOpen && flag.latest + 3 <= cutoff {
                let record = SettledFlags.decision(on: flag, in: history, of: caseID, random: &random)
                decisions.append(record)
                records.append(record)
            }
        }
        cutoff = cutoff + step
    }
    return decisions
}

private let today = Day(iso: "2026-12-07")!

/// A simulated store without decisions, read with and without answers.
private func simulated(cases: Int, seed: UInt64, months: Int) throws -> (full: [Record], scores: [Record]) {
    let folder = try TemporaryFolders.folder("settled-flags-\(cases)-\(seed)-\(months)")
    _ = try Simulator.run(
        store: folder,
        settings: SimulationSettings(cases: cases, seed: seed, workers: 3, months: months, today: today.date),
        catalogue: try InstrumentCatalogue.load(organisationDirectory: nil))
    let store = Store(directory: folder, writer: "tester")
    return (try store.read().records, try store.read(answers: false).records)
}

struct SettledFlagsTests {
    @Test(
        arguments: [
            (cases: 12, seed: 1 as UInt64, months: 12, step: 14),
            (cases: 20, seed: 7, months: 24, step: 14),
            (cases: 9, seed: 3, months: 18, step: 7),
            (cases: 25, seed: 42, months: 6, step: 7),
            // Cases whose support a decision ended, and that would have been overdue after it.
            (cases: 40, seed: 5, months: 24, step: 14),
        ])
    func sameDecisionsAsIndexingTheWholeStoreEachStep(cases: Int, seed: UInt64, months: Int, step: Int)
        throws
    {
        let store = try simulated(cases: cases, seed: seed, months: months)
        let catalogue = try InstrumentCatalogue.load(organisationDirectory: nil)
        let expected = referenceDecisions(
            for: store.full, catalogue: catalogue, today: today, leaveOpen: 21, step: step, seed: seed)
        let made = SettledFlags.decisions(
            for: store.scores, catalogue: catalogue, today: today, leaveOpen: 21, step: step, seed: seed)
        #expect(!expected.isEmpty)
        #expect(made == expected)
        // Some case's flags come up again after decisions on them and are settled at a later step
        // (the decisions made are looked at in the steps after).
        #expect(
            Dictionary(grouping: expected, by: \.caseID).values.contains { Set($0.map(\.time)).count > 1 })
    }

    /// Withdrawals (one naming another case than its target's), corrections (one of another case's
    /// administration, which changes nothing) and a decision already in the store.
    @Test func sameDecisionsWithAmendmentsInTheStore() throws {
        let store = try simulated(cases: 10, seed: 5, months: 12)
        let catalogue = try InstrumentCatalogue.load(organisationDirectory: nil)
        let administrations = store.full.filter {
            if case .administration = $0.body { return true } else { return false }
        }
        let byCase = Dictionary(grouping: administrations, by: \.caseID)
        let ids = byCase.keys.sorted()
        func halved(_ record: Record) -> AdministrationRecord {
            guard case .administration(var content) = record.body else { fatalError() }
            content.answers = [:]
            content.scores = content.scores.mapValues { $0 / 2 }
            return content
        }
        var added: [Record] = []
        func add(_ caseID: String, after target: Record, _ body: RecordBody) {
            added.append(
                Record(
                    id: "a\(added.count)", writer: "w9@office", time: target.time.addingTimeInterval(3600),
                    caseID: caseID, body: body))
        }
        for (number, caseID) in ids.prefix(4).enumerated() {
            let own = byCase[caseID]!
            let other = byCase[ids[number + 4]]!
            add(
                caseID, after: own[own.count / 3],
                .correction(target: own[own.count / 3].id, replacement: halved(own[own.count / 3])))
            add(caseID, after: own[own.count / 2], .withdrawal(target: own[own.count / 2].id, reason: nil))
            add(
                caseID, after: other[other.count / 4],
                .withdrawal(target: other[other.count / 4].id, reason: nil))
            add(
                caseID, after: other[other.count / 5],
                .correction(target: other[other.count / 5].id, replacement: halved(other[other.count / 5])))
            add(
                caseID, after: own[2],
                .decision(DecisionRecord(flag: "F-made-up", outcome: "E1", note: nil, worker: "w9")))
        }
        func amended(_ records: [Record]) -> [Record] {
            (records + added).enumerated().sorted {
                ($0.element.time, $0.offset) < ($1.element.time, $1.offset)
            }
            .map(\.element)
        }
        let expected = referenceDecisions(
            for: amended(store.full), catalogue: catalogue, today: today, leaveOpen: 21, step: 14, seed: 5)
        let made = SettledFlags.decisions(
            for: amended(store.scores), catalogue: catalogue, today: today, leaveOpen: 21, step: 14, seed: 5)
        #expect(made == expected)
        // The amendments change the decisions: they are not ignored by both alike.
        let unamended = referenceDecisions(
            for: store.full, catalogue: catalogue, today: today, leaveOpen: 21, step: 14, seed: 5)
        #expect(expected != unamended)
    }

    /// Settling each case's flags as the simulation makes it writes the journals that simulating
    /// without decisions and then settling from a read of the whole store writes (what `simulate`
    /// did before, and still does into a store that held journals), byte for byte.
    @Test(
        arguments: [
            (cases: 40, seed: 1 as UInt64, months: 24, step: 14, workers: 6),
            (cases: 45, seed: 9, months: 12, step: 7, workers: 4),
            (cases: 24, seed: 23, months: 36, step: 14, workers: 1),
        ])
    func settlingAsTheSimulationGoesWritesWhatSettlingTheWholeStoreWrites(
        cases: Int, seed: UInt64, months: Int, step: Int, workers: Int
    ) throws {
        let catalogue = try InstrumentCatalogue.load(organisationDirectory: nil)
        let settings = SimulationSettings(
            cases: cases, seed: seed, workers: workers, months: months, today: today.date)
        let settling = SettledFlags.Settings(leaveOpen: 21, step: step)
        let asItGoes = try TemporaryFolders.folder("settled-as-it-goes-\(cases)-\(seed)")
        let summary = try Simulator.run(
            store: asItGoes, settings: settings, catalogue: catalogue, settling: settling)
        let afterwards = try TemporaryFolders.folder("settled-afterwards-\(cases)-\(seed)")
        _ = try Simulator.run(store: afterwards, settings: settings, catalogue: catalogue)
        let decisions = SettledFlags.decisions(
            for: try Store(directory: afterwards, writer: "tester").read(answers: false).records,
            catalogue: catalogue, today: today, leaveOpen: 21, step: step, seed: seed)
        for (writer, group) in Dictionary(grouping: decisions, by: \.writer) {
            try Store(directory: afterwards, writer: writer).append(records: group)
        }
        #expect(summary.decisions == decisions.count)
        // Some decisions ended a case's support: those cases were walked again from there.
        #expect(
            decisions.contains {
                if case .decision(let content) = $0.body {
                    return content.outcome == "end"
                } else {
                    return false
                }
            })
        let names = try FileManager.default.contentsOfDirectory(atPath: asItGoes + "/journals").sorted()
        #expect(
            names == (try FileManager.default.contentsOfDirectory(atPath: afterwards + "/journals").sorted()))
        #expect(names.count == min(workers, cases))
        for name in names {
            let written = try Data(contentsOf: URL(fileURLWithPath: asItGoes + "/journals/" + name))
            #expect(
                written == (try Data(contentsOf: URL(fileURLWithPath: afterwards + "/journals/" + name))),
                "\(name)")
        }
    }

    /// Into a store that already holds journals the simulation writes no decisions: the command
    /// settles the flags from a read of the whole store, which knows records the simulation does not.
    @Test func aSimulationIntoAStoreWithJournalsLeavesTheFlagsToSettle() throws {
        let catalogue = try InstrumentCatalogue.load(organisationDirectory: nil)
        let folder = try TemporaryFolders.folder("settled-into-a-used-store")
        try Store(directory: folder, writer: "anna@office").append(
            .goal(
                GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Sove bedre")),
            caseID: "K-00001")
        let summary = try Simulator.run(
            store: folder,
            settings: SimulationSettings(cases: 20, seed: 1, workers: 2, months: 12, today: today.date),
            catalogue: catalogue, settling: SettledFlags.Settings(leaveOpen: 21, step: 14))
        #expect(summary.decisions == nil)
        let records = try Store(directory: folder, writer: "tester").read().records
        #expect(records.count == summary.records + 1)
        #expect(!records.contains { if case .decision = $0.body { return true } else { return false } })
    }

    @Test func noRecordsNoDecisions() throws {
        let catalogue = try InstrumentCatalogue.load(organisationDirectory: nil)
        #expect(
            SettledFlags.decisions(
                for: [], catalogue: catalogue, today: today, leaveOpen: 21, step: 14, seed: 1
            ).isEmpty)
    }
}
