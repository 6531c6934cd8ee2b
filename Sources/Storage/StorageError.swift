import Foundation
import Support

/// The errors of the store.
package enum StorageError: Error, Sendable, Hashable {
    package enum CaseIDProblem: Sendable, Hashable {
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
    package var errorDescription: String? { message(danish: false) }

    /// What went wrong and what to do, in Danish or English.
    package func message(danish: Bool) -> String {
        func t(_ da: String, _ en: String) -> String { danish ? da : en }
        switch self {
        case .invalidCaseID(let raw, let reason):
            switch reason {
            case .empty:
                return t(
                    "Der skal et sags-id til. Brug borgerens pseudonym, fx K-0042.",
                    "A case id is needed. Use the citizen's pseudonym, e.g. K-0042.")
            case .tooLong:
                let shown = TerminalText.excerpt(raw, limit: 20)
                return t(
                    "Sags-id'et '\(shown)' er længere end 64 tegn. Brug et kort pseudonym.",
                    "The case id '\(shown)' is longer than 64 characters. Use a short pseudonym.")
            case .characters:
                let shown = TerminalText.sanitized(raw)
                return t(
                    "Sags-id'et '\(shown)' må kun indeholde bogstaverne a–z, tal, '-', '_' og '.'. Brug et pseudonym som K-0042.",
                    "The case id '\(shown)' may only hold letters a–z, digits, '-', '_' and '.'. Use a pseudonym such as K-0042."
                )
            case .cpr:
                return t(
                    "Sags-id'et ligner et CPR-nummer. Gem aldrig en borgers data under CPR-nummeret: brug et pseudonym som K-0042, og opbevar nøglen til det, hvor kommunen opbevarer personnumre.",
                    "The case id looks like a CPR number. Never store a citizen's data under their CPR number: use a pseudonym such as K-0042, and keep the key to it where your municipality keeps personal identifiers."
                )
            }
        case .io(let call, let path, let reason):
            return t(
                "Kan ikke \(Self.verb(call, danish: true)) \(path): \(reason). Tjek, at databasens mappe findes, er din og har plads.",
                "Cannot \(Self.verb(call, danish: false)) \(path): \(reason). Check that the store folder exists, is yours and has space."
            )
        case .symbolicLink(let path):
            return t(
                "\(path) er et symbolsk link; Pejling gemmer kun sagsdata i almindelige filer i databasen: erstat linket med den fil, det peger på.",
                "\(path) is a symbolic link; Pejling keeps case data only in regular files inside the store: replace the link with the file it points to."
            )
        case .noStore(let path):
            return t(
                "Der er ingen database i \(path). Giv --store MAPPE eller sæt PEJLING_STORE; 'pejling demo --store MAPPE' laver en opdigtet at prøve med.",
                "There is no store at \(path). Give --store DIR or set PEJLING_STORE; 'pejling demo --store DIR' makes a synthetic one to try."
            )
        case .notANumber(let field, let caseID):
            return t(
                "Kan ikke gemme posten for sagen '\(caseID)': \(field) er ikke et tal, en journal kan rumme (NaN, uendelig eller ud over ±1e12). Intet er gemt; tjek, hvordan scoren blev regnet ud.",
                "Cannot save the record of case '\(caseID)': \(field) is not a number a journal can hold (NaN, infinite, or beyond ±1e12). Nothing was saved; check how the score was computed."
            )
        case .unfitText(let field, let problem, let caseID):
            return t(
                "Kan ikke gemme posten for sagen '\(caseID)': ",
                "Cannot save the record of case '\(caseID)': ")
                + FreeText.describe(problem, field: (field, field), danish: danish)
                + t(" Intet er gemt.", " Nothing was saved.")
        case .unknownCase(let id):
            return t(
                "Databasen har intet om sagen '\(id)'. Tjek id'et med 'pejling history --case ID'.",
                "The store holds nothing about the case '\(id)'. Check the id with 'pejling history --case ID'."
            )
        }
    }

    private static func verb(_ call: String, danish: Bool) -> String {
        switch call {
        case "open", "opendir": return danish ? "åbne" : "open"
        case "write", "fsync", "ftruncate": return danish ? "skrive til" : "write to"
        case "rename": return danish ? "erstatte" : "replace"
        case "chmod": return danish ? "ændre rettighederne for" : "change the permissions of"
        case "mkdir": return danish ? "oprette mappen" : "create the folder"
        case "flock": return danish ? "låse" : "lock"
        default: return danish ? "læse" : "read"
        }
    }
}
