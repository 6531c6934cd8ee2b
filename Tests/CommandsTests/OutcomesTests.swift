import Foundation
import Testing

@testable import Commands

/// An organisation's instrument with a single number item, reliability .80 and SD 5 (so
/// Sdiff = 3.1623), and a cut-off of 50, higher is better.
let distressCheck = """
    {"schemaVersion": 1, "id": "check", "version": "1", "title": {"da": "Tjek", "en": "Check"},
     "respondents": ["worker"], "role": "outcome",
     "source": {"citation": "Test instrument", "rightsHolder": "Test", "licence": {"da": "Fri", "en": "Free"},
                "wording": {"da": "Egen", "en": "Own"}},
     "items": [{"id": "score", "kind": "number", "label": {"da": "Score", "en": "Score"},
                "text": {"da": "Score?", "en": "Score?"}, "min": 0, "max": 100}],
     "scoring": {"method": "sum", "range": {"min": 0, "max": 100}, "decimals": 2},
     "interpretation": {"cutoffs": [{"value": 50}], "reliableChange": {"reliability": 0.8, "sd": 5}}}
    """

/// Pre, post, RCI and category for 32 cases. The expected values were computed outside Pejling,
/// with Python 3 from the formulas of DOMAIN.md §4 (Jacobson & Truax 1991: Sdiff = sqrt(2·SE²),
/// SE = SD·sqrt(1 − r); reliable when |RCI| > 1.96; clinical below 50, functional above it).
let jacobsonTruaxCases: [(Double, Double, Double, String)] = [
    (40, 60, 6.3246, "recovered"), (40, 50, 3.1623, "improved"), (50, 60, 3.1623, "improved"),
    (52, 62, 3.1623, "improved"), (40, 44, 1.2649, "unchanged"), (60, 40, -6.3246, "deteriorated"),
    (44, 50.19, 1.9574, "unchanged"), (44, 50.2, 1.9606, "recovered"), (50.2, 44, -1.9606, "deteriorated"),
    (50.19, 44, -1.9574, "unchanged"), (30, 45, 4.7434, "improved"), (45, 30, -4.7434, "deteriorated"),
    (49.9, 56.1, 1.9606, "recovered"), (49.99, 50.01, 0.0063, "unchanged"), (20, 80, 18.9737, "recovered"),
    (80, 20, -18.9737, "deteriorated"), (55, 61.2, 1.9606, "improved"), (55, 61.19, 1.9574, "unchanged"),
    (10, 10, 0.0, "unchanged"), (0, 100, 31.6228, "recovered"), (100, 0, -31.6228, "deteriorated"),
    (47.5, 53.8, 1.9922, "recovered"), (33.3, 39.6, 1.9922, "improved"), (61, 54.7, -1.9922, "deteriorated"),
    (61, 54.8, -1.9606, "deteriorated"), (42, 49, 2.2136, "improved"), (42, 56.3, 4.5221, "recovered"),
    (50, 50, 0.0, "unchanged"), (49, 51, 0.6325, "unchanged"), (51, 49, -0.6325, "unchanged"),
    (38.25, 44.5, 1.9764, "improved"), (70.5, 64.25, -1.9764, "deteriorated"),
]

@Test func outcomesMatchJacobsonTruaxComputedByHandFor32Cases() throws {
    let store = try temporaryFolder()
    let instruments = try temporaryFolder()
    try distressCheck.write(toFile: instruments + "/check.json", atomically: true, encoding: .utf8)
    let variables = ["PEJLING_STORE": store, "PEJLING_INSTRUMENTS": instruments]
    for (index, (pre, post, _, _)) in jacobsonTruaxCases.enumerated() {
        let caseID = String(format: "C-%02d", index + 1)
        for (date, value) in [("2026-01-10", pre), ("2026-02-20", post)] {
            let result = run(
                [
                    "ask", "check", "--case", caseID, "--respondent", "worker", "--date", date, "--answers",
                    "\(value)",
                ],
                variables: variables)
            #expect(result.status == .success, "\(result.errors)")
        }
    }
    let csv = run(["outcomes", "--format", "csv"], variables: variables)
    #expect(csv.status == .success)
    let lines = csv.output.split(separator: "\r\n").map(String.init)
    #expect(lines.first == "case,instrument,first_date,last_date,first_score,last_score,change,rci,category")
    #expect(lines.count == jacobsonTruaxCases.count + 1)
    for (index, (pre, post, rci, category)) in jacobsonTruaxCases.enumerated() {
        let fields = lines[index + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(fields[0] == String(format: "C-%02d", index + 1))
        #expect(Double(fields[4]) == pre && Double(fields[5]) == post)
        #expect(
            abs(Double(fields[7])! - rci) < 0.00005, "case \(index + 1): RCI \(fields[7]), expected \(rci)")
        #expect(
            fields[8] == category, "case \(index + 1) (\(pre) → \(post)): \(fields[8]), expected \(category)")
    }
    let danish = run(["outcomes", "--format", "csv-da"], variables: variables)
    #expect(danish.output.contains("C-07;check;2026-01-10;2026-02-20;44;50,19;6,19;1,9574;unchanged"))
}
