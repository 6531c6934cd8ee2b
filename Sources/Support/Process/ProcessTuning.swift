// Process-wide facts and settings, with libc and no Foundation.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Settings of the process as a whole, for the executable.
package enum ProcessTuning {
    /// Tells the C allocator that this process runs one command and exits: memory it frees is
    /// kept for the next allocation rather than handed back to the system and asked for again
    /// (each time as fresh pages the kernel must clear), and the heap grows in large steps. A
    /// report over a million administrations makes and frees hundreds of megabytes; see
    /// docs/performance.md. Blocks of their own mapping stay as glibc makes them: taking them
    /// from the heap too saves no time and, with a heap per core, raises the peak. Without glibc,
    /// nothing changes.
    package static func keepFreedMemory() {
        #if canImport(Glibc)
            // malloc.h is not part of the Glibc module: mallopt is looked up, with its options'
            // numbers as malloc.h gives them.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            let (trimThreshold, topPad): (Int32, Int32) = (-1, -2)
            _ = mallopt(trimThreshold, 1 << 30)
            _ = mallopt(topPad, 64 << 20)
        #endif
    }
}
