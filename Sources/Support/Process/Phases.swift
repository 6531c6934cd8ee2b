// Process-wide facts and settings, with libc and no Foundation.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a report's time goes, phase by phase, printed to standard error when the environment
/// sets `PEJLING_PHASES` (for benchmarks and profiling; see docs/performance.md).
package enum Phases {
    private static let enabled = getenv("PEJLING_PHASES") != nil
    nonisolated(unsafe) private static var last = now()

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Starts the clock for the first phase (a read of the store).
    package static func begin() {
        if enabled { last = now() }
    }

    /// Prints how long it has been since the previous mark (or `begin`), named `name`.
    package static func mark(_ name: String) {
        guard enabled else { return }
        let time = now()
        let line = "phase \(name): \(Int(((time - last) * 1000).rounded())) ms\n"
        last = time
        var bytes = Array(line.utf8)
        _ = write(2, &bytes, bytes.count)
    }
}
