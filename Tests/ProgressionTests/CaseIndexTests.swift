import Foundation
import Storage
import Support
import TestSupport
import Testing

@testable import Progression

private let start = Date(timeIntervalSince1970: 1_773_482_400)

private func administration(
    _ id: String, case caseID: String, _ instrument: String, _ date: String, total: Double,
    after seconds: Double, age: Int? = nil
) -> Record {
    Record(
        id: id, writer: "w", time: start.addingTimeInterval(seconds), caseID: caseID,
        body: .administration(
            AdministrationRecord(
                instrument: instrument, instrumentVersion: "1", worker: "w", respondent: "citizen",
                date: date,
                answers: [:], scores: ["total": total], age: age)))
}

@Test func readingsArrivingOutOfOrderAreOrderedByDayThenTimeThenIDPerCase() {
    let records = [
        administration("k2-b", case: "K2", "ors", "2026-03-08", total: 2, after: 5),
        administration("k1-c", case: "K1", "srs", "2026-03-08", total: 3, after: 4),
        administration("k1-b", case: "K1", "ors", "2026-03-08", total: 2, after: 3),
        administration("k2-a", case: "K2", "srs", "2026-03-01", total: 1, after: 2),
        administration("k1-z", case: "K1", "ors", "2026-03-01", total: 1, after: 1),
        administration("k1-a", case: "K1", "srs", "2026-03-01", total: 1, after: 1),
    ]
    let index = CaseIndex(records: records)
    #expect(index.caseIDs == ["K1", "K2"])
    let k1 = index.history(of: "K1")!
    #expect(k1.readings.map(\.id) == ["k1-a", "k1-z", "k1-b", "k1-c"])
    #expect(k1.instruments == ["srs", "ors"])
    #expect(k1.series("ors").map(\.id) == ["k1-z", "k1-b"])
    #expect(k1.series("srs").map(\.id) == ["k1-a", "k1-c"])
    #expect(k1.series("gbo").isEmpty)
    #expect(k1.lastDay == day("2026-03-08"))
    #expect(index.history(of: "K2")!.readings.map(\.id) == ["k2-a", "k2-b"])
    // The same readings given to a history directly come out in the same order.
    let direct = CaseHistory(caseID: "K1", readings: k1.readings.reversed())
    #expect(direct == k1)
}

@Test func aCorrectionToAnotherDayMovesTheReadingInItsSeries() {
    let records = [
        administration("a", case: "K", "ors", "2026-03-01", total: 10, after: 0),
        administration("b", case: "K", "ors", "2026-03-08", total: 12, after: 1),
        Record(
            id: "c", writer: "w", time: start.addingTimeInterval(2), caseID: "K",
            body: .correction(
                target: "a",
                replacement: AdministrationRecord(
                    instrument: "ors", instrumentVersion: "1", worker: "w", respondent: "citizen",
                    date: "2026-03-15", answers: [:], scores: ["total": 11]))),
    ]
    let history = CaseIndex(records: records).history(of: "K")!
    #expect(history.series("ors").map(\.id) == ["b", "a"])
    #expect(history.series("ors").map(\.total) == [12, 11])
    #expect(history.series("ors")[1].recorded == start)
}

/// Thirty cases of ORS and SRS with corrections (one naming another case's administration, to be
/// ignored), withdrawals, a changed instrument, goals, decisions and an erasure.
private func mixedRecords() -> [Record] {
    var records: [Record] = []
    var second = 0.0
    for number in 0..<30 {
        let caseID = "K-\(number)"
        for meeting in 0..<(3 + number % 5) {
            let date = "2026-0\(1 + meeting % 9)-\(10 + number % 15)"
            second += 60
            records.append(
                administration(
                    "o\(number)-\(meeting)", case: caseID, "ors", date,
                    total: Double((number * 7 + meeting * 5) % 40), after: second))
            second += 60
            if meeting % 4 != 3 {
                records.append(
                    administration(
                        "s\(number)-\(meeting)", case: caseID, "srs", date,
                        total: Double(30 + (number + meeting) % 10), after: second))
            }
        }
    }
    func later(_ id: String, _ caseID: String, _ body: RecordBody) -> Record {
        second += 60
        return Record(id: id, writer: "w", time: start.addingTimeInterval(second), caseID: caseID, body: body)
    }
    records.append(
        later(
            "c1", "K-3",
            .correction(
                target: "o3-1",
                replacement: AdministrationRecord(
                    instrument: "srs", instrumentVersion: "1", worker: "w", respondent: "citizen",
                    date: "2026-05-01", answers: [:], scores: ["total": 33]))))
    records.append(later("w1", "K-4", .withdrawal(target: "o4-0", reason: nil)))
    // A correction of K-7's administration written in K-8: it changes nothing.
    records.append(
        later(
            "c2", "K-8",
            .correction(
                target: "o7-0",
                replacement: AdministrationRecord(
                    instrument: "ors", instrumentVersion: "1", worker: "w", respondent: "citizen",
                    date: "2026-09-01", answers: [:], scores: ["total": 1]))))
    // Two corrections of one administration: the later stands.
    for (id, total) in [("c3", 2.0), ("c4", 3.0)] {
        records.append(
            later(
                id, "K-9",
                .correction(
                    target: "s9-1",
                    replacement: AdministrationRecord(
                        instrument: "srs", instrumentVersion: "1", worker: "w", respondent: "citizen",
                        date: "2026-02-19", answers: [:], scores: ["total": total]))))
    }
    records.append(
        later("g3", "K-5", .goal(GoalRecord(instrument: "gbo", goal: "g2", action: .set, text: "Spise"))))
    records.append(
        later(
            "g4", "K-5", .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .reword, text: "Sove godt")))
    )
    records.append(
        later("g5", "K-5", .goal(GoalRecord(instrument: "gbo", goal: "g2", action: .retire, text: nil))))
    records.append(later("e1", "K-10", .erasure))
    records.append(
        later("g1", "K-5", .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Sove"))))
    records.append(
        later("g2", "K-99", .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå"))))
    records.append(
        later("d1", "K-6", .decision(DecisionRecord(flag: "Fx", outcome: "continue", note: nil, worker: "w")))
    )
    // Decisions on flags of the engine's form (held as numbers), one with an outcome there is not
    // (left out), one of a case with nothing else.
    records.append(
        later(
            "d2", "K-6",
            .decision(DecisionRecord(flag: "F0123456789abcdef", outcome: "end", note: "Slut", worker: nil))))
    records.append(
        later(
            "d3", "K-6",
            .decision(DecisionRecord(flag: "F00000000000000ff", outcome: "sideways", note: nil, worker: "w")))
    )
    records.append(
        later(
            "d4", "K-98",
            .decision(DecisionRecord(flag: "F00000000000000aa", outcome: "adjust", note: nil, worker: "w"))))
    return records
}

/// `mixedRecords` written to a store in two journals, one record of each also in the other (a
/// synced copy), and a synced copy of a whole journal.
private func mixedStore() throws -> Store {
    let directory = TemporaryFolders.path("caseindex")
    let records = mixedRecords()
    let anna = Store(directory: directory, writer: "anna@host")
    let bo = Store(directory: directory, writer: "bo@other")
    try anna.append(records: records.enumerated().filter { $0.offset % 3 != 0 }.map(\.element))
    try bo.append(records: records.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
    try bo.append(records: [records[1], records[4]])
    // Administrations with the store's own (hexadecimal) ids, each in both journals.
    let hex = (0..<6).map { number in
        administration(
            String(format: "%032x", number * 7919 + 1), case: "K-20", "ors", "2026-10-0\(number + 1)",
            total: Double(number), after: 1_000_000 + Double(number), age: number % 2 == 0 ? 40 + number : nil
        )
    }
    try anna.append(records: hex)
    try bo.append(records: hex.reversed())
    try FileManager.default.copyItem(
        atPath: directory + "/journals/anna@host.jsonl",
        toPath: directory + "/journals/anna@host (synced copy).jsonl")
    return anna
}

/// What an index says of every case: its histories and each instrument's totals.
private func contents(_ index: CaseIndex) -> [String] {
    index.caseIDs.indices.map { number in
        let history = index.history(number)
        let totals = ["ors", "srs", "gbo"].map { "\(index.totals(number, instrument: $0))" }
        return "\(history.caseID) \(history.readings) \(history.goals) \(history.decisions) \(totals)"
    }
}

@Test func theSummaryCacheAndTheFullRecordsMakeTheSameIndex() throws {
    let store = try mixedStore()
    let full = CaseIndex(records: try store.read().records)
    let expected = contents(full)
    // Parsed, cached on the first read, then read from the cache; the whole store and one case.
    for cacheAfter in [Int.max, 0, 0] {
        let fast = CaseIndex(try store.readSummaries(cacheAfter: cacheAfter))
        #expect(fast.caseIDs == full.caseIDs)
        #expect(contents(fast) == expected)
        for caseID in ["K-3", "K-4", "K-7", "K-9", "K-10", "K-99"] {
            let one = CaseIndex(try store.readSummaries(caseID: caseID, cacheAfter: cacheAfter))
            #expect(one.history(of: caseID) == full.history(of: caseID))
        }
    }
    // The rules, seen through the index: each holds in the store above.
    #expect(full.history(of: "K-10") == nil)
    #expect(full.caseIDs.contains("K-99"))
    let k3 = full.number(of: "K-3")!
    #expect(full.totals(k3, instrument: "srs").contains(33))
    #expect(!full.history(k3).readings.contains { $0.id == "o3-1" && $0.instrument == "ors" })
    #expect(!full.history(of: "K-4")!.readings.contains { $0.id == "o4-0" })
    #expect(full.history(of: "K-7")!.readings.first { $0.id == "o7-0" }?.total == 9)
    #expect(full.history(of: "K-9")!.readings.first { $0.id == "s9-1" }?.total == 3)
    let goals = full.history(of: "K-5")!.goals
    // g2 is set before g1; g1's rewording came before g1 was set, so it is ignored.
    #expect(goals.map(\.text) == ["Spise", "Sove"])
    #expect(goals.map { $0.retired != nil } == [true, false])
    #expect(full.history(of: "K-6")!.decisions.map(\.flag) == ["Fx", "F0123456789abcdef"])
    #expect(full.history(of: "K-6")!.decisions.map(\.note) == [nil, "Slut"])
    #expect(full.history(of: "K-98")!.decisions.map(\.outcome) == [.adjust])
    #expect(full.history(of: "K-20")!.readings.filter { $0.id.count == 32 }.count == 6)
}

@Test func aTeamReportFromTheSummaryCacheIsTheReportFromTheFullRecords() throws {
    let store = try mixedStore()
    let full = CaseIndex(records: try store.read().records)
    _ = try store.readSummaries(cacheAfter: 0)
    let fast = CaseIndex(try store.readSummaries(cacheAfter: 0))
    let today = day("2026-12-01")
    let engine = FlagEngine(catalogue: catalogue, today: today)
    for settings in [
        TeamReport.Settings(), TeamReport.Settings(since: day("2026-03-01"), until: day("2026-07-01")),
        TeamReport.Settings(worker: "w"), TeamReport.Settings(worker: "nobody"),
    ] {
        let slow = TeamReport(
            index: full, catalogue: catalogue, engine: engine, settings: settings, today: today)
        let quick = TeamReport(
            index: fast, catalogue: catalogue, engine: engine, settings: settings, today: today)
        #expect(quick.caseload == slow.caseload)
        #expect(quick.openFlags == slow.openFlags)
        #expect(quick.fidelity == slow.fidelity)
        #expect(quick.fidelityByWorker == slow.fidelityByWorker)
        #expect(quick.outcomes == slow.outcomes)
        #expect(quick.goals == slow.goals)
        #expect(quick.trend == slow.trend)
    }
}

@Test func everyCaseIsVisitedOnceInOrderOfCase() {
    let index = CaseIndex(records: mixedRecords())
    #expect(index.map { index.caseIDs[$0] } == index.caseIDs)
    #expect(index.histories.map(\.caseID) == index.caseIDs)
    #expect(index.number(of: "K-0") == 0)
    #expect(index.number(of: "K-00") == nil)
}

@Test func aHistoryWithoutDecisionsIsTheHistoryLessItsDecisions() {
    let index = CaseIndex(records: mixedRecords())
    let table = index.tableForTask()
    var decided = 0
    for number in index.caseIDs.indices {
        var full = index.history(number, table: table)
        let bare = index.history(number, table: table, withDecisions: false)
        #expect(bare.decisions.isEmpty)
        decided += full.decisions.isEmpty ? 0 : 1
        full.decisions = []
        #expect(bare == full)
    }
    // The store's decisions are on some cases, so leaving them out is seen.
    #expect(decided > 0)
}

@Test func flagIDsOfTheEnginesFormOrderAsTheirNumbers() {
    var generator = SystemRandomNumberGenerator()
    let ids = (0..<200).map { _ -> String in
        let hex = String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 16)
        return "F" + String(repeating: "0", count: 16 - hex.count) + hex
    }
    let byNumber = ids.sorted { TeamReport.idNumber($0)! < TeamReport.idNumber($1)! }
    #expect(byNumber == ids.sorted())
    #expect(TeamReport.idNumber("F12") == nil)
    #expect(TeamReport.idNumber("G" + String(repeating: "a", count: 16)) == nil)
    #expect(TeamReport.idNumber("F" + String(repeating: "A", count: 16)) == nil)
}

@Test func anIndexOrdersReadingsHoweverFarOutOfOrderTheyArrive() {
    var records: [Record] = []
    // "near": each meeting's last form written with an earlier time than the one before it.
    for meeting in 0..<30 {
        let date =
            "2026-\(String(format: "%02d", 1 + meeting / 28))-\(String(format: "%02d", 1 + meeting % 28))"
        let base = Double(meeting * 1000)
        records.append(administration("n\(meeting)-a", case: "near", "ors", date, total: 1, after: base + 10))
        records.append(administration("n\(meeting)-b", case: "near", "srs", date, total: 2, after: base + 30))
        records.append(administration("n\(meeting)-c", case: "near", "ors", date, total: 3, after: base + 20))
    }
    // "far": a whole course written newest first, between the others.
    for meeting in (0..<40).reversed() {
        let date =
            "2025-\(String(format: "%02d", 1 + meeting / 28))-\(String(format: "%02d", 1 + meeting % 28))"
        records.insert(
            administration(
                "f\(meeting)", case: "far", "ors", date, total: Double(meeting), after: Double(meeting)),
            at: min(records.count, meeting * 2))
    }
    // "ties": the same day and time, told apart by id.
    for id in ["t5", "t1", "t9", "t3", "t7", "t2", "t8", "t4", "t6", "t0", "t11", "t10"] {
        records.append(administration(id, case: "ties", "srs", "2026-01-01", total: 5, after: 7))
    }
    let source = CaseIndex(records: records)
    #expect(source.caseIDs == ["far", "near", "ties"])
    for (number, caseID) in source.caseIDs.enumerated() {
        // Worked out here: by meeting date (ISO text sorts as dates do), time written, then id.
        let expected = records.filter { $0.caseID == caseID }.sorted { a, b in
            guard case .administration(let left) = a.body, case .administration(let right) = b.body else {
                return false
            }
            return (left.date, a.time, a.id) < (right.date, b.time, b.id)
        }
        #expect(source.history(number).readings.map(\.id) == expected.map(\.id))
    }
}

@Test func aCaseWithOnlyARewordingIsKnownWithoutGoals() {
    let records = [
        Record(
            id: "r1", writer: "w", time: start, caseID: "K-R",
            body: .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .reword, text: "Sove bedre"))),
        Record(
            id: "r2", writer: "w", time: start.addingTimeInterval(1), caseID: "K-S",
            body: .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå ture"))),
        Record(
            id: "r3", writer: "w", time: start.addingTimeInterval(2), caseID: "K-S",
            body: .goal(GoalRecord(instrument: "gbo", goal: "g1", action: .set, text: "Gå lange ture"))),
    ]
    let source = CaseIndex(records: records)
    #expect(source.caseIDs == ["K-R", "K-S"])
    #expect(source.history(0).goals.isEmpty)
    // A goal set again under its id replaces the first setting in its place.
    #expect(source.history(1).goals.map(\.text) == ["Gå lange ture"])
}

@Test func aHistoryWithRecordsAddedIsTheHistoryOfAllOfThem() {
    let records = mixedRecords().filter { $0.caseID == "K-5" || $0.caseID == "K-6" }
    // Every split: corrections and withdrawals of earlier readings among the later records too.
    for split in 1..<records.count {
        for caseID in ["K-5", "K-6"] {
            let earlier = CaseIndex(records: Array(records[..<split])).history(of: caseID)
            let later = Array(records[split...])
            let added = earlier?.adding(later) ?? CaseIndex(records: later).history(of: caseID)
            #expect(added == CaseIndex(records: records).history(of: caseID))
        }
    }
}

@Test func addingACorrectionOrAWithdrawalOfAnEarlierReadingIsWhatTheIndexMakesOfThem() {
    func record(_ id: String, after seconds: Double, _ body: RecordBody) -> Record {
        Record(id: id, writer: "w", time: start.addingTimeInterval(seconds), caseID: "K", body: body)
    }
    let earlier = [
        administration("a", case: "K", "ors", "2026-03-01", total: 10, after: 0),
        administration("b", case: "K", "ors", "2026-03-08", total: 12, after: 1),
        administration("x", case: "X", "ors", "2026-03-08", total: 30, after: 1),
    ]
    let replacement = AdministrationRecord(
        instrument: "ors", instrumentVersion: "1", worker: "w", respondent: "citizen", date: "2026-03-02",
        answers: [:], scores: ["total": 14])
    let later = [
        record("c", after: 2, .correction(target: "a", replacement: replacement)),
        record("d", after: 3, .withdrawal(target: "b", reason: "wrong case")),
        // A correction naming another case's administration changes nothing.
        record("e", after: 4, .correction(target: "x", replacement: replacement)),
        administration("f", case: "K", "ors", "2026-03-15", total: 20, after: 5),
    ]
    let added = CaseIndex(records: earlier).history(of: "K")!.adding(later)
    let whole = CaseIndex(records: earlier + later).history(of: "K")
    #expect(added == whole)
    #expect(added.series("ors").map(\.total) == [14, 20])
    #expect(added.series("ors").map(\.id) == ["a", "f"])
}

@Test func manyDecisionsAreEachCasesInTheStoresOrder() {
    // Many decisions, over cases of every size, interleaved in time;
    // a case with only decisions and cases with none among them.
    let outcomes = ["continue", "adjust", "end", "reassess"]
    var records: [Record] = []
    var expected: [String: [(flag: String, outcome: String)]] = [:]
    for number in 0..<20_000 {
        let caseID = "K-\((number * number) % 997)"
        let flag = number % 3 == 0 ? "F\(String(number, radix: 16).leftPadded(16))" : "flag-\(number)"
        let outcome = outcomes[number % 4]
        records.append(
            Record(
                id: "d\(number)", writer: "w", time: start.addingTimeInterval(Double(number)), caseID: caseID,
                body: .decision(DecisionRecord(flag: flag, outcome: outcome, note: nil, worker: "w"))))
        expected[caseID, default: []].append((flag, outcome))
    }
    records.append(administration("a", case: "K-none", "ors", "2026-03-01", total: 10, after: 0))
    let index = CaseIndex(records: records)
    #expect(index.caseIDs.count == expected.count + 1)
    for (caseID, decisions) in expected {
        let found = index.history(of: caseID)!.decisions
        #expect(found.map(\.flag) == decisions.map(\.flag))
        #expect(found.map(\.outcome.rawValue) == decisions.map(\.outcome))
    }
    #expect(index.history(of: "K-none")!.decisions.isEmpty)
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

@Test func aTeamReportFoundABlockOfCasesAtATimeIsTheSameReport() throws {
    let index = CaseIndex(records: try mixedStore().read().records)
    let today = day("2026-12-01")
    let engine = FlagEngine(catalogue: catalogue, today: today)
    for settings in [TeamReport.Settings(), TeamReport.Settings(since: day("2026-03-01"))] {
        let whole = TeamReport(
            index: index, catalogue: catalogue, engine: engine, settings: settings, today: today)
        #expect(index.caseIDs.count > 3 && whole.openFlags.count > 1)
        for blockSize in [1, 2, 3, index.caseIDs.count - 1] {
            let blocks = TeamReport(
                index: index, catalogue: catalogue, engine: engine, settings: settings, today: today,
                blockSize: blockSize)
            #expect(blocks.caseload == whole.caseload)
            #expect(blocks.openFlags == whole.openFlags)
            #expect(blocks.fidelity == whole.fidelity)
            #expect(blocks.fidelityByWorker == whole.fidelityByWorker)
            #expect(blocks.outcomes == whole.outcomes)
            #expect(blocks.goals == whole.goals)
            #expect(blocks.trend == whole.trend)
        }
    }
}

@Test func everyDecisionComesBackFromTheIndexAsItWasRecorded() {
    // Each outcome, with and without a note and a worker, on flags Pejling numbered and others.
    var records: [Record] = []
    var expected: [(flag: String, outcome: FollowUpOutcome, note: String?, worker: String?, time: Date)] = []
    for (number, outcome) in FollowUpOutcome.allCases.enumerated() {
        for variant in 0..<8 {
            let flag =
                variant & 1 == 0 ? FlagNumber(UInt64(number * 8 + variant) << 40 | 7).text : "F-\(variant)"
            let note = variant & 2 == 0 ? nil : "note \(variant)"
            let worker = variant & 4 == 0 ? nil : "w\(number)"
            let time = Date(timeIntervalSinceReferenceDate: 800_000_000.125 + Double(records.count) * 61.5)
            records.append(
                Record(
                    id: "d-\(number)-\(variant)", writer: "anna@host", time: time, caseID: "K-\(variant % 3)",
                    body: .decision(
                        DecisionRecord(flag: flag, outcome: outcome.rawValue, note: note, worker: worker))))
            expected.append((flag, outcome, note, worker, time))
        }
    }
    let index = CaseIndex(records: records)
    for caseID in ["K-0", "K-1", "K-2"] {
        let decisions = index.history(of: caseID)!.decisions
        let wanted = expected.enumerated().filter { records[$0.offset].caseID == caseID }.map(\.element)
        #expect(decisions.map(\.flag) == wanted.map(\.flag))
        #expect(decisions.map(\.outcome) == wanted.map(\.outcome))
        #expect(decisions.map(\.note) == wanted.map(\.note))
        #expect(decisions.map(\.worker) == wanted.map(\.worker))
        #expect(decisions.map(\.recorded) == wanted.map(\.time))
    }
}

@Test func anIndexOfOtherRecordsPreparedWhileTheStoreIsReadIsTheSameIndex() throws {
    let store = try mixedStore()
    let full = CaseIndex(records: try store.read().records)
    // Parsed, cached on the first read, then read from the cache; the other records handed over
    // before the table is taken in, and after.
    for (cacheAfter, parsedLimit) in [(Int.max, Int.max), (0, 0), (0, Int.max), (0, 0)] {
        let read = try store.readSummaries(
            cacheAfter: cacheAfter, preparingAfterParsing: parsedLimit, preparingOthers: CaseIndex.Others.init
        )
        #expect(read.snapshot.otherRecords.count == 0)
        let prepared = CaseIndex(read.snapshot, others: read.prepared)
        #expect(prepared.caseIDs == full.caseIDs)
        #expect(contents(prepared) == contents(full))
        #expect(prepared.histories == full.histories)
    }
}

/// Records written in time order, each case's out of meeting order: "late" its later meetings
/// first, "even" alternating with it and in order throughout, and (with `back`) "back" one meeting
/// a little late after every few.
private func casesWrittenOutOfOrder(back: Bool) -> [Record] {
    func date(_ meeting: Int) -> String { "2026-02-\(String(format: "%02d", 1 + meeting))" }
    var records: [Record] = []
    for meeting in Array(10..<20) + Array(0..<10) {
        records.append(
            administration(
                "l\(meeting)", case: "late", "ors", date(meeting), total: 1, after: Double(records.count)))
        records.append(
            administration(
                "e\(records.count)", case: "even", "srs", date(records.count / 2), total: 2,
                after: Double(records.count)))
        guard back else { continue }
        let late = meeting % 3 == 0 ? meeting - 1 : meeting
        records.append(
            administration(
                "b\(meeting)", case: "back", "ors", date(max(0, late)), total: 3, after: Double(records.count)
            ))
    }
    return records
}

/// Expects each case's readings in `index` to be its records in reading order (date, time, id).
private func expectReadingOrder(_ index: CaseIndex, of records: [Record]) {
    for (number, caseID) in index.caseIDs.enumerated() {
        let expected = records.filter { $0.caseID == caseID }.sorted { a, b in
            guard case .administration(let left) = a.body, case .administration(let right) = b.body else {
                return false
            }
            return (left.date, a.time, a.id) < (right.date, b.time, b.id)
        }
        #expect(index.history(number).readings.map(\.id) == expected.map(\.id), "\(caseID)")
    }
}

@Test func readingsInRunsEachInOrderAreOrderedAcrossTheRuns() {
    // Ordered as a whole only when the runs ("late"'s two halves) are put in order against each
    // other, too.
    let records = casesWrittenOutOfOrder(back: false)
    expectReadingOrder(CaseIndex(records: records), of: records)
}

@Test func readingsPutInPlaceInStretchesOfRowsAreInTheOrderOfTheWholeIndex() {
    // Cases whose rows run out of order within a stretch and across stretches, "ties" one day and
    // time told apart by id, and "even" in order throughout, spread over every stretch.
    var records = casesWrittenOutOfOrder(back: true)
    for id in ["t5", "t1", "t9", "t3", "t7", "t2", "t8", "t4", "t6", "t0"] {
        records.append(administration(id, case: "ties", "srs", "2026-01-01", total: 5, after: 7))
    }
    let whole = CaseIndex(records: records)
    expectReadingOrder(whole, of: records)
    for rowsPerPiece in [1, 2, 3, 5, 8, 13, records.count - 1, records.count] {
        let pieces = CaseIndex(records: records, rowsPerPiece: rowsPerPiece)
        #expect(pieces.caseIDs == whole.caseIDs)
        #expect(pieces.histories == whole.histories, "\(rowsPerPiece) rows per piece")
    }
}

/// Expects what a history's entries, series and per-reading accessors say to be what its readings
/// say, and `keeping` to be the history of the readings kept.
private func expectEntriesAreTheReadings(_ history: CaseHistory) {
    let readings = history.readings
    let entries = history.entries
    #expect(entries.count == readings.count, "\(history.caseID)")
    for (entry, reading) in zip(entries, readings) {
        #expect(entry.day == reading.day && entry.recorded == reading.recorded, "\(reading.id)")
        #expect(entry.total == reading.total && entry.age == reading.age, "\(reading.id)")
    }
    let decisions = history.decisions
    #expect(history.decisionEntries.count == decisions.count)
    for (position, entry) in history.decisionEntries.enumerated() {
        #expect(
            entry.flagNumber == decisions[position].flagNumber && entry.outcome == decisions[position].outcome
        )
        #expect(
            entry.recorded == decisions[position].recorded
                && history.decision(position) == decisions[position])
    }
    #expect(history.lastDay == readings.last?.day)
    #expect(history.lastReading == readings.last)
    #expect(history.lastWorker == readings.last { $0.worker != nil }?.worker)
    for instrument in history.instruments {
        let series = history.series(instrument)
        let expected = readings.filter { $0.instrument == instrument }
        #expect(Array(series) == expected, "\(history.caseID) \(instrument)")
        #expect(series.totals == expected.map(\.total))
        for index in series.indices {
            let entry = series.entry(index)
            #expect(entry.day == expected[index].day && entry.recorded == expected[index].recorded)
            #expect(entry.total == expected[index].total && entry.age == expected[index].age)
            #expect(series.identifier(index) == expected[index].identifier)
        }
        for goal in history.goals {
            let rated = series.ratings(of: goal.id)
            let parts = expected.indices.compactMap { index in
                expected[index].part(goal.id).map { (index, $0) }
            }
            #expect(rated.map(\.index) == parts.map(\.0) && rated.map(\.value) == parts.map(\.1))
        }
    }
    // Every other reading kept: the history of those readings, made from them.
    let kept = history.keeping { entry in entries.firstIndex { $0.recorded == entry.recorded }! % 2 == 0 }
    let keptReadings = readings.indices.filter { $0 % 2 == 0 }.map { readings[$0] }
    let made = CaseHistory(
        caseID: history.caseID, readings: keptReadings, decisions: history.decisions, goals: history.goals)
    #expect(kept == made)
    #expect(kept.instruments == made.instruments)
    for instrument in made.instruments {
        #expect(Array(kept.series(instrument)) == Array(made.series(instrument)))
    }
}

@Test func aHistorysEntriesSayWhatItsReadingsSayHoweverTheIndexWasRead() throws {
    let store = try mixedStore()
    let full = CaseIndex(records: try store.read().records)
    _ = try store.readSummaries(cacheAfter: 0)
    let fast = CaseIndex(try store.readSummaries(cacheAfter: 0))
    for index in [full, fast] {
        for number in index.caseIDs.indices { expectEntriesAreTheReadings(index.history(number)) }
    }
    // Readings of their own, with ages, parts and ids that are not the store's, out of order.
    let goals = [GoalHistory(id: "g1", instrument: "gbo", wordings: [("Sove", start)], retired: nil)]
    var own: [Reading] = []
    for number in 0..<7 {
        let id = number == 3 ? "own-\(number)" : String(format: "%032x", number * 31 + 5)
        let instrument = number % 3 == 0 ? "srs" : "gbo"
        let parts: [String: Double] = number % 3 == 0 ? [:] : ["g1": Double(number)]
        let total: Double? = number == 2 ? nil : Double(number)
        let age: Int? = number == 5 ? nil : 30 + number
        own.append(
            Reading(
                id: id, caseID: "K-1", instrument: instrument, day: Day(number: 20_000 + number % 4),
                recorded: start.addingTimeInterval(Double(7 - number)), total: total, parts: parts, age: age,
                worker: number == 6 ? nil : "w\(number)"))
    }
    // Decisions out of the order recorded, one on a flag whose id is not a number.
    let decisions = [("F00000000000000ab", 5.0), ("other", 2.0), ("F0000000000000001", 9.0)].map {
        flag, after in
        Decision(
            flag: flag, outcome: .adjust, note: "n", worker: nil, recorded: start.addingTimeInterval(after))
    }
    let made = CaseHistory(caseID: "K-1", readings: own, decisions: decisions, goals: goals)
    #expect(made.decisions.map(\.flag) == ["other", "F00000000000000ab", "F0000000000000001"])
    expectEntriesAreTheReadings(made)
}

@Test(arguments: [0, 1, 2, 7, 1000])
func rowsPlacedInTurnAreWhereTheirPlacesSay(count: Int) {
    // Each row stands for its own place, so a row left anywhere else shows.
    var places = (0..<count).map { Int32($0) }
    var generator = SystemRandomNumberGenerator()
    places.shuffle(using: &generator)
    var rows = places.map { "row \($0)" }
    CaseIndex.placeInTurn(&rows, at: places)
    #expect(rows == (0..<count).map { "row \($0)" })
}
