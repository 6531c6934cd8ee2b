import Foundation
import Storage

/// Fills a store with synthetic ORS administrations and times reading them back.
///
/// Benchmarks measure and tests assert behaviour, so timings live here, outside `swift test`.
struct StoreBenchmark {
    var directory: String
    var count: Int
    var writers: Int
    /// Runs only the read whose label starts with this, when given.
    var only: String?

    func run() {
        let clock = ContinuousClock()
        do {
            if !Store(directory: directory, writer: "bench").exists {
                let written = try clock.measure { try fill() }
                print("wrote \(count) administrations in \(writers) journals: \(seconds(written)) s")
            }
            let store = Store(directory: directory, writer: "bench")
            for (label, read) in [
                ("read() (full records, merged, deduplicated)", { try store.read().records.count }),
                ("read(answers: false)", { try store.read(answers: false).records.count }),
                (
                    "readSummaries() parsing every line (no cache)",
                    {
                        try? FileManager.default.removeItem(atPath: directory + "/cache")
                        return try store.readSummaries(cacheAfter: .max).table.count
                    }
                ),
                (
                    "readSummaries() (report path, cache made on the first run)",
                    { try store.readSummaries().table.count }
                ),
                (
                    "readSummaries(caseID:) (one case, from the cache)",
                    { try store.readSummaries(caseID: "K-00001").table.count }
                ),
            ] as [(String, () throws -> Int)] where only.map({ label.hasPrefix($0) }) ?? true {
                var times: [Duration] = []
                var records = 0
                for _ in 0..<3 {
                    times.append(try clock.measure { records = try read() })
                }
                times.sort()
                print(
                    "\(label): \(records) records, median \(seconds(times[1])) s (min \(seconds(times[0])) s)"
                )
            }
        } catch {
            FileHandle.standardError.write(Data("\(error.localizedDescription)\n".utf8))
            exit(1)
        }
    }

    /// Writes `count` administrations in batches of 10,000 (one write and one fsync each).
    private func fill() throws {
        var generator = SystemRandomNumberGenerator()
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let perWriter = (count + writers - 1) / writers
        for writer in 0..<writers {
            let name = "worker\(writer)@bench"
            let store = Store(directory: directory, writer: name)
            var made = 0
            while made < min(perWriter, count - writer * perWriter) {
                var batch: [Record] = []
                for _ in 0..<min(10_000, perWriter - made) {
                    let index = writer * perWriter + made + batch.count
                    let items = (0..<4).map { _ in Double(Int.random(in: 0...100, using: &generator)) / 10 }
                    let answers = Dictionary(
                        uniqueKeysWithValues: zip(
                            ["individually", "interpersonally", "socially", "overall"],
                            items.map(Answer.number)))
                    batch.append(
                        Record(
                            id: Store.randomID(), writer: name,
                            time: start.addingTimeInterval(Double(index) * 60 + Double(writer)),
                            caseID: "K-\(index % 14_500)",
                            body: .administration(
                                AdministrationRecord(
                                    instrument: "ors", instrumentVersion: "1.0.0", worker: "worker\(writer)",
                                    respondent: "citizen", date: "2026-03-14", answers: answers,
                                    scores: ["total": items.reduce(0, +)],
                                    comment: index % 10 == 0 ? "Har sovet bedre, gået tur med \"Bo\"" : nil)))
                    )
                }
                try store.append(records: batch)
                made += batch.count
            }
        }
    }

    private func seconds(_ duration: Duration) -> String {
        let value =
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.3f", value)
    }
}
