import Support

extension Store {
    /// The lock that keeps derived files (summary caches, saved figures) from outliving an
    /// erasure: `erasure.lock` in the store's folder (outside `cache/`, which an erasure empties:
    /// a lock file made anew while others hold the old one would lock nothing).
    ///
    /// A report that read a journal before an erasure rewrote it may finish after the erasure
    /// removed the caches; the cache it would then write holds the erased case's comments, goals
    /// and notes. So an erasure holds this lock exclusively from its first read until it has
    /// rewritten the journals and removed the caches, and a cache writer holds it shared while it
    /// checks that the journals are still the files it read (same device and inode: an erasure
    /// replaces every journal that held the case) and renames its file into place. Either the
    /// cache is in place before the erasure removes it, or the writer sees the new journal and
    /// leaves its cache unwritten. A shared lock that nobody holds exclusively costs an open and
    /// a flock: microseconds, and only when a cache is written at all.
    var erasureLockPath: String { directory + "/erasure.lock" }

    /// Opens the erasure lock (creating it if need be) and takes it; it is held until the
    /// returned descriptor is dropped.
    func erasureLock(exclusive: Bool) throws(SystemError) -> FileDescriptor {
        let file = try FileDescriptor.openOrCreate(erasureLockPath)
        try file.lock(shared: !exclusive)
        return file
    }
}
