import Support

/// Something wrong in a store's files, with where it is and what to do.
package struct StoreProblem: Sendable, Hashable, CustomStringConvertible {
    /// The problem of a file that could not be read because of `error`: a symbolic link, or
    /// unreadable.
    static func unreadable(_ path: String, _ error: SystemError) -> StoreProblem {
        error.isSymbolicLink
            ? StoreProblem(file: path, line: 0, kind: .symbolicLink, detail: "")
            : StoreProblem(file: path, line: 0, kind: .unreadable, detail: error.reason)
    }

    package enum Kind: String, Sendable, Hashable {
        /// The last line has no line break: a crash mid-write, or a write still under way.
        case tornLine
        /// A line that is not a record.
        case malformedLine
        /// A record written by a newer Pejling; kept on disk, left out of reports.
        case newerVersion
        /// A file that could not be read.
        case unreadable
        /// A file or folder that others than its owner may read (`detail` holds its mode).
        case permissions
        /// A file or folder inside the store that is a symbolic link (never followed).
        case symbolicLink
    }

    package var file: String
    /// The line number from 1 (0 for the whole file).
    package var line: Int
    package var kind: Kind
    package var detail: String

    package init(file: String, line: Int, kind: Kind, detail: String) {
        self.file = file
        self.line = line
        self.kind = kind
        self.detail = detail
    }

    package var description: String { message(danish: false) }

    /// Where the problem is, what it means and what to do, in Danish or English. The detail
    /// (what the reader found) is given as the reader words it.
    package func message(danish: Bool) -> String {
        func t(_ da: String, _ en: String) -> String { danish ? da : en }
        let place = line > 0 ? "\(file):\(line)" : file
        switch kind {
        case .tornLine:
            return t(
                "\(place): den sidste linje er ufuldstændig (\(detail)), efterladt af et nedbrud eller en skrivning, der stadig er i gang. Den lægges til side ved skriverens næste gemning; 'pejling check --repair' flytter den til quarantine/ nu.",
                "\(place): the last line is incomplete (\(detail)), left by a crash or a write still under way. It is set aside at the next save by its writer; 'pejling check --repair' moves it to quarantine/ now."
            )
        case .malformedLine:
            return t(
                "\(place): ikke en post (\(detail)); sprunget over, intet andet går tabt. 'pejling check --repair' flytter den til quarantine/.",
                "\(place): not a record (\(detail)); skipped, nothing else is lost. 'pejling check --repair' moves it to quarantine/."
            )
        case .newerVersion:
            return t(
                "\(place): skrevet af en nyere Pejling (skemaversion \(detail)); bevaret på disken men udeladt. Opgradér Pejling for at læse den.",
                "\(place): written by a newer Pejling (schema version \(detail)); kept on disk but left out. Upgrade Pejling to read it."
            )
        case .unreadable:
            return t(
                "\(place): kan ikke læses (\(detail)). Tjek rettighederne.",
                "\(place): cannot be read (\(detail)). Check its permissions.")
        case .permissions:
            let wanted = detail.hasPrefix("folder") ? "700" : "600"
            return t(
                "\(place): andre end ejeren kan læse den (\(detail)); en database rummer følsomme data. Kør 'chmod \(wanted) \(file)'.",
                "\(place): others than its owner may read it (\(detail)); a store holds sensitive data. Run 'chmod \(wanted) \(file)'."
            )
        case .symbolicLink:
            return t(
                "\(place) er et symbolsk link; Pejling gemmer kun sagsdata i almindelige filer i databasen og læser, skriver, sletter eller reparerer intet gennem et link: erstat linket med den fil, det peger på.",
                "\(place) is a symbolic link; Pejling keeps case data only in regular files inside the store, and reads, writes, erases and repairs none through a link: replace the link with the file it points to."
            )
        }
    }
}

/// The records of a store, merged from every journal, and what was wrong on the way.
package struct StoreSnapshot: Sendable {
    /// Every record, de-duplicated by id, ordered by time then id; erased cases left out.
    package var records: [Record]
    package var problems: [StoreProblem]
    /// How many journal files were read.
    package var journals: Int
}

/// A store's health, as `pejling check` reports it.
package struct StoreHealth: Sendable {
    package var journals: Int
    package var records: Int
    package var cases: Int
    package var problems: [StoreProblem]
    /// Quarantine files written by a repair.
    package var quarantined: [String]
    /// Files and folders whose access a repair took away from others than their owner.
    package var madePrivate: [String] = []
}

/// What an erasure removed.
package struct ErasureReport: Sendable {
    /// Lines removed per file.
    package var removed: [String: Int]
    /// The marker left in the writer's journal.
    package var marker: Record
}
