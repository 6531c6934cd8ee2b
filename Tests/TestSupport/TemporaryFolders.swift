import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Folders for the tests' stores and files, all inside one folder of this test process that is
/// removed when the process exits, so a test run leaves nothing behind in the system's temporary
/// folder (a run that crashes leaves its one folder).
public enum TemporaryFolders {
    /// The folder of this process's temporary folders, made on first use.
    private static let root: String = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pejling-tests-\(getpid())"
        ).path
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { TemporaryFolders.removeRoot() }
        return root
    }()

    private static func removeRoot() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A new path inside the process's folder, named for `label` (letters and digits kept) and
    /// unique; nothing is made there.
    public static func path(_ label: String) -> String {
        let cleaned = label.filter { $0.isLetter || $0.isNumber }
        return root + "/\(cleaned)-\(UUID().uuidString)"
    }

    /// A new empty folder inside the process's folder, named for `label`.
    public static func folder(_ label: String) throws -> String {
        let path = path(label)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
