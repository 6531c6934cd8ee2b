import Foundation
import Testing

/// Compares `text` with the golden file `Snapshots/<name>.txt` beside the calling test file.
///
/// A missing golden file, or `RECORD_SNAPSHOTS=1`, writes the file and fails the test, so a
/// recording never passes unseen.
package func assertSnapshot(
    _ text: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent(
        "Snapshots")
    let file = folder.appendingPathComponent("\(name).txt")
    let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    // Read as bytes: `String(contentsOf:encoding:)` drops a leading byte order mark.
    if !recording, let bytes = try? Data(contentsOf: file) {
        let golden = String(decoding: bytes, as: UTF8.self)
        #expect(text == golden, "the output differs from \(file.path)", sourceLocation: sourceLocation)
        // Strings equal as Unicode may still differ in their bytes (é precomposed or not).
        #expect(
            text != golden || text.utf8.elementsEqual(bytes),
            "the output differs from \(file.path) in its bytes only", sourceLocation: sourceLocation)
        return
    }
    try? FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? text.write(to: file, atomically: true, encoding: .utf8)
    Issue.record("recorded \(file.path); check it and run the tests again", sourceLocation: sourceLocation)
}
