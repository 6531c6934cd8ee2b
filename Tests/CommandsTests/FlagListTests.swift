import Foundation
import Progression
import Testing

@testable import Commands

/// Every case's flags in one `FlagList` are each case's flags (`FlagEngine.flags(for:)`), the
/// decided ones left out when only the open ones are asked for, in `FlagOrder` by case id and
/// flag id as text.
@Test(arguments: [true, false])
func everyCasesFlagsListedAreEachCasesFlagsInFlagOrder(openOnly: Bool) throws {
    let variables = ["PEJLING_STORE": try temporaryFolder()]
    let made = run(["simulate", "--cases", "40", "--months", "14", "--seed", "3"], variables: variables)
    #expect(made.status == .success, "\(made.errors)")
    let context = try useCaseContext(try #require(variables["PEJLING_STORE"]))
    let (index, engine) = try context.reportIndex()
    let each = index.caseIDs.flatMap { engine.flags(for: index.history(of: $0)!) }
    #expect(each.contains { !$0.isOpen } && each.contains { $0.isOpen })
    let shown = each.filter { !openOnly || $0.isOpen }
    let order = shown.indices.sorted { a, b in
        FlagOrder.before(
            (shown[a].since.number, shown[a].caseID, shown[a].id),
            (shown[b].since.number, shown[b].caseID, shown[b].id)) ?? (a < b)
    }
    let listed = engine.flags(of: index, openOnly: openOnly)
    #expect(Array(listed) == order.map { shown[$0] })
    // One case alone gives its own flags in the same order.
    let caseID = try #require(shown.first?.caseID)
    let own = engine.flags(of: try #require(index.history(of: caseID)), openOnly: openOnly)
    #expect(Array(own) == Array(listed.filter { $0.caseID == caseID }))
}
