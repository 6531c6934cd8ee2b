import InstrumentModel
import Storage
import Support

/// Records as JSON values, exactly as the journal holds them.
enum RecordJSON {
    static func value(_ record: Record) -> JSONValue {
        // The journal line is JSON by construction; parsing it back cannot fail.
        try! JSONParser.parse(record.encodedLine()).root
    }
}
