import Foundation
import Testing

@testable import Commands

// A flag whose reason has passed: "not on track" raised at the 3rd ORS, then three meetings later
// the ORS has improved reliably (14 → 20). Every view says the flag is cleared, the team review
// counts it apart, and one decision closes it; nothing closes by itself.

private let meetings: [(date: String, ors: Double)] = [
    ("2026-01-05", 14), ("2026-01-19", 14.4), ("2026-02-02", 15.2), ("2026-02-16", 16), ("2026-03-02", 17.2),
    ("2026-03-09", 20),
]

private func storyStore() throws -> [String: String] {
    let variables = try storeVariables()
    for meeting in meetings {
        let item = String(meeting.ors / 4)
        for (instrument, answers) in [
            ("ors", [item, item, item, item]), ("srs", ["9.5", "9.5", "9.5", "9.5"]),
        ] {
            let result = run(
                [
                    "ask", instrument, "--case", "K-7", "--date", meeting.date, "--answers",
                    answers.joined(separator: ","),
                ], variables: variables)
            #expect(result.status == .success, "\(result.errors)")
        }
    }
    return variables
}

@Suite struct ClearedFlagTests {
    @Test func aFlagWhoseReasonHasPassedIsShownAsClearedAndClosedByOneDecision() throws {
        let variables = try storyStore()
        let flags = run(["flags", "--case", "K-7"], variables: variables)
        #expect(flags.status == .success)
        #expect(flags.output.contains("No reliable improvement"))
        #expect(flags.output.contains("Cleared by the measurement of 2026-03-09"))
        #expect(flags.output.contains("1 of them is cleared by a later measurement"))

        let json =
            try JSONSerialization.jsonObject(
                with: Data(
                    run(["flags", "--case", "K-7", "--format", "json"], variables: variables).output.utf8))
            as! [String: Any]
        let notOnTrack = try #require(
            (json["flags"] as? [[String: Any]])?.first { $0["rule"] as? String == "notOnTrack" })
        #expect(notOnTrack["clearedOn"] as? String == "2026-03-09")
        #expect(notOnTrack["stillHolds"] as? Bool == false)
        #expect(notOnTrack["open"] as? Bool == true)

        // The summary under the chart, its lines joined again.
        let chart = run(["chart", "--case", "K-7"], variables: variables).output
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(chart.contains("change +6, a reliable improvement"))
        #expect(
            chart.contains(
                "after 3 measurements. The support may not be working as it should (cleared by the measurement of 2026-03-09)."
            ))

        let team = run(["team", "--show-small"], variables: variables)
        #expect(team.output.contains("cleared by a later measurement"))
        let teamJSON =
            try JSONSerialization.jsonObject(
                with: Data(run(["team", "--format", "json"], variables: variables).output.utf8))
            as! [String: Any]
        let counts = try #require(teamJSON["openFlagCounts"] as? [String: Any])
        #expect(counts["cleared"] as? Double == 1)

        let decided = run(
            [
                "decide", "--case", "K-7", "--cleared", "--outcome", "continue", "--note",
                "Going well; keep on",
            ],
            variables: variables)
        #expect(decided.status == .success, "\(decided.errors)")
        #expect(decided.output.contains("Decision saved: E1"))
        let after = run(["flags", "--case", "K-7", "--format", "json"], variables: variables).output
        #expect(!after.contains("notOnTrack"))
        let afterTeam =
            try JSONSerialization.jsonObject(
                with: Data(run(["team", "--format", "json"], variables: variables).output.utf8))
            as! [String: Any]
        #expect((afterTeam["openFlagCounts"] as? [String: Any])?["cleared"] as? Double == 0)

        // Nothing left to clear is bad data, not a wrong command line.
        let again = run(
            ["decide", "--case", "K-7", "--cleared", "--outcome", "continue"], variables: variables)
        #expect(again.status == .dataError)
        #expect(again.errors.contains("no open flag that a later measurement cleared"))
    }

    @Test func decideTakesOneFlagOrTheClearedOnesAndNamesAnUnknownFlagAsBadData() throws {
        let variables = try storyStore()
        let unknown = run(
            ["decide", "--case", "K-7", "--flag", "F0000", "--outcome", "end"], variables: variables)
        #expect(unknown.status == .dataError)
        #expect(unknown.errors.contains("has no flag F0000"))
        let both = run(
            ["decide", "--case", "K-7", "--flag", "F0000", "--cleared", "--outcome", "end"],
            variables: variables)
        #expect(both.status == .usage)
        let neither = run(["decide", "--case", "K-7", "--outcome", "end"], variables: variables)
        #expect(neither.status == .usage)
        #expect(neither.errors.contains("Give either --flag FLAG-ID or --cleared."))
    }
}
