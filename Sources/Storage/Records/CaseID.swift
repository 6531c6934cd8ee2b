/// Checks case ids: pseudonyms only, never a Danish CPR number.
package enum CaseID {
    /// Returns `raw` when it is a valid pseudonymous case id.
    ///
    /// A case id is 1–64 letters, digits, `-`, `_` or `.`. An id holding a Danish CPR number
    /// (see `containsCPR(_:)`) is refused: health data on a citizen must not be kept under their
    /// CPR number (GDPR art. 9; pseudonymisation, art. 4(5)).
    /// - Throws: `StorageError.invalidCaseID` with the reason.
    package static func validate(_ raw: String) throws(StorageError) -> String {
        guard !raw.isEmpty else { throw .invalidCaseID(raw, reason: .empty) }
        // First, so that a CPR number is named as such however else the id is wrong.
        if containsCPR(raw) { throw .invalidCaseID(raw, reason: .cpr) }
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
        return raw
    }

    /// Whether `text` holds a Danish CPR number: ten digits whose first six form a date DDMMYY,
    /// however they are punctuated and wherever they stand.
    ///
    /// People write CPR numbers as `010190-1234`, `0101901234`, `010190 1234`, `01.01.90-1234`,
    /// `01-01-90-1234`, `010190_1234` or `010190--1234`, and paste them into longer ids
    /// (`K-010190-1234`, `case0101901234x`) or with more digits after them (`01019012345`). So the
    /// digits are read in groups, a group being digits with no separator between them: starting at
    /// the first digit of every group, the next ten digits are taken, across any separators
    /// (characters other than letters and digits) but never across a letter; when the first six
    /// of them form a date, the text is refused. The control digits are not checked: CPR numbers
    /// issued since 2007 need not pass the old modulus-11 test. An id that merely starts a group
    /// with a date-shaped run of ten digits (`K-100123-4567`) is refused too: it is shaped like a
    /// CPR number, and a pseudonym never needs to be.
    package static func containsCPR(_ text: String) -> Bool {
        let characters = Array(text.utf8)
        var index = 0
        while index < characters.count {
            let byte = characters[index]
            let startsGroup = isDigit(byte) && (index == 0 || !isDigit(characters[index - 1]))
            if startsGroup, let digits = tenDigits(characters, from: index), isCPRDate(digits) {
                return true
            }
            index += 1
        }
        return false
    }

    /// The ten digits from `start` on, skipping separators, or nil when a letter or the end of the
    /// text comes first.
    private static func tenDigits(_ characters: [UInt8], from start: Int) -> [UInt8]? {
        var digits: [UInt8] = []
        var index = start
        while digits.count < 10, index < characters.count {
            let byte = characters[index]
            if isDigit(byte) {
                digits.append(byte)
            } else if isLetter(byte) {
                return nil
            }
            index += 1
        }
        return digits.count == 10 ? digits : nil
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte >= 0x80
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
