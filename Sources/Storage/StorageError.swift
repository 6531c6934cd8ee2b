import Foundation
import Support

/// The errors of the store.
public enum StorageError: Error, Sendable, Hashable {
    public enum CaseIDProblem: Sendable, Hashable {
        case empty
        case tooLong
        case characters
        case cpr
    }

    /// A case id that may not be used.
    case invalidCaseID(String, reason: CaseIDProblem)
    /// A file operation failed.
    case io(call: String, path: String, reason: String)
    /// The store folder does not exist (when reading).
    case noStore(String)
    /// No records of that case.
    case unknownCase(String)
    /// A file or folder inside the store that is a symbolic link: never followed, for the case
    /// data would be written, erased or made private somewhere else.
    case symbolicLink(String)
    /// A number a journal cannot hold (NaN, infinite or beyond ±1e12) in a record about to be written.
    case notANumber(field: String, caseID: String)
    /// A text field breaks its rule (too long, or a control character); nothing was saved.
    case unfitText(field: String, problem: FreeText.Problem, caseID: String)

    init(_ error: SystemError) {
        self =
            error.isSymbolicLink
            ? .symbolicLink(error.path) : .io(call: error.call, path: error.path, reason: error.reason)
    }
}

extension StorageError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .invalidCaseID(let raw, let reason):
            switch reason {
            case .empty: return "A case id is needed. Use the citizen's pseudonym, e.g. K-0042."
            case .tooLong:
                return
                    "The case id '\(TerminalText.sanitized(String(raw.prefix(20))))…' is longer than 64 characters. Use a short pseudonym."
            case .characters:
                return
                    "The case id '\(TerminalText.sanitized(raw))' may only hold letters a–z, digits, '-', '_' and '.'. Use a pseudonym such as K-0042."
            case .cpr:
                return
                    "The case id looks like a CPR number. Never store a citizen's data under their CPR number: use a pseudonym such as K-0042, and keep the key to it where your municipality keeps personal identifiers."
            }
        case .io(let call, let path, let reason):
            return
                "Cannot \(Self.verb(call)) \(path): \(reason). Check that the store folder exists, is yours and has space."
        case .symbolicLink(let path):
            return
                "\(path) is a symbolic link; Pejling keeps case data only in regular files inside the store: replace the link with the file it points to."
        case .noStore(let path):
            return
                "There is no store at \(path). Give --store DIR or set PEJLING_STORE; 'pejling demo --store DIR' makes a synthetic one to try."
        case .notANumber(let field, let caseID):
            return
                "Cannot save the record of case '\(caseID)': \(field) is not a number a journal can hold (NaN, infinite, or beyond ±1e12). Nothing was saved; check how the score was computed."
        case .unfitText(let field, let problem, let caseID):
            return "Cannot save the record of case '\(caseID)': "
                + FreeText.describe(problem, field: (field, field), danish: false) + " Nothing was saved."
        case .unknownCase(let id):
            return
                "The store holds nothing about the case '\(id)'. Check the id with 'pejling history --case ID'."
        }
    }

    private static func verb(_ call: String) -> String {
        switch call {
        case "open", "opendir": return "open"
        case "write", "fsync", "ftruncate": return "write to"
        case "rename": return "replace"
        case "chmod": return "change the permissions of"
        case "mkdir": return "create the folder"
        case "flock": return "lock"
        default: return "read"
        }
    }
}
