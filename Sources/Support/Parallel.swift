import Dispatch

/// Returns `body(0) … body(count − 1)`, in that order, computed on as many threads as there are
/// cores.
///
/// The body is `@Sendable`, so the compiler checks every call site for races: what a body
/// captures must be safe to read from several threads at once, as swift-nio's
/// `NIOConcurrencyHelpers` keep their locks. Each task returns its value; no two tasks write the
/// same memory (see `ResultSlots`).
package func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        let slots = ResultSlots(buffer)
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots.initialize(index, to: body(index))
            }
        }
        initialized = count
    }
}

/// Hands `consume` the values `make(0) … make(count − 1)` in order, made on every core `batch` at
/// a time; each batch is made while `consume` takes the one before, so the cores go on working
/// while the output is written.
///
/// `make` is `@Sendable`, as for `parallelMap`; `consume` runs on the caller's thread only. When
/// `consume` throws, the batch being made is finished and let go, and the error is rethrown.
package func parallelPipeline<T: Sendable, Failure: Error>(
    _ count: Int, batch: Int, make: @escaping @Sendable (Int) -> T,
    consume: (consuming T) throws(Failure) -> Void
) throws(Failure) {
    let batch = max(1, batch)
    var current = parallelMap(min(batch, count)) { make($0) }
    var start = current.count
    while !current.isEmpty {
        let size = min(batch, count - start)
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: size)
        let slots = ResultSlots(buffer)
        let group = DispatchGroup()
        if size > 0 {
            let first = start
            DispatchQueue.global().async(group: group) {
                DispatchQueue.concurrentPerform(iterations: size) { index in
                    slots.initialize(index, to: make(first + index))
                }
            }
        }
        var failure: Failure?
        for value in current {
            do throws(Failure) {
                try consume(value)
            } catch {
                failure = error
                break
            }
        }
        group.wait()
        current = Array(buffer)
        buffer.deinitialize()
        buffer.deallocate()
        if let failure { throw failure }
        start += size
    }
}

/// Hands `consume` the values `make(item)` of `items` in order, made on every core `batch` at a
/// time, as `parallelPipeline(_:batch:make:consume:)` does; each item is handed over to its task,
/// so what it alone holds is let go as soon as its value is made. When `consume` throws, the items
/// not yet made are let go unmade, and the error is rethrown.
package func parallelPipeline<Element: Sendable, T: Sendable, Failure: Error>(
    taking items: consuming [Element], batch: Int, make: @escaping @Sendable (consuming Element) -> T,
    consume: (consuming T) throws(Failure) -> Void
) throws(Failure) {
    let taken = TakenItems(items)
    items = []
    try parallelPipeline(
        taken.count, batch: batch, make: { index in make(taken.take(index)) },
        consume: { (value: consuming T) throws(Failure) in try consume(value) })
}

/// The ranges that cut `0..<count` into stretches of `size` (the last may be shorter), in order.
package func stretches(of count: Int, size: Int) -> [Range<Int>] {
    let size = max(1, size)
    return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
}

/// Hands `consume` the values `make(range)` for the stretches of `size` of `0..<count`, in order,
/// made on every core `batch` at a time, as `parallelPipeline(_:batch:make:consume:)` does.
package func parallelPipeline<T: Sendable, Failure: Error>(
    stretchesOf count: Int, size: Int, batch: Int, make: @escaping @Sendable (Range<Int>) -> T,
    consume: (consuming T) throws(Failure) -> Void
) throws(Failure) {
    let ranges = stretches(of: count, size: size)
    try parallelPipeline(ranges.count, batch: batch, make: { make(ranges[$0]) }, consume: consume)
}

/// Returns `body(element)` for each element of `items`, in order, computed on every core; each
/// element is handed over to its task, so what it alone holds is let go on that task's core.
package func parallelMap<Element: Sendable, T: Sendable>(
    taking items: consuming [Element], _ body: @Sendable (consuming Element) -> T
) -> [T] {
    let taken = TakenItems(items)
    items = []
    return parallelMap(taken.count) { index in body(taken.take(index)) }
}

/// Returns three arrays written on every core, one stretch of each per task: `write(item, index,
/// a, b, c)` must initialize every element of the stretches it is handed, which hold the counts of
/// `counts[index]` and follow those of the stretches before them (what appending each task's
/// elements in turn would make, without copying them).
///
/// A task is handed only its own stretches, so no two tasks write the same memory. Task `index`
/// is handed `items[index]` too, so what that alone holds is let go on its core.
package func parallelArrays<Item: Sendable, A, B, C>(
    taking items: consuming [Item], stretches counts: [(a: Int, b: Int, c: Int)],
    _ write:
        @Sendable (
            _ item: consuming Item, _ index: Int, _ a: UnsafeMutableBufferPointer<A>,
            _ b: UnsafeMutableBufferPointer<B>, _ c: UnsafeMutableBufferPointer<C>
        ) -> Void
) -> ([A], [B], [C]) {
    precondition(items.count == counts.count, "\(items.count) items for \(counts.count) stretches")
    let taken = TakenItems(items)
    items = []
    let starts = (
        a: Stretches<A>.starts(counts.map(\.a)), b: Stretches<B>.starts(counts.map(\.b)),
        c: Stretches<C>.starts(counts.map(\.c))
    )
    var b: [B] = []
    var c: [C] = []
    let a = [A](unsafeUninitializedCapacity: starts.a.last!) { bufferA, initializedA in
        b = [B](unsafeUninitializedCapacity: starts.b.last!) { bufferB, initializedB in
            c = [C](unsafeUninitializedCapacity: starts.c.last!) { bufferC, initializedC in
                let output = (
                    a: Stretches(bufferA, starts: starts.a), b: Stretches(bufferB, starts: starts.b),
                    c: Stretches(bufferC, starts: starts.c)
                )
                _ = parallelMap(counts.count) { index in
                    write(
                        taken.take(index), index, output.a.stretch(index), output.b.stretch(index),
                        output.c.stretch(index))
                }
                initializedC = starts.c.last!
            }
            initializedB = starts.b.last!
        }
        initializedA = starts.a.last!
    }
    return (a, b, c)
}

/// The numbers `0..<count` (of cases, in order of id) visited in runs, each run on its own task.
///
/// Run `r` takes the numbers `r`, `r + runs`, `r + 2 × runs` …: cases of every size are spread
/// over the runs, so the runs take about as long as each other. `place(of:)` finds a number's
/// result again among its run's, so results are put back in case order.
package struct CaseRuns: Sendable {
    /// How many numbers there are.
    package let count: Int
    /// How many runs: 64 (enough for any number of cores to share the work evenly), fewer for
    /// fewer numbers, and one for none.
    package let runs: Int

    package init(_ count: Int) {
        self.count = count
        runs = max(1, min(count, 64))
    }

    /// The numbers of run `run`, in order.
    package func numbers(_ run: Int) -> StrideTo<Int> {
        stride(from: run, to: count, by: runs)
    }

    /// Where the result of `number` stands: its run, and its place among that run's results.
    package func place(of number: Int) -> (run: Int, slot: Int) {
        (number % runs, number / runs)
    }

    /// Returns one value per run, in order of run: `body(numbers)` for each run's numbers (for
    /// results the runs gather themselves; `place(of:)` finds each number's again).
    package func gather<Part: Sendable>(_ body: @Sendable (_ numbers: StrideTo<Int>) -> Part) -> [Part] {
        parallelMap(runs) { run in body(numbers(run)) }
    }

    /// Returns `transform(0) … transform(count − 1)`, in that order.
    package func map<T: Sendable>(_ transform: @Sendable (_ number: Int) -> T) -> [T] {
        let parts = gather { numbers in numbers.map(transform) }
        return (0..<count).map { number in
            let (run, slot) = place(of: number)
            return parts[run][slot]
        }
    }
}

// The types below are the iterator's own: each holds a buffer that several tasks write at
// once, which the compiler cannot prove safe, hence `@unchecked Sendable`. Each is safe by one
// invariant, kept here and nowhere else: the task of index `i` touches only the memory of `i`,
// and the buffer is read only after `concurrentPerform` has returned (which waits for every task;
// in `parallelPipeline`, after the group that runs it has been waited for).

/// Uninitialized memory for results, one slot per task.
private struct ResultSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>?

    init(_ buffer: UnsafeMutableBufferPointer<T>) {
        base = buffer.baseAddress
    }

    /// Initializes slot `index`; only the task of that index calls this, once.
    func initialize(_ index: Int, to value: consuming T) {
        (base! + index).initialize(to: value)
    }
}

/// Elements handed over to tasks, one each: moved out of the array, so each element's last
/// reference is its task's.
private final class TakenItems<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    /// Which elements have been moved out (each flag written by its own task only).
    let taken: UnsafeMutableBufferPointer<Bool>
    var count: Int { buffer.count }

    init(_ items: [Element]) {
        buffer = .allocate(capacity: items.count)
        _ = buffer.initialize(from: items)
        taken = .allocate(capacity: items.count)
        taken.initialize(repeating: false)
    }

    /// Moves out element `index`; only the task of that index calls this, once.
    func take(_ index: Int) -> Element {
        taken[index] = true
        return (buffer.baseAddress! + index).move()
    }

    // Elements never taken (a pipeline stopped early) are let go here.
    deinit {
        for index in buffer.indices where !taken[index] {
            (buffer.baseAddress! + index).deinitialize(count: 1)
        }
        buffer.deallocate()
        taken.deallocate()
    }
}

/// An array's memory cut into stretches that follow each other, one per task.
private struct Stretches<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    let starts: [Int]

    init(_ buffer: UnsafeMutableBufferPointer<Element>, starts: [Int]) {
        self.buffer = buffer
        self.starts = starts
    }

    /// Where each stretch of `counts` begins, and after the last, where they end.
    static func starts(_ counts: [Int]) -> [Int] {
        var starts = [0]
        starts.reserveCapacity(counts.count + 1)
        for count in counts {
            precondition(count >= 0, "a stretch of \(count) elements")
            starts.append(starts.last! + count)
        }
        return starts
    }

    /// The stretch of `index`; only the task of that index asks for it.
    func stretch(_ index: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(rebasing: buffer[starts[index]..<starts[index + 1]])
    }
}
