/// The instruments that ship with Pejling, compiled into the binary.
///
/// They are embedded rather than read from a resource bundle so that a binary copied to another
/// machine or folder still finds them. `Instruments/*.json` is the source; a test checks that the
/// embedded copies match it.
package enum ShippedInstruments {
    /// The ids of the shipped instruments, in the order they are listed.
    package static var ids: [String] { files.map { String($0.name.dropLast(".json".count)) } }

    /// Returns every shipped instrument.
    /// - Throws: `InstrumentError.invalid` if a shipped file is broken (a test prevents that).
    package static func all() throws(InstrumentError) -> [Instrument] {
        var result: [Instrument] = []
        for file in files {
            result.append(try InstrumentReader.read(file.text, file: "Instruments/\(file.name) (shipped)"))
        }
        return result
    }
}
