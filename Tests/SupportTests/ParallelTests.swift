import Dispatch
import Support
import Synchronization
import Testing

@Suite struct ParallelTests {
    static let counts = [0, 1, 2, 63, 64, 65, 10_000]

    @Test(arguments: counts)
    func resultsComeBackInOrderOfIndex(count: Int) {
        #expect(parallelMap(count) { $0 * 3 + 1 } == (0..<count).map { $0 * 3 + 1 })
    }

    @available(macOS 15.0, *)
    @Test(arguments: counts)
    func everyIndexIsVisitedExactlyOnce(count: Int) {
        let visits = Mutex([Int](repeating: 0, count: count))
        _ = parallelMap(count) { index in visits.withLock { $0[index] += 1 } }
        #expect(visits.withLock { $0 } == [Int](repeating: 1, count: count))
    }

    @Test func callersOnSeveralThreadsAtOnceEachGetTheirOwnResults() {
        let callers = 8
        let results = parallelMap(callers) { caller in
            parallelMap(10_000) { $0 &* caller } == (0..<10_000).map { $0 &* caller }
                && CaseRuns(5_000).map { $0 - caller } == (0..<5_000).map { $0 - caller }
        }
        #expect(results == [Bool](repeating: true, count: callers))
        let fromDispatch = Mutex([Bool]())
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            let same = parallelMap(10_000) { $0 + caller } == (0..<10_000).map { $0 + caller }
            fromDispatch.withLock { $0.append(same) }
        }
        #expect(fromDispatch.withLock { $0 } == [Bool](repeating: true, count: callers))
    }

    @Test(arguments: counts)
    func itemsHandedOverComeBackInOrder(count: Int) {
        let items = (0..<count).map { String($0) }
        #expect(parallelMap(taking: items) { $0 + "!" } == items.map { $0 + "!" })
    }

    @Test func stretchesFollowEachOtherInOrderOfTask() {
        let counts = [(a: 3, b: 0, c: 1), (a: 0, b: 2, c: 0), (a: 65, b: 1, c: 4)]
        let (a, b, c) = parallelArrays(taking: ["x", "y", "z"], stretches: counts) {
            (
                item: consuming String, index, a: UnsafeMutableBufferPointer<Int>,
                b: UnsafeMutableBufferPointer<String>,
                c: UnsafeMutableBufferPointer<Int>
            ) in
            let name = item
            for place in a.indices { a.initializeElement(at: place, to: index * 100 + place) }
            for place in b.indices { b.initializeElement(at: place, to: name) }
            for place in c.indices { c.initializeElement(at: place, to: index) }
        }
        #expect(a == [0, 1, 2] + (0..<65).map { 200 + $0 })
        #expect(b == ["y", "y", "z"])
        #expect(c == [0, 2, 2, 2, 2])
    }

    @Test(arguments: counts)
    func caseRunsPutResultsBackInCaseOrder(count: Int) {
        let runs = CaseRuns(count)
        #expect(runs.runs == max(1, min(count, 64)))
        #expect(runs.map { $0 * 2 } == (0..<count).map { $0 * 2 })
    }

    @Test(arguments: counts)
    func caseRunsVisitEveryNumberOnceAndPlaceFindsItAgain(count: Int) {
        let runs = CaseRuns(count)
        let parts = runs.gather { numbers in Array(numbers) }
        #expect(parts.count == runs.runs)
        #expect(parts.joined().sorted() == Array(0..<count))
        for number in 0..<count {
            let (run, slot) = runs.place(of: number)
            #expect(parts[run][slot] == number)
        }
    }

    @Test(arguments: [(0, 1), (1, 1), (5, 2), (64, 4), (65, 4), (1000, 7)])
    func aPipelineHandsOverEveryValueInOrder(count: Int, batch: Int) {
        var taken: [Int] = []
        parallelPipeline(count, batch: batch) {
            $0 * 3 + 1
        } consume: {
            taken.append($0)
        }
        #expect(taken == (0..<count).map { $0 * 3 + 1 })
    }

    @Test func aPipelineStopsWhereItsConsumerThrows() {
        struct Stop: Error {}
        var taken: [Int] = []
        #expect(throws: Stop.self) {
            try parallelPipeline(100, batch: 4) {
                $0
            } consume: { (value: Int) throws(Stop) in
                guard value < 10 else { throw Stop() }
                taken.append(value)
            }
        }
        #expect(taken == Array(0..<10))
    }

    @Test(arguments: [nil, 10, 0])
    func aPipelineTakingItsItemsLetsGoOfEveryOneMadeOrNot(stopAt: Int?) {
        final class Item: Sendable {
            let number: Int
            init(_ number: Int) { self.number = number }
        }
        struct Stop: Error {}
        let items = (0..<100).map { Item($0) }
        let watched = items.map { WeakItem($0) }
        var taken: [Int] = []
        do throws(Stop) {
            try parallelPipeline(
                taking: consume items, batch: 4, make: { item in item.number * 2 },
                consume: { (value: Int) throws(Stop) in
                    if let stopAt, value >= stopAt * 2 { throw Stop() }
                    taken.append(value)
                })
        } catch {
            #expect(stopAt != nil)
        }
        #expect(taken == (0..<(stopAt ?? 100)).map { $0 * 2 })
        // Made or left unmade when the consumer stopped, every item is let go.
        #expect(watched.allSatisfy { $0.item == nil })
    }
}

/// A weak reference, to see that an object was let go.
private final class WeakItem<Object: AnyObject> {
    weak var item: Object?
    init(_ item: Object) { self.item = item }
}

@Test func stretchesCutARangeIntoPiecesOfTheSizeInOrder() {
    for count in [0, 1, 5, 8, 9, 100] {
        for size in [1, 3, 8, 200] {
            let ranges = stretches(of: count, size: size)
            // Together they are 0..<count, each after the one before, none empty.
            #expect(ranges.flatMap { Array($0) } == Array(0..<count))
            #expect(ranges.allSatisfy { !$0.isEmpty && $0.count <= size })
            // Only the last may be shorter.
            #expect(ranges.dropLast().allSatisfy { $0.count == size })
        }
    }
}

@Test func aPipelineOfStretchesHandsOnEveryStretchInOrder() {
    var seen: [Range<Int>] = []
    parallelPipeline(
        stretchesOf: 1_000, size: 7, batch: 4, make: { $0 },
        consume: { (range: consuming Range<Int>) in seen.append(range) })
    #expect(seen == stretches(of: 1_000, size: 7))
    #expect(seen.count == 143 && seen.last == 994..<1_000)
}
