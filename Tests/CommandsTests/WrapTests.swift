import Testing

@testable import Commands

/// Wrapping as it reads in words: each line as long as it may be, words never split.
private func referenceWrap(_ text: String, width: Int, indent: String) -> String {
    let lead = String(text.prefix { $0 == " " })
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
        let candidate = line.isEmpty ? (lines.isEmpty ? lead : indent) + word : line + " " + word
        if candidate.count > width && !line.isEmpty {
            lines.append(line)
            line = indent + word
        } else {
            line = candidate
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
}

@Test(arguments: [12, 20, 33, 80])
func wrappingBreaksAtSpacesWithinTheWidthAndKeepsTheIndent(width: Int) {
    var generator = SystemRandomNumberGenerator()
    let words = [
        "æble", "to", "målingerne", "a", "ORS", "pålidelig", "—", "Sdiff", "verylongwordthatwillnotfit",
    ]
    for _ in 0..<200 {
        let count = Int.random(in: 0...30, using: &generator)
        let text =
            String(repeating: " ", count: Int.random(in: 0...3, using: &generator))
            + (0..<count).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
        let wrapped = wrap(text, width: width, indent: "    ")
        #expect(wrapped == referenceWrap(text, width: width, indent: "    "))
        for line in wrapped.split(separator: "\n") where line.split(separator: " ").count > 1 {
            #expect(line.count <= width)
        }
    }
}
