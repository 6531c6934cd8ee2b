import Dispatch
import Support

// The POSIX file operations the store needs, in one place. No Foundation here.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An error from a system call: which call, on which path, and errno's text.
struct SystemError: Error, Sendable, Hashable {
    var call: String
    var path: String
    var code: Int32

    var reason: String { String(cString: strerror(code)) }

    /// Whether the call met a symbolic link where the store allows none (open(2) with
    /// `O_NOFOLLOW` fails with ELOOP on one).
    var isSymbolicLink: Bool { code == ELOOP }

    /// The error for a symbolic link found at `path` without a call failing.
    static func symbolicLink(_ path: String) -> SystemError {
        SystemError(call: "open", path: path, code: ELOOP)
    }
}

/// An open file descriptor, closed when dropped.
///
/// Every file of the store is opened and created with `O_NOFOLLOW`: a symbolic link planted in
/// the store's folders would carry case data (or a chmod) to a file outside it, so one is refused
/// (ELOOP, see `SystemError.isSymbolicLink`) rather than followed.
final class FileDescriptor: Sendable {
    let value: Int32
    let path: String

    private init(value: Int32, path: String) {
        self.value = value
        self.path = path
    }

    deinit {
        close(value)
    }

    /// Opens `path` for appending (and reading its tail), creating it with mode 0600, so it is
    /// private from its first byte.
    /// - Returns: the descriptor and whether the file was created.
    static func openForAppend(_ path: String) throws(SystemError) -> (FileDescriptor, created: Bool) {
        var fd = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
        var created = false
        if fd < 0 && errno == ENOENT {
            fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            created = fd >= 0
            if fd < 0 && errno == EEXIST { fd = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC) }
        }
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return (FileDescriptor(value: fd, path: path), created)
    }

    /// Opens `path` for reading and writing (for locking and truncating), if it exists.
    static func openForUpdate(_ path: String) throws(SystemError) -> FileDescriptor? {
        let fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SystemError(call: "open", path: path, code: errno)
        }
        return FileDescriptor(value: fd, path: path)
    }

    /// Creates `path` new with mode 0600 for writing; fails if it exists.
    ///
    /// The mode is given to open(2), so the file is private from its first byte; a umask can only
    /// take bits away, and no umask takes the owner's read and write.
    static func create(_ path: String) throws(SystemError) -> FileDescriptor {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
    }

    /// Creates `path` new with mode 0600, or returns nil when a file of that name exists.
    static func createIfAbsent(_ path: String) throws(SystemError) -> FileDescriptor? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 && errno == EEXIST { return nil }
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
    }

    /// Opens `path` for reading and writing, creating it empty with mode 0600 if absent (a lock
    /// file, which lives as long as the store).
    static func openOrCreate(_ path: String) throws(SystemError) -> FileDescriptor {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
    }

    /// Takes the advisory lock, exclusive or shared, waiting for it.
    func lock(shared: Bool = false) throws(SystemError) {
        while flock(value, shared ? LOCK_SH : LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw SystemError(call: "flock", path: path, code: errno)
        }
    }

    /// Writes all of `bytes` (one write call unless the system writes less).
    func writeAll(_ bytes: [UInt8]) throws(SystemError) {
        if let code = Support.writeAll(bytes, to: value) {
            throw SystemError(call: "write", path: path, code: code)
        }
    }

    func sync() throws(SystemError) {
        guard fsync(value) == 0 else { throw SystemError(call: "fsync", path: path, code: errno) }
    }

    func truncate(to length: Int) throws(SystemError) {
        guard ftruncate(value, off_t(length)) == 0 else {
            throw SystemError(call: "ftruncate", path: path, code: errno)
        }
    }

    /// The device and inode of the open file.
    func identity() throws(SystemError) -> FileIdentity {
        var info = stat()
        guard fstat(value, &info) == 0 else { throw SystemError(call: "fstat", path: path, code: errno) }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Reads the whole file from the start (as long as it was when the read began).
    func readAll() throws(SystemError) -> [UInt8] {
        try read(at: 0, count: size())
    }
}

/// A file's device and inode: tells whether a path still names the file a descriptor has open.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64

    /// The identity of the file at `path` now, or nil if there is none.
    static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

enum FileSystem {
    /// Creates the folder with mode 0700 if it does not exist (parents as needed, also 0700 when new).
    static func makeDirectory(_ path: String) throws(SystemError) {
        if access(path, F_OK) == 0 { return }
        let parent = parentOf(path)
        if !parent.isEmpty && parent != path { try makeDirectory(parent) }
        if mkdir(path, 0o700) != 0 {
            if errno == EEXIST { return }
            throw SystemError(call: "mkdir", path: path, code: errno)
        }
        try syncDirectory(parent.isEmpty ? "." : parent)
    }

    static func parentOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Flushes a folder's entries, so a new or renamed file survives a crash.
    static func syncDirectory(_ path: String) throws(SystemError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        defer { close(fd) }
        // Some file systems cannot sync a folder (EINVAL); their entries are as safe as they get.
        guard fsync(fd) == 0 || errno == EINVAL else {
            throw SystemError(call: "fsync", path: path, code: errno)
        }
    }

    static func rename(_ from: String, _ to: String) throws(SystemError) {
        #if canImport(Glibc)
            let result = Glibc.rename(from, to)
        #else
            let result = Darwin.rename(from, to)
        #endif
        guard result == 0 else { throw SystemError(call: "rename", path: to, code: errno) }
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    /// The names in a folder, or nil when it does not exist.
    static func list(_ path: String) throws(SystemError) -> [String]? {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return nil }
            throw SystemError(call: "opendir", path: path, code: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether `path` names a folder (not a link to one).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether `path` is a symbolic link (dangling or not).
    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// Creates a folder of the store as `makeDirectory` does, and refuses one that is a symbolic
    /// link: what is written in it would land outside the store. (The store's own folder may be
    /// a link; only what is inside it is checked.)
    static func makeStoreFolder(_ path: String) throws(SystemError) {
        try makeDirectory(path)
        if isSymbolicLink(path) { throw .symbolicLink(path) }
    }

    /// The permission bits of a path, or nil. A symbolic link's own bits (the store's folder is
    /// followed: people point a link at a synced folder).
    static func mode(_ path: String, following: Bool = true) -> Int? {
        var info = stat()
        guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return Int(info.st_mode & 0o7777)
    }

    /// Sets the permission bits of `path` (only `repair` does, to take access away from others).
    ///
    /// The file is opened with `O_NOFOLLOW` and changed through the descriptor: chmod(2) would
    /// change the target of a link, which may be anyone's file anywhere.
    /// - Parameter following: whether a link is followed (only for the store's own folder).
    static func setMode(_ path: String, _ mode: Int, following: Bool = false) throws(SystemError) {
        let fd = open(path, O_RDONLY | (following ? 0 : O_NOFOLLOW) | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        defer { close(fd) }
        guard fchmod(fd, mode_t(mode)) == 0 else {
            throw SystemError(call: "chmod", path: path, code: errno)
        }
    }

    /// Sets the process's umask and returns the previous one (for tests of file modes).
    static func setUmask(_ mask: Int) -> Int {
        Int(umask(mode_t(mask)))
    }
}

extension FileDescriptor {
    /// The file's size in bytes.
    func size() throws(SystemError) -> Int {
        var info = stat()
        guard fstat(value, &info) == 0 else { throw SystemError(call: "fstat", path: path, code: errno) }
        return Int(info.st_size)
    }

    /// The byte at `offset`.
    func byte(at offset: Int) throws(SystemError) -> UInt8 {
        var byte: UInt8 = 0
        guard pread(value, &byte, 1, off_t(offset)) == 1 else {
            throw SystemError(call: "read", path: path, code: errno)
        }
        return byte
    }

    /// Opens `path` read-only.
    static func openForReading(_ path: String) throws(SystemError) -> FileDescriptor {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
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

    /// Reads the whole of `file`, as long as it is when the read begins.
    /// - Throws: when the read fails or the file ends sooner than its size said.
    init(_ file: FileDescriptor) throws(SystemError) {
        let size = try file.size()
        let bytes = try file.read(at: 0, count: size)
        guard bytes.count == size else { throw SystemError(call: "read", path: file.path, code: EIO) }
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

/// The id of this process, for unique temporary names.
var processID: Int32 { getpid() }

extension FileDescriptor {
    /// Reads `count` bytes from `offset` (fewer at the end of the file).
    func read(at offset: Int, count: Int) throws(SystemError) -> [UInt8] {
        var failure: Int32 = 0
        // Uninitialised: the bytes are written once, by the kernel, not zeroed first.
        let buffer = [UInt8](unsafeUninitializedCapacity: count) { raw, initialized in
            var done = 0
            while done < count {
                let got = pread(value, raw.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 { break }
                done += got
            }
            initialized = done
        }
        if failure != 0 { throw SystemError(call: "read", path: path, code: failure) }
        return buffer
    }
}
