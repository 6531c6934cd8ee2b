import Foundation
import Progression
import Testing

@testable import Commands

/// A simulated store with flags of many rules.
private func flaggedStore() throws -> [String: String] {
    let variables = ["PEJLING_STORE": try temporaryFolder()]
    let made = run(["simulate", "--cases", "40", "--months", "12", "--seed", "5"], variables: variables)
    #expect(made.status == .success, "\(made.errors)")
    return variables
}

private func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Test func eachFlagNamesItsRuleWhoseTextsAreGivenOnce() throws {
    let variables = try flaggedStore()
    let context = try useCaseContext(try #require(variables["PEJLING_STORE"]))
    let (index, engine) = try context.reportIndex()
    let flags = index.caseIDs.flatMap { engine.flags(for: index.history(of: $0)!) }
    #expect(Set(flags.map(\.rule)).count >= 3)
    let text = FlagListJSON.document(flags).rendered()
    let document = try object(text)
    let rules = try #require(document["rules"] as? [String: [String: Any]])
    let listed = try #require(document["flags"] as? [[String: Any]])
    #expect(listed.count == flags.count)
    var used: Set<String> = []
    for (flag, json) in zip(flags, listed) {
        #expect(json["id"] as? String == flag.id)
        #expect(json["reason"] == nil && json["question"] == nil && json["principle"] == nil)
        #expect((json["evidence"] as? [String: String])?["en"] == flag.evidence[.en])
        // Joined by key, the flag's rule gives exactly the flag's own texts.
        let key = try #require(json["ruleKey"] as? String)
        used.insert(key)
        let rule = try #require(rules[key])
        #expect(rule["instrument"] as? String == flag.instrument)
        #expect(rule["rule"] as? String == flag.rule)
        #expect(rule["reason"] as? [String: String] == flag.reason.values)
        #expect(rule["question"] as? [String: String] == flag.question.values)
        let principle = try #require(rule["principle"] as? [String: Any])
        #expect(principle["number"] as? Int == flag.principle.rawValue)
        #expect(principle["text"] as? [String: String] == flag.principle.text.values)
    }
    // Only the rules met are listed, each once; rules with different texts never share a key.
    #expect(Set(rules.keys) == used)
    #expect(
        Set(flags.map { "\($0.instrument)|\($0.rule)|\($0.reason[.en])|\($0.question[.en])" }).count
            == used.count)
    for rule in rules.values {
        let reason = try #require((rule["reason"] as? [String: String])?["en"])
        #expect(text.components(separatedBy: "\"\(reason)\"").count == 2, "\(reason)")
    }
}

@Test func flagsTeamAndAskGiveTheSameShapeAndTheSameKeys() throws {
    let variables = try flaggedStore()
    let flags = try object(run(["flags", "--format", "json"], variables: variables).output)
    let team = try object(run(["team", "--format", "json"], variables: variables).output)
    let flagRules = try #require(flags["rules"] as? [String: Any])
    let teamRules = try #require(team["rules"] as? [String: Any])
    let teamFlags = try #require(team["openFlags"] as? [[String: Any]])
    #expect(!teamFlags.isEmpty)
    // The same open flags, named by the same keys, with the same rule texts.
    #expect(Set(teamFlags.compactMap { $0["ruleKey"] as? String }) == Set(teamRules.keys))
    for key in teamRules.keys {
        #expect(flagRules[key] != nil, "\(key)")
        #expect(
            NSDictionary(dictionary: teamRules[key] as! [String: Any])
                == NSDictionary(dictionary: flagRules[key] as! [String: Any]))
    }
    let asked = try object(
        run(
            [
                "ask", "ors", "--case", "K-LOW", "--date", "2026-03-01", "--answers", "1,1,1,1", "--format",
                "json",
            ],
            variables: variables
        ).output)
    let askedFlags = try #require(asked["flags"] as? [[String: Any]])
    let askedRules = try #require(asked["rules"] as? [String: Any])
    // ORS with no SRS at a meeting before today.
    #expect(askedFlags.map { $0["rule"] as? String } == ["companionMissing"])
    #expect(askedFlags.first?["ruleKey"] as? String == askedRules.keys.first)
    #expect(Set(askedFlags.compactMap { $0["ruleKey"] as? String }) == Set(askedRules.keys))
}
