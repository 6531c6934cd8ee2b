import Support

// The POSIX file operations only the store needs; the general wrapper is Support's. No
// Foundation here.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileSystem {
    /// Creates a folder of the store as `makeDirectory` does, and refuses one that is a symbolic
    /// link: what is written in it would land outside the store. (The store's own folder may be
    /// a link; only what is inside it is checked.)
    static func makeStoreFolder(_ path: String) throws(SystemError) {
        try makeDirectory(path)
        if isSymbolicLink(path) { throw .symbolicLink(path) }
    }
}

/// A file's bytes read into memory this process owns, freed when dropped.
///
/// Read with pread(2), not mapped: a mapped file that another process cuts short (a client's
/// rename over it on a network share, a `truncate`) kills the reader with SIGBUS at the next
/// touch of a page past the new end. A copy cannot change under its reader; a file that shrinks
/// while it is read is a short read, which is an error here, so the caller falls back.
final class FileBytes: Sendable {
    let bytes: [UInt8]

    /// Holds `bytes`.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// The offset of the first line break in `buffer` at or after `start`, or `buffer.count` (memchr:
/// a journal's lines are found a word at a time, not a byte at a time).
func lineBreak(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    guard start < buffer.count, let base = buffer.baseAddress,
        let found = memchr(base + start, 0x0A, buffer.count - start)
    else { return buffer.count }
    return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
}
