import Foundation
import InstrumentModel
import Storage
import Support

/// The FHIR R4 addresses Pejling writes and reads.
package enum FHIR {
    package static let translation = "http://hl7.org/fhir/StructureDefinition/translation"
    package static let minValue = "http://hl7.org/fhir/StructureDefinition/minValue"
    package static let maxValue = "http://hl7.org/fhir/StructureDefinition/maxValue"
    /// R4's ordinal value of an answer option (R5 calls it itemWeight).
    package static let ordinalValue = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
    package static let itemWeight = "http://hl7.org/fhir/StructureDefinition/itemWeight"
    /// The ordinal value of a coded answer before R4 (ISO 21090's CO data type).
    package static let iso21090Value = "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value"
    /// Every extension that gives an answer option its ordinal value, read on import.
    package static let ordinalURLs: Set<String> = [ordinalValue, itemWeight, iso21090Value]
    /// An item not shown to the respondent (`valueBoolean: true`).
    package static let hidden = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
    package static let entryFormat = "http://hl7.org/fhir/StructureDefinition/entryFormat"
    package static let maxDecimalPlaces = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
    /// The code system for Pejling's own answer codes (an option's value when it has no code).
    package static let answerSystem = "urn:pejling:answer"

    /// The identifier system of pseudonymous case ids (a response's `subject`).
    package static let caseSystem = "urn:pejling:case"
    /// The identifier system of workers' ids (a response's `author`).
    package static let workerSystem = "urn:pejling:worker"
    /// Who answered: citizen, worker or relative (a role, not a person, so not `source`).
    package static let respondentExtension = "urn:pejling:extension:respondent"
    /// The comment in the citizen's own words.
    package static let commentExtension = "urn:pejling:extension:comment"
    /// The citizen's age at the meeting, for age-banded cut-offs.
    package static let ageExtension = "urn:pejling:extension:age"

    /// The canonical URL of an instrument's Questionnaire.
    ///
    /// A URN rather than an http address: Pejling owns no web address to publish under. An
    /// organisation that publishes its Questionnaires can set `PEJLING_FHIR_BASE`.
    package static func canonical(_ instrumentID: String, base: String?) -> String {
        if let base, !base.isEmpty {
            return base.hasSuffix("/")
                ? "\(base)Questionnaire/\(instrumentID)" : "\(base)/Questionnaire/\(instrumentID)"
        }
        return "urn:pejling:questionnaire:\(instrumentID)"
    }

    /// A `_field` element holding the translations of a text (FHIR translation extension).
    static func translations(_ text: LocalizedText, primary: Language) -> JSONValue {
        let others = text.values.keys.sorted().filter { $0 != primary.rawValue }
        return [
            "extension": .array(
                others.map { code in
                    [
                        "url": .string(translation),
                        "extension": [
                            ["url": "lang", "valueCode": .string(code)],
                            ["url": "content", "valueString": .string(text.values[code]!)],
                        ],
                    ]
                })
        ]
    }

    /// Returns the instrument id and version a `questionnaire` canonical names: the last part of
    /// `urn:pejling:questionnaire:ors|1.0.0` or `https://example.org/Questionnaire/ors`.
    package static func instrument(ofCanonical canonical: String) -> (id: String, version: String?) {
        let parts = canonical.split(separator: "|", maxSplits: 1).map(String.init)
        let address = parts.first ?? ""
        let id = address.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? address
        return (id, parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil)
    }

    /// Returns a `urn:uuid:` address derived from `key` alone, so exporting twice gives the same.
    ///
    /// A record id of 32 hex digits (128 random bits) is used as it stands; any other key is
    /// hashed (FNV-1a, two seeds). Either way the version nibble says 8 (RFC 9562: custom).
    package static func uuid(_ key: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(45)
        appendUUID(key, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 of `uuid(key)` to `out`.
    package static func appendUUID(_ key: String, to out: inout [UInt8]) {
        var key = key
        key.withUTF8 { appendUUID(utf8: $0, to: &out) }
    }

    /// Appends the UTF-8 of `uuid(key)` to `out`, for the key whose UTF-8 is `utf8` followed by
    /// `suffix`.
    package static func appendUUID(
        utf8: UnsafeBufferPointer<UInt8>, suffix: StaticString = "", to out: inout [UInt8]
    ) {
        let tail = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        // The 32 digits, lowercase: the key's own when it is an id of 128 bits, else its hashes'.
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            let digits = raw.bindMemory(to: UInt8.self)
            var isHex = utf8.count + tail.count == 32
            if isHex {
                for place in 0..<32 {
                    let byte = place < utf8.count ? utf8[place] : tail[place - utf8.count]
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                        digits[place] = byte
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): digits[place] = byte + 32
                    default: isHex = false
                    }
                    if !isHex { break }
                }
            }
            if !isHex {
                var first = FNV1a()
                first.add(utf8)
                first.add(tail)
                // The second seed is the offset basis with its halves swapped.
                var second = FNV1a(seed: FNV1a.offsetBasis << 32 | FNV1a.offsetBasis >> 32)
                second.add(utf8)
                second.add(tail)
                Hex.write(first.value, into: digits, at: 0)
                Hex.write(second.value, into: digits, at: 16)
            }
            digits[12] = UInt8(ascii: "8")
            // The variant bits 10xx: 8, 9, a or b.
            let nibble = digits[16] <= UInt8(ascii: "9") ? digits[16] - UInt8(ascii: "0") : digits[16] - 87
            digits[16] = Hex.digit(UInt64(nibble & 0x3 | 0x8))
            // Laid out in place and appended at once: an export appends two for each administration.
            var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &text) { raw in
                let text = raw.bindMemory(to: UInt8.self)
                let scheme: StaticString = "urn:uuid:"
                var end = scheme.utf8CodeUnitCount
                text.baseAddress!.initialize(from: scheme.utf8Start, count: end)
                for place in 0..<32 {
                    if place == 8 || place == 12 || place == 16 || place == 20 {
                        text[end] = UInt8(ascii: "-")
                        end += 1
                    }
                    text[end] = digits[place]
                    end += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<end]))
            }
        }
    }

    /// A moment as a FHIR `instant`: `2026-03-14T10:22:05.123Z`.
    ///
    /// Written without a formatter: on Linux every `ISO8601DateFormatter` builds an ICU date
    /// format first, which took two thirds of a CSV export and a third of a FHIR export.
    package static func instant(_ date: Date) -> String { TimeFormat.instant(date) }

    /// Returns the moment of an ISO 8601 date-time with a zone (`Z` or `±hh:mm`), with or
    /// without fractions of a second (kept to the millisecond, as the store keeps times).
    package static func parseInstant(_ text: String) -> Date? { TimeFormat.date(text) }
}
