/// Checks case ids: pseudonyms only, never a Danish CPR number.
public enum CaseID {
    /// Returns `raw` when it is a valid pseudonymous case id.
    ///
    /// A case id is 1–64 letters, digits, `-`, `_` or `.`. An id holding a Danish CPR number —
    /// `DDMMYY-NNNN`, or ten digits whose first six form a real date — is refused: health data on
    /// a citizen must not be kept under their CPR number (GDPR art. 9; pseudonymisation, art. 4(5)).
    /// - Throws: `StorageError.invalidCaseID` with the reason.
    public static func validate(_ raw: String) throws(StorageError) -> String {
        guard !raw.isEmpty else { throw .invalidCaseID(raw, reason: .empty) }
        guard raw.count <= 64 else { throw .invalidCaseID(raw, reason: .tooLong) }
        guard
            raw.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                        || "-_.".unicodeScalars.contains($0))
            })
        else {
            throw .invalidCaseID(raw, reason: .characters)
        }
        if containsCPR(raw) { throw .invalidCaseID(raw, reason: .cpr) }
        return raw
    }

    /// Whether `text` holds something shaped like a CPR number with a valid date.
    public static func containsCPR(_ text: String) -> Bool {
        let characters = Array(text.utf8)
        var index = 0
        while index < characters.count {
            guard isDigit(characters[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < characters.count, isDigit(characters[end]) { end += 1 }
            let run = Array(characters[index..<end])
            // Ten digits in a row, or six digits, a dash and four digits.
            if run.count == 10 && isCPRDate(Array(run.prefix(6))) { return true }
            if run.count == 6, end + 5 <= characters.count, characters[end] == UInt8(ascii: "-"),
                characters[(end + 1)..<(end + 5)].allSatisfy(isDigit),
                end + 5 == characters.count || !isDigit(characters[end + 5]), isCPRDate(run)
            {
                return true
            }
            index = end
        }
        return false
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// Whether six digits DDMMYY form a date; 29 February counts in every year, since the century
    /// (and so the leap year) depends on the control digits.
    private static func isCPRDate(_ digits: [UInt8]) -> Bool {
        let values = digits.map { Int($0 - 48) }
        let day = values[0] * 10 + values[1]
        let month = values[2] * 10 + values[3]
        let lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month) else { return false }
        return (1...lengths[month - 1]).contains(day)
    }
}
