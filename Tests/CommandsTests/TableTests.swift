import Testing

@testable import Commands

@Test func aLargeTableIsLaidOutAsAWholeThoughItsStretchesAreLaidOutApart() {
    // The widest cell, the one cell that is no number and a control character all in the last
    // stretch of rows, so the widths and alignment must be settled over every stretch.
    let count = 5000
    let rows =
        [["NAME", "MIXED", "NUMBER"]]
        + (0..<count).map { row in
            [
                row == count - 10 ? "the-widest-name-of-all" : "k\(row % 100)",
                row == count - 1 ? "x" : "\(row % 7)", row == count - 5 ? "+1.5" : "\(row)",
            ]
        } + [["bell\u{07}", "1", "2"]]
    let text = Table.render(rows)
    let name = "the-widest-name-of-all".count
    let mixed = "MIXED".count
    let number = "NUMBER".count
    func padded(_ cell: String, _ width: Int, right: Bool) -> String {
        let pad = String(repeating: " ", count: width - cell.count)
        return right ? pad + cell : cell + pad
    }
    let expected = rows.map { row -> String in
        let cells = [row[0] == "bell\u{07}" ? "bell^G" : row[0], row[1], row[2]]
        return padded(cells[0], name, right: false) + "  " + padded(cells[1], mixed, right: false) + "  "
            + padded(cells[2], number, right: true) + "\n"
    }
    #expect(text == expected.joined())
}

@Test func aTableOfAHeaderAloneHasNoNumericColumn() {
    #expect(Table.render([["A", "BB"]]) == "A  BB\n")
    #expect(Table.render([]) == "")
}
