import Foundation
import Support

/// The instruments available to a command: the shipped ones, with an organisation's own folder
/// adding instruments and replacing shipped ones that have the same id.
package struct InstrumentCatalogue: Sendable {
    /// Where an instrument's definition came from.
    package enum Origin: Sendable, Hashable {
        case shipped
        case file(String)
    }

    /// The instruments, shipped ones first in their usual order, then an organisation's by id.
    package private(set) var instruments: [Instrument]
    /// The origin of each instrument by id.
    package private(set) var origins: [String: Origin]

    package init(instruments: [Instrument], origins: [String: Origin]) {
        self.instruments = instruments
        self.origins = origins
    }

    /// Returns the shipped instruments, with the `.json` files in `directory` (if given) added
    /// or replacing shipped ones by id.
    /// - Throws: `InstrumentError.invalid` naming every problem in every broken file, or
    ///   `.unreadable` when the folder cannot be read. A broken organisation file is an error, not
    ///   a warning: silently falling back to the shipped wording would ask the wrong questions.
    package static func load(organisationDirectory directory: String?) throws(InstrumentError)
        -> InstrumentCatalogue
    {
        var catalogue = InstrumentCatalogue(instruments: try ShippedInstruments.all(), origins: [:])
        for instrument in catalogue.instruments { catalogue.origins[instrument.id] = .shipped }
        guard let directory else { return catalogue }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else {
            throw .unusableFolder(
                path: directory, reason: LocalizedText(da: "findes ikke", en: "does not exist"))
        }
        guard isFolder.boolValue else {
            throw .unusableFolder(
                path: directory,
                reason: LocalizedText(da: "er en fil, ikke en mappe", en: "is a file, not a folder"))
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw .unusableFolder(
                path: directory,
                reason: LocalizedText(
                    da: "kan ikke læses (tjek rettighederne)", en: "cannot be read (check its permissions)"))
        }
        var problems: [InstrumentProblem] = []
        var seen: [String: String] = [:]
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                let instrument = try readFile(path)
                if let other = seen[instrument.id] {
                    problems.append(
                        InstrumentProblem(
                            file: path, path: "id", position: nil,
                            message: LocalizedText(
                                da: "id'et \"\(instrument.id)\" bruges også af \(other)",
                                en: "the id \"\(instrument.id)\" is also used by \(other)"),
                            fix: LocalizedText(
                                da: "giv hver fil i mappen sit eget id",
                                en: "give each file in the folder its own id")))
                    continue
                }
                seen[instrument.id] = path
                catalogue.add(instrument, origin: .file(path))
            } catch .invalid(_, let fileProblems) {
                problems += fileProblems
            }
        }
        if !problems.isEmpty {
            throw .invalid(file: directory, problems: problems)
        }
        return catalogue
    }

    /// The most bytes an instrument file is read to: a bigger one is not an instrument (or is a
    /// device that never ends).
    static let fileLimit = 16 << 20

    /// Returns the instrument defined by the file at `path` (a pipe is read to its end).
    /// - Throws: `InstrumentError.unreadable` or `.invalid`.
    package static func readFile(_ path: String) throws(InstrumentError) -> Instrument {
        let bytes: [UInt8]
        do throws(InputFileProblem) {
            bytes = try FileDescriptor.readInput(path, limit: fileLimit)
        } catch {
            let reason: LocalizedText
            switch error {
            case .missing: reason = LocalizedText(da: "filen findes ikke", en: "no such file")
            case .denied: reason = LocalizedText(da: "adgang nægtet", en: "permission denied")
            case .folder:
                reason = LocalizedText(da: "det er en mappe, ikke en fil", en: "it is a folder, not a file")
            case .tooBig(let limit):
                reason = LocalizedText(
                    da: "den er større end \(limit >> 20) MiB; en instrumentfil fylder nogle få KB",
                    en: "it is larger than \(limit >> 20) MiB; an instrument file takes a few KB")
            case .other(let text): reason = LocalizedText(da: text, en: text)
            }
            throw .unreadable(file: path, reason: reason)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalid(
                file: path,
                problems: [
                    InstrumentProblem(
                        file: path, path: "", position: nil,
                        message: LocalizedText(
                            da: "filen er ikke UTF-8-tekst", en: "the file is not UTF-8 text"),
                        fix: LocalizedText(da: "gem den som UTF-8", en: "save it as UTF-8"))
                ])
        }
        return try InstrumentReader.read(text, file: path)
    }

    /// Adds `instrument`, replacing one with the same id.
    package mutating func add(_ instrument: Instrument, origin: Origin) {
        if let index = instruments.firstIndex(where: { $0.id == instrument.id }) {
            instruments[index] = instrument
        } else {
            instruments.append(instrument)
        }
        origins[instrument.id] = origin
    }

    /// Returns the instrument with `id`.
    /// - Throws: `InstrumentError.unknownInstrument` listing the known ids.
    package func instrument(_ id: String) throws(InstrumentError) -> Instrument {
        let wanted = id.lowercased()
        guard let instrument = instruments.first(where: { $0.id == wanted }) else {
            throw .unknownInstrument(id: id, known: instruments.map(\.id))
        }
        return instrument
    }
}
