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

/// Whether `needle` occurs in `hay`: memchr finds each place its second byte stands (a quoted
/// id's first character, rarer in a journal's lines than the quote before it), memcmp checks the
/// whole needle there.
func occurs(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= hay.count, let base = hay.baseAddress else { return false }
    let anchor = needle.count > 1 ? 1 : 0
    return needle.withUnsafeBufferPointer { pin in
        // The needle's start lies in 0...last, so its anchor byte in anchor...(last + anchor).
        let last = hay.count - pin.count
        var start = 0
        while start <= last {
            guard let found = memchr(base + start + anchor, Int32(pin[anchor]), last - start + 1) else {
                return false
            }
            let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) - anchor
            if memcmp(base + at, pin.baseAddress!, pin.count) == 0 { return true }
            start = at + 1
        }
        return false
    }
}
