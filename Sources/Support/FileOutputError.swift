import Foundation

/// Why a file could not be written; the old file at the destination is left as it was.
package enum FileOutputError: Error, Sendable, Hashable {
    /// The destination's folder does not exist.
    case noFolder(path: String, folder: String)
    /// The destination is a folder, not a file.
    case isDirectory(path: String)
    /// The destination is a symbolic link in a loop, or at the end of a chain of more than 40.
    case linkLoop(path: String)
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
    package var errorDescription: String? { message(danish: false) }

    /// What went wrong and what to do, in Danish or English.
    package func message(danish: Bool) -> String {
        switch self {
        case .noFolder(let path, let folder):
            return danish
                ? "Kan ikke skrive \(path): mappen \(folder) findes ikke. Opret den først (mkdir -p \(folder)), eller giv en fil i en anden mappe."
                : "Cannot write \(path): the folder \(folder) does not exist. Create it first (mkdir -p \(folder)) or name a file in another folder."
        case .isDirectory(let path):
            let example = (path.hasSuffix("/") ? path : path + "/") + "export.csv"
            return danish
                ? "Kan ikke skrive \(path): det er en mappe. Giv en fil, f.eks. \(example)."
                : "Cannot write \(path): it is a folder. Name a file, e.g. \(example)."
        case .linkLoop(let path):
            return danish
                ? "Kan ikke skrive \(path): det er et symbolsk link, der fører rundt i ring. Giv selve filen, eller ret linket."
                : "Cannot write \(path): it is a symbolic link that leads round in a loop. Name the file itself, or mend the link."
        case .notPermitted(let path, let folder):
            return danish
                ? "Kan ikke skrive \(path): du må ikke oprette filer i mappen \(folder). Vælg en mappe, du kan skrive i, eller bed ejeren om skriveadgang."
                : "Cannot write \(path): you may not create files in the folder \(folder). Choose a folder you can write to, or ask its owner for write access."
        case .failed(let path, let reason):
            return danish
                ? "Kan ikke skrive \(path): \(reason). Intet blev erstattet; tjek, at disken har plads, og prøv igen."
                : "Cannot write \(path): \(reason). Nothing was replaced; check the disk has space and try again."
        }
    }
}
