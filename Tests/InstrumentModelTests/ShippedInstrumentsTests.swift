import Foundation
import Testing

@testable import InstrumentModel

/// The package's root folder, found from this file's place in Tests/InstrumentModelTests.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Test func everyFileInTheInstrumentsFolderIsValid() throws {
    let folder = packageRoot.appendingPathComponent("Instruments")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
        $0.hasSuffix(".json")
    }
    #expect(
        Set(names) == ["ors.json", "srs.json", "cors.json", "csrs.json", "brief-inspire-o.json", "gbo.json"])
    for name in names {
        let instrument = try InstrumentCatalogue.readFile(folder.appendingPathComponent(name).path)
        #expect(instrument.id + ".json" == name)
        #expect(!instrument.source.rightsHolder.isEmpty)
        for item in instrument.items {
            for language in Language.allCases {
                #expect(item.text.values[language.rawValue]?.isEmpty == false, "\(name) \(item.id)")
            }
        }
    }
}

@Test func theEmbeddedCopiesMatchTheInstrumentsFolder() throws {
    for file in ShippedInstruments.files {
        let onDisk = try String(
            contentsOf: packageRoot.appendingPathComponent("Instruments").appendingPathComponent(file.name),
            encoding: .utf8)
        let normalize = { (text: String) in
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(
            normalize(file.text) == normalize(onDisk),
            "Instruments/\(file.name) changed: run Scripts/embed-instruments")
    }
}

@Test func unverifiedNumbersAreMarkedAsSuch() throws {
    let catalogue = try InstrumentCatalogue.load(organisationDirectory: nil)
    let cors = try catalogue.instrument("cors")
    #expect(cors.interpretation.cutoffs.allSatisfy { !$0.provenance.verified })
    #expect(cors.interpretation.reliableChange?.provenance.verified == false)
    let ors = try catalogue.instrument("ors")
    let notOnTrack = try #require(ors.flags.first { $0.name == "notOnTrack" })
    #expect(!notOnTrack.provenance.verified)
    #expect(try catalogue.instrument("brief-inspire-o").scoring.provenance.verified == false)
    #expect(try catalogue.instrument("gbo").interpretation.reliableChange?.provenance.verified == false)
}

@Test func orsCutoffDependsOnAge() throws {
    let ors = try InstrumentCatalogue.load(organisationDirectory: nil).instrument("ors")
    #expect(ors.interpretation.cutoff(forAge: 30)?.value(direction: .higherIsBetter) == 25)
    #expect(ors.interpretation.cutoff(forAge: 15)?.value(direction: .higherIsBetter) == 28)
    #expect(ors.interpretation.cutoff(forAge: 18)?.value(direction: .higherIsBetter) == 25)
    #expect(ors.interpretation.cutoff(forAge: 17)?.value(direction: .higherIsBetter) == 28)
}

@Test func anOrganisationFolderAddsAndOverrides() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "pejling-org-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var srs = try fixture("valid-own-instrument.json")
    try srs.write(to: folder.appendingPathComponent("own.json"), atomically: true, encoding: .utf8)
    srs = ShippedInstruments.files.first { $0.name == "srs.json" }!.text
        .replacingOccurrences(of: "\"version\": \"1.0.0\"", with: "\"version\": \"9.9-licensed\"")
    try srs.write(to: folder.appendingPathComponent("srs-licensed.json"), atomically: true, encoding: .utf8)

    let catalogue = try InstrumentCatalogue.load(organisationDirectory: folder.path)
    #expect(catalogue.instruments.map(\.id) == ShippedInstruments.ids + ["wellbeing-check"])
    #expect(try catalogue.instrument("srs").version == "9.9-licensed")
    #expect(catalogue.origins["srs"] == .file(folder.appendingPathComponent("srs-licensed.json").path))
    #expect(catalogue.origins["ors"] == .shipped)
}

@Test func aBrokenOrganisationFileIsAnErrorNamingTheFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "pejling-org-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try fixture("duplicate-item-ids.json").write(
        to: folder.appendingPathComponent("mine.json"), atomically: true, encoding: .utf8)
    #expect {
        try InstrumentCatalogue.load(organisationDirectory: folder.path)
    } throws: { error in
        guard case .invalid(_, let problems) = error as? InstrumentError else { return false }
        return problems.count == 1 && problems[0].file.hasSuffix("mine.json")
    }
}

@Test(arguments: ShippedInstruments.ids)
func writingAnInstrumentReadsBackTheSame(id: String) throws {
    let instrument = try catalogue.instrument(id)
    let text = InstrumentWriter.json(instrument).rendered()
    #expect(try InstrumentReader.read(text, file: "\(id) rewritten") == instrument)
}
