import Foundation

/// Why a file could not be written; the old file at the destination is left as it was.
package enum FileOutputError: Error, Sendable, Hashable {
    /// The destination's folder does not exist.
    case noFolder(path: String, folder: String)
    /// The destination is a folder, not a file.
    case isDirectory(path: String)
    /// The folder does not let this user create files.
    case notPermitted(path: String, folder: String)
    /// Any other failure of the system, with its reason.
    case failed(path: String, reason: String)

    init(_ error: SystemError, path: String, folder: String) {
        if error.isMissing {
            self = .noFolder(path: path, folder: folder)
        } else if error.isDirectory {
            self = .isDirectory(path: path)
        } else if error.isDenied {
            self = .notPermitted(path: path, folder: folder)
        } else {
            self = .failed(path: path, reason: error.reason)
        }
    }
}

extension FileOutputError: LocalizedError {
    package var errorDescription: String? {
        switch self {
        case .noFolder(let path, let folder):
            return
                "Cannot write \(path): the folder \(folder) does not exist. Create it first (mkdir -p \(folder)) or name a file in another folder."
        case .isDirectory(let path):
            return
                "Cannot write \(path): it is a folder. Name a file, e.g. \(path.hasSuffix("/") ? path : path + "/")export.csv."
        case .notPermitted(let path, let folder):
            return
                "Cannot write \(path): you may not create files in the folder \(folder). Choose a folder you can write to, or ask its owner for write access."
        case .failed(let path, let reason):
            return
                "Cannot write \(path): \(reason). Nothing was replaced; check the disk has space and try again."
        }
    }
}
