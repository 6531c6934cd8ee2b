// The POSIX calls Support needs, in one place. No Foundation here.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new private file opened for writing, closed when dropped.
///
/// Created by open(2) itself with `O_CREAT | O_EXCL | O_NOFOLLOW` and mode 0600: nobody else's
/// file, and no link planted under the name, is ever written through, and the file is private
/// from its first byte.
final class NewFile {
    let descriptor: Int32
    let path: String

    /// Creates `path`, or returns nil when a file (or link) of that name exists.
    /// - Throws: the errno of open(2).
    static func create(_ path: String) throws(Errno) -> NewFile? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return nil }
            throw Errno(errno)
        }
        return NewFile(descriptor: fd, path: path)
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// Writes all of `bytes`, retrying after a signal or a short write.
    func writeAll(_ bytes: [UInt8]) throws(Errno) {
        if let code = Support.writeAll(bytes, to: descriptor) { throw Errno(code) }
    }

    /// Flushes the file's bytes to the disk.
    func sync() throws(Errno) {
        guard fsync(descriptor) == 0 else { throw Errno(errno) }
    }
}

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

/// An errno value and its text.
struct Errno: Error, Hashable {
    var code: Int32

    init(_ code: Int32) { self.code = code }

    var reason: String { String(cString: strerror(code)) }
    var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    var isDenied: Bool { code == EACCES || code == EPERM || code == EROFS }
    var isDirectory: Bool { code == EISDIR }
}

/// The file system calls around writing a file in place of another.
enum PathOps {
    /// What is at `path` (not following a last symbolic link).
    enum Entry {
        case none
        case directory
        case other
    }

    static func entry(_ path: String) -> Entry {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .none }
        return info.st_mode & S_IFMT == S_IFDIR ? .directory : .other
    }

    /// Whether `path` names a folder, following links (a destination's folder may be a link).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    static func rename(_ from: String, _ to: String) throws(Errno) {
        #if canImport(Glibc)
            let result = Glibc.rename(from, to)
        #else
            let result = Darwin.rename(from, to)
        #endif
        guard result == 0 else { throw Errno(errno) }
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    /// Flushes a folder's entries so a rename survives a crash; file systems that cannot sync a
    /// folder (EINVAL) keep them as safe as they get.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The id of this process, for temporary names.
    static var processID: Int32 { getpid() }
}
