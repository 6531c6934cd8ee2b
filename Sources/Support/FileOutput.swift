/// Writes files that may hold case data: private to the user (0600) from the moment they exist,
/// and in place of an old file only once the new one is whole.
///
/// A symbolic link is followed to the file it points to; a terminal, a pipe or a device such as
/// /dev/null is written as it stands (see `Destination`).
///
/// The bytes go to a new temporary file in the destination's folder (created by open(2) with
/// `O_CREAT | O_EXCL | O_NOFOLLOW`, mode 0600), are fsync'ed, and the file is renamed over the
/// destination with rename(2), which replaces it in one step. Should anything fail on the way,
/// the temporary file is removed and the old file stays exactly as it was.
package enum FileOutput {
    /// Writes the file at `path` with what `body` hands the writer, through a temporary file
    /// renamed into place, and returns what `body` returns.
    ///
    /// The writer buffers, so `body` may write a row at a time: memory stays flat however large
    /// the file.
    /// - Throws: `FileOutputError` when the file cannot be written (the old one is left as it
    ///   was), or whatever `body` throws (likewise).
    package static func write<Result>(to path: String, _ body: (FileWriter) throws -> Result) throws -> Result
    {
        switch try destination(path) {
        case .stream(let stream):
            let file: FileDescriptor
            do throws(SystemError) {
                file = try FileDescriptor.openStreamForWriting(stream)
            } catch {
                throw FileOutputError(error, path: path, folder: Self.folder(of: stream))
            }
            let writer = FileWriter(file, destination: path)
            let result = try body(writer)
            try writer.flush()
            return result
        case .file(let target, let folder):
            let file = try createTemporary(for: target, in: folder)
            do {
                let writer = FileWriter(file, destination: path)
                let result = try body(writer)
                try writer.flush()
                do throws(SystemError) {
                    try file.sync()
                    try FileSystem.rename(file.path, target)
                } catch {
                    throw FileOutputError(error, path: path, folder: folder)
                }
                // A folder whose entries cannot be flushed keeps them as safe as they get.
                try? FileSystem.syncDirectory(folder)
                return result
            } catch {
                FileSystem.remove(file.path)
                throw error
            }
        }
    }

    /// Writes `text` to the file at `path`, as `write(to:_:)` does.
    package static func write(_ text: String, to path: String) throws(FileOutputError) {
        do {
            try write(to: path) { writer in try writer.write(text) }
        } catch let error as FileOutputError {
            throw error
        } catch {
            preconditionFailure("a writer throws only FileOutputError: \(error)")
        }
    }

    /// Where a file the user names is written.
    enum Destination: Equatable {
        /// A regular file (or none yet) at `path`, in `folder`: replaced by a temporary file
        /// renamed over it.
        case file(path: String, folder: String)
        /// A terminal, a pipe or a device (/dev/null, /dev/stdout): written as it stands, never
        /// replaced (renaming over /dev/null would put a file in its place).
        case stream(String)
    }

    /// Where `path` is written, having checked that it names no folder and that its folder
    /// exists. A symbolic link is followed to what it points to, as the shell's `>` follows it:
    /// the file it points to is replaced and the link stays, rather than the link being replaced
    /// by a file of its own.
    /// - Throws: `FileOutputError.isDirectory`, `.noFolder` or `.linkLoop`.
    static func destination(_ path: String) throws(FileOutputError) -> Destination {
        if path.hasSuffix("/") { throw .isDirectory(path: path) }
        // Opened through the path as it is: /dev/stdout's link is one only the kernel follows.
        switch FileSystem.kind(path, following: true) {
        case .folder: throw .isDirectory(path: path)
        case .other: return .stream(path)
        case .file, .link, nil: break
        }
        var target = path
        for _ in 0..<40 {
            switch FileSystem.kind(target) {
            case .folder: throw .isDirectory(path: path)
            case .other: return .stream(target)
            case .link:
                guard let text = FileSystem.linkText(target) else { break }
                target = text.hasPrefix("/") ? text : Self.folder(of: target) + "/" + text
                continue
            case .file, nil: break
            }
            let folder = Self.folder(of: target)
            guard FileSystem.isDirectory(folder, following: true) else {
                throw .noFolder(path: path, folder: folder)
            }
            return .file(path: target, folder: folder)
        }
        throw .linkLoop(path: path)
    }

    /// Checks that `path` can be written: it names no folder and its folder exists.
    /// - Throws: `FileOutputError.isDirectory` or `.noFolder`.
    package static func checkDestination(_ path: String) throws(FileOutputError) {
        _ = try destination(path)
    }

    /// The folder that holds `path` ("." for a bare name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// A new temporary file beside `path`: hidden, named for it and this process.
    private static func createTemporary(for path: String, in folder: String) throws(FileOutputError)
        -> FileDescriptor
    {
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        var attempt = 0
        while true {
            attempt += 1
            let temporary =
                (folder == "/" ? "/" : folder + "/") + ".\(name).\(processID)-\(attempt).tmp"
            do throws(SystemError) {
                if let file = try FileDescriptor.createIfAbsent(temporary) { return file }
            } catch {
                throw FileOutputError(error, path: path, folder: folder)
            }
        }
    }
}

/// A buffered writer of a document that grows with the store: text and bytes in, large writes
/// out, to a file `FileOutput` is writing or to standard output (through whatever writes it).
///
/// Each write is kept whole in the buffer, so what reaches a text destination is always whole
/// characters.
package final class FileWriter {
    private enum Target {
        case file(FileDescriptor, destination: String)
        case text((String) -> Void)
        case bytes(([UInt8]) -> Void)
    }

    private let target: Target
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16

    fileprivate init(_ file: FileDescriptor, destination: String) {
        target = .file(file, destination: destination)
        buffer.reserveCapacity(capacity)
    }

    /// A writer that hands its text, a buffer at a time, to `send`: standard output through the
    /// console that writes it, the one write path to that stream. Call `flush()` at the end.
    package init(sendingTo send: @escaping (String) -> Void) {
        target = .text(send)
        buffer.reserveCapacity(capacity)
    }

    /// A writer that hands its bytes, a buffer at a time, to `send` (standard output through the
    /// console that writes it, with no text made of them). Call `flush()` at the end.
    package init(sendingBytesTo send: @escaping ([UInt8]) -> Void) {
        target = .bytes(send)
        buffer.reserveCapacity(capacity)
    }

    /// Appends `text` as UTF-8.
    package func write(_ text: String) throws(FileOutputError) {
        if buffer.count + text.utf8.count > capacity { try flush() }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    /// Appends `bytes`.
    package func write(bytes: [UInt8]) throws(FileOutputError) {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try send(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes what the buffer holds to the destination.
    package func flush() throws(FileOutputError) {
        guard !buffer.isEmpty else { return }
        try send(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func send(_ bytes: [UInt8]) throws(FileOutputError) {
        switch target {
        case .file(let file, let destination):
            do throws(SystemError) {
                try file.writeAll(bytes)
            } catch {
                throw .failed(path: destination, reason: error.reason)
            }
        case .text(let send):
            send(String(decoding: bytes, as: UTF8.self))
        case .bytes(let send):
            send(bytes)
        }
    }
}
