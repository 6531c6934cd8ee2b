// The POSIX calls of Pejling's modules, in one place: files and folders, and the process's own
// settings. No Foundation here.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes all of `bytes` to the descriptor, retrying after a signal or a short write: the one
/// write loop for the store's journals and for output files.
/// - Returns: nil when everything is written, else the errno of the write that failed.
package func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { raw in
            write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        }
        if written < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += written
    }
    return nil
}

/// An error from a system call: which call, on which path, and errno's text.
package struct SystemError: Error, Sendable, Hashable {
    package var call: String
    package var path: String
    package var code: Int32

    package init(call: String, path: String, code: Int32) {
        self.call = call
        self.path = path
        self.code = code
    }

    package var reason: String { String(cString: strerror(code)) }
    /// Whether nothing is at the path (or a folder on the way is missing).
    package var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    /// Whether the user may not do it there.
    package var isDenied: Bool { code == EACCES || code == EPERM || code == EROFS }
    /// Whether a file was expected and a folder found.
    package var isDirectory: Bool { code == EISDIR }

    /// Whether the call met a symbolic link where the store allows none (open(2) with
    /// `O_NOFOLLOW` fails with ELOOP on one).
    package var isSymbolicLink: Bool { code == ELOOP }

    /// The error for a symbolic link found at `path` without a call failing.
    package static func symbolicLink(_ path: String) -> SystemError {
        SystemError(call: "open", path: path, code: ELOOP)
    }
}

/// An open file descriptor, closed when dropped.
///
/// Every file of the store is opened and created with `O_NOFOLLOW`: a symbolic link planted in
/// the store's folders would carry case data (or a chmod) to a file outside it, so one is refused
/// (ELOOP, see `SystemError.isSymbolicLink`) rather than followed.
package final class FileDescriptor: Sendable {
    package let value: Int32
    package let path: String

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
    package static func openForAppend(_ path: String) throws(SystemError) -> (FileDescriptor, created: Bool) {
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
    package static func openForUpdate(_ path: String) throws(SystemError) -> FileDescriptor? {
        let fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SystemError(call: "open", path: path, code: errno)
        }
        return FileDescriptor(value: fd, path: path)
    }

    /// Opens what `path` names, which exists and is not a regular file (a terminal, a pipe,
    /// /dev/null), for writing as it stands: nothing is created, truncated or renamed.
    package static func openStreamForWriting(_ path: String) throws(SystemError) -> FileDescriptor {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
    }

    /// Creates `path` new with mode 0600 for writing; fails if it exists.
    ///
    /// The mode is given to open(2), so the file is private from its first byte; a umask can only
    /// take bits away, and no umask takes the owner's read and write.
    package static func create(_ path: String) throws(SystemError) -> FileDescriptor {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
    }

    /// Creates `path` new with mode 0600, or returns nil when a file of that name exists.
    package static func createIfAbsent(_ path: String) throws(SystemError) -> FileDescriptor? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 && errno == EEXIST { return nil }
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
    }

    /// Opens `path` for reading and writing, creating it empty with mode 0600 if absent (a lock
    /// file, which lives as long as the store).
    package static func openOrCreate(_ path: String) throws(SystemError) -> FileDescriptor {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
    }

    /// Takes the advisory lock, exclusive or shared, waiting for it.
    package func lock(shared: Bool = false) throws(SystemError) {
        while flock(value, shared ? LOCK_SH : LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw SystemError(call: "flock", path: path, code: errno)
        }
    }

    /// Writes all of `bytes` (one write call unless the system writes less).
    package func writeAll(_ bytes: [UInt8]) throws(SystemError) {
        if let code = Support.writeAll(bytes, to: value) {
            throw SystemError(call: "write", path: path, code: code)
        }
    }

    package func sync() throws(SystemError) {
        guard fsync(value) == 0 else { throw SystemError(call: "fsync", path: path, code: errno) }
    }

    package func truncate(to length: Int) throws(SystemError) {
        guard ftruncate(value, off_t(length)) == 0 else {
            throw SystemError(call: "ftruncate", path: path, code: errno)
        }
    }

    /// The device and inode of the open file.
    package func identity() throws(SystemError) -> FileIdentity {
        var info = stat()
        guard fstat(value, &info) == 0 else { throw SystemError(call: "fstat", path: path, code: errno) }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Reads the whole file from the start (as long as it was when the read began).
    package func readAll() throws(SystemError) -> [UInt8] {
        try read(at: 0, count: size())
    }
}

/// A file's device and inode: tells whether a path still names the file a descriptor has open.
package struct FileIdentity: Hashable, Sendable {
    package var device: UInt64
    package var inode: UInt64

    package init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The identity of the file at `path` now, or nil if there is none.
    package static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

package enum FileSystem {
    /// Creates the folder with mode 0700 if it does not exist (parents as needed, also 0700 when new).
    package static func makeDirectory(_ path: String) throws(SystemError) {
        if access(path, F_OK) == 0 { return }
        let parent = parentOf(path)
        if !parent.isEmpty && parent != path { try makeDirectory(parent) }
        if mkdir(path, 0o700) != 0 {
            if errno == EEXIST { return }
            throw SystemError(call: "mkdir", path: path, code: errno)
        }
        try syncDirectory(parent.isEmpty ? "." : parent)
    }

    package static func parentOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Flushes a folder's entries, so a new or renamed file survives a crash.
    package static func syncDirectory(_ path: String) throws(SystemError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        defer { close(fd) }
        // Some file systems cannot sync a folder (EINVAL); their entries are as safe as they get.
        guard fsync(fd) == 0 || errno == EINVAL else {
            throw SystemError(call: "fsync", path: path, code: errno)
        }
    }

    package static func rename(_ from: String, _ to: String) throws(SystemError) {
        #if canImport(Glibc)
            let result = Glibc.rename(from, to)
        #else
            let result = Darwin.rename(from, to)
        #endif
        guard result == 0 else { throw SystemError(call: "rename", path: to, code: errno) }
    }

    package static func remove(_ path: String) {
        unlink(path)
    }

    /// The names in a folder, or nil when it does not exist.
    package static func list(_ path: String) throws(SystemError) -> [String]? {
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

    /// Whether `path` names a folder: not a link to one, unless `following` (a destination's
    /// folder may be a link).
    package static func isDirectory(_ path: String, following: Bool = false) -> Bool {
        var info = stat()
        return (following ? stat(path, &info) : lstat(path, &info)) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// What a path names, a symbolic link itself (not followed), or nil when nothing is there.
    package enum Kind: Sendable { case file, folder, link, other }

    /// What `path` names: a link itself unless `following` (then what it points to, nil when
    /// that is missing).
    package static func kind(_ path: String, following: Bool = false) -> Kind? {
        var info = stat()
        guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .link
        default: return .other
        }
    }

    /// The text of the symbolic link at `path` (relative to the link's folder unless it starts
    /// with '/'), or nil when `path` is not one.
    package static func linkText(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `path` is a symbolic link (dangling or not).
    package static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// The permission bits of a path, or nil. A symbolic link's own bits (the store's folder is
    /// followed: people point a link at a synced folder).
    package static func mode(_ path: String, following: Bool = true) -> Int? {
        var info = stat()
        guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return Int(info.st_mode & 0o7777)
    }

    /// Sets the permission bits of `path` (only `repair` does, to take access away from others).
    ///
    /// The file is opened with `O_NOFOLLOW` and changed through the descriptor: chmod(2) would
    /// change the target of a link, which may be anyone's file anywhere.
    /// - Parameter following: whether a link is followed (only for the store's own folder).
    package static func setMode(_ path: String, _ mode: Int, following: Bool = false) throws(SystemError) {
        let fd = open(path, O_RDONLY | (following ? 0 : O_NOFOLLOW) | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        defer { close(fd) }
        guard fchmod(fd, mode_t(mode)) == 0 else {
            throw SystemError(call: "chmod", path: path, code: errno)
        }
    }
}

extension FileDescriptor {
    /// The file's size in bytes.
    package func size() throws(SystemError) -> Int {
        var info = stat()
        guard fstat(value, &info) == 0 else { throw SystemError(call: "fstat", path: path, code: errno) }
        return Int(info.st_size)
    }

    /// The byte at `offset`.
    package func byte(at offset: Int) throws(SystemError) -> UInt8 {
        var byte: UInt8 = 0
        guard pread(value, &byte, 1, off_t(offset)) == 1 else {
            throw SystemError(call: "read", path: path, code: errno)
        }
        return byte
    }

    /// Opens `path` read-only; a symbolic link is refused unless `followingLinks` (a file the user
    /// names, which may be a link, rather than one of the store's).
    package static func openForReading(_ path: String, followingLinks: Bool = false) throws(SystemError)
        -> FileDescriptor
    {
        let fd = open(path, O_RDONLY | (followingLinks ? 0 : O_NOFOLLOW) | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(call: "open", path: path, code: errno) }
        return FileDescriptor(value: fd, path: path)
    }
}

/// What a file the user names to be read whole turned out to be, when it cannot be read.
package enum InputFileProblem: Error, Sendable, Equatable {
    /// Nothing is at the path (or a folder on the way is missing).
    case missing
    /// A folder, not a file.
    case folder
    /// The user may not read it.
    case denied
    /// More than `limit` bytes: a file that big is not what was meant (or is a device such as
    /// /dev/zero, which never ends).
    case tooBig(limit: Int)
    /// Another failure of the system, with its reason.
    case other(String)
}

extension FileDescriptor {
    /// Reads a file the user names (an import, an instrument file, a case map), whole: a regular
    /// file as long as it is when the read begins; a pipe or a device (standard input, a process
    /// substitution such as `<(iconv …)`) until its end, which `readAll()` would find empty, as
    /// its size is 0. A symbolic link is followed: the user named it.
    /// - Parameter limit: the most bytes read; more is `.tooBig`.
    package static func readInput(_ path: String, limit: Int) throws(InputFileProblem) -> [UInt8] {
        let file: FileDescriptor
        do {
            file = try openForReading(path, followingLinks: true)
        } catch {
            throw error.isMissing ? .missing : error.isDenied ? .denied : .other(error.reason)
        }
        var info = stat()
        guard fstat(file.value, &info) == 0 else { throw .other(String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw .folder
        case S_IFREG:
            guard Int(info.st_size) <= limit else { throw .tooBig(limit: limit) }
            do { return try file.readAll() } catch { throw .other(error.reason) }
        default: return try file.readToEnd(limit: limit)
        }
    }

    /// Reads from where the file stands to its end, in blocks: a pipe's or a device's bytes.
    private func readToEnd(limit: Int) throws(InputFileProblem) -> [UInt8] {
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = block.withUnsafeMutableBytes { readSome(value, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .other(String(cString: strerror(errno)))
            }
            if got == 0 { return bytes }
            guard bytes.count + got <= limit else { throw .tooBig(limit: limit) }
            bytes += block[..<got]
        }
    }
}

/// read(2), named apart from `FileDescriptor`'s own reads.
private func readSome(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

extension FileDescriptor {
    /// Reads `count` bytes from `offset` (fewer at the end of the file) into the start of `buffer`,
    /// grown when it is too small and never shrunk, so many reads in a row take memory once.
    /// - Returns: how many bytes were read.
    package func read(at offset: Int, count: Int, into buffer: inout [UInt8]) throws(SystemError) -> Int {
        if buffer.count < count { buffer += repeatElement(0, count: count - buffer.count) }
        let (done, failure) = buffer.withUnsafeMutableBufferPointer { raw in
            read(at: offset, count: count, to: raw.baseAddress!)
        }
        if failure != 0 { throw SystemError(call: "read", path: path, code: failure) }
        return done
    }

    /// Reads `buffer.count` bytes from `offset` into `buffer` (fewer at the end of the file): how
    /// many were read.
    package func read(at offset: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) throws(SystemError)
        -> Int
    {
        guard let start = buffer.baseAddress else { return 0 }
        let (done, failure) = read(at: offset, count: buffer.count, to: start)
        if failure != 0 { throw SystemError(call: "read", path: path, code: failure) }
        return done
    }

    /// Reads `count` bytes from `offset` (fewer at the end of the file).
    package func read(at offset: Int, count: Int) throws(SystemError) -> [UInt8] {
        var failure: Int32 = 0
        // Uninitialised: the bytes are written once, by the kernel, not zeroed first.
        let buffer = [UInt8](unsafeUninitializedCapacity: count) { raw, initialized in
            (initialized, failure) = read(at: offset, count: count, to: raw.baseAddress!)
        }
        if failure != 0 { throw SystemError(call: "read", path: path, code: failure) }
        return buffer
    }

    /// Reads up to `count` bytes from `offset` to `start`, again after an interruption, until the
    /// end of the file: how many were read, and the error number that stopped it (or 0).
    private func read(at offset: Int, count: Int, to start: UnsafeMutablePointer<UInt8>) -> (Int, Int32) {
        var done = 0
        while done < count {
            let got = pread(value, start + done, count - done, off_t(offset + done))
            if got < 0 {
                if errno == EINTR { continue }
                return (done, errno)
            }
            if got == 0 { break }
            done += got
        }
        return (done, 0)
    }
}

/// The id of this process, for unique temporary names.
package var processID: Int32 { getpid() }

/// Where a report's time goes, phase by phase (with the peak memory so far), printed to standard error when the environment
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
        // The peak so far too, to find the phase that sets a command's peak memory.
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let line =
            "phase \(name): \(Int(((time - last) * 1000).rounded())) ms (peak \(usage.ru_maxrss / 1024) MB, now \(residentMB()) MB)\n"
        last = time
        var bytes = Array(line.utf8)
        _ = write(2, &bytes, bytes.count)
    }
}

extension Phases {
    /// The memory the process holds now (its resident set), in megabytes; 0 when unknown.
    fileprivate static func residentMB() -> Int {
        let file = open("/proc/self/statm", O_RDONLY)
        guard file >= 0 else { return 0 }
        defer { close(file) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        // "size resident shared ...", in pages.
        let fields = buffer[..<count].split(separator: 0x20)
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
    }
}

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

    /// Hands the memory freed so far back to the system (where `keepFreedMemory` keeps it), for
    /// after a stage that made and freed much more than what follows needs: parsing a whole
    /// store leaves hundreds of megabytes of small blocks freed. Without glibc, nothing happens.
    package static func returnFreedMemory() {
        #if canImport(Glibc)
            typealias MallocTrim = @convention(c) (Int) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
