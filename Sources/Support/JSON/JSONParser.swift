/// A position in a text file, counted from 1 as editors show it.
package struct TextPosition: Sendable, Hashable, CustomStringConvertible {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package var description: String { "line \(line), column \(column)" }
}

/// A strict JSON parser (RFC 8259) that remembers where every value starts.
///
/// Instrument files are edited by hand, so a syntax error must name the line and column and say
/// what was expected; Foundation's parser does neither reliably across platforms.
package struct JSONParser {
    /// A syntax error at a position.
    package struct SyntaxError: Error, Sendable, Hashable {
        package var position: TextPosition
        package var message: String
        /// `message` in Danish.
        package var danishMessage: String
        /// What to do about it.
        package var fix = "correct the JSON syntax at that place (a JSON linter shows it too)"
        /// `fix` in Danish.
        package var danishFix = "ret JSON-syntaksen på det sted (en JSON-validator viser det også)"
    }

    /// The parsed document and the position of each value, keyed by JSON path ("items[2].text").
    package struct Document: Sendable {
        package var root: JSONValue
        package var positions: [String: TextPosition]
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var positions: [String: TextPosition] = [:]
    /// How many objects and arrays enclose the value being read; the parser descends recursively,
    /// so a file nested a hundred thousand deep must be refused, not overflow the stack.
    private var depth = 0

    private init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Parses a whole JSON document.
    /// - Throws: `SyntaxError` naming the first position where the text is not JSON.
    package static func parse(_ text: String) throws(SyntaxError) -> Document {
        var parser = JSONParser(text)
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        let root = try parser.parseValue(path: "")
        parser.skipWhitespace()
        if parser.index < parser.bytes.count {
            throw parser.error(
                "unexpected text after the end of the JSON document",
                da: "uventet tekst efter slutningen af JSON-dokumentet")
        }
        return Document(root: root, positions: parser.positions)
    }

    private var position: TextPosition { TextPosition(line: line, column: index - lineStart + 1) }

    /// Returns a syntax error here, in English (`message`) and Danish (`da`).
    private func error(_ message: String, da: String) -> SyntaxError {
        SyntaxError(position: position, message: message, danishMessage: da)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func parseValue(path: String) throws(SyntaxError) -> JSONValue {
        positions[path] = position
        guard let byte = current else {
            throw error(
                "expected a value, found the end of the file",
                da: "forventede en værdi, men filen slutter her")
        }
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
            guard depth < JSONLimits.maximumDepth else {
                var problem = error(
                    "objects and arrays are nested too deeply here: more than \(JSONLimits.maximumDepth) levels, the limit",
                    da:
                        "objekter og lister er indlejret for dybt her: mere end \(JSONLimits.maximumDepth) niveauer, som er grænsen"
                )
                problem.fix =
                    "instruments, FHIR resources and records nest a few levels; check that this is the file you meant"
                problem.danishFix =
                    "instrumenter, FHIR-ressourcer og registreringer er kun indlejret få niveauer; tjek, at det er den fil, du mente"
                throw problem
            }
            depth += 1
        }
        defer { if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth -= 1 } }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(path: path)
        case UInt8(ascii: "["): return try parseArray(path: path)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw error(
                "expected a value (object, array, string, number, true, false or null)",
                da: "forventede en værdi (objekt, liste, tekst, tal, true, false eller null)")
        }
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected
        else { throw error("expected '\(word)'", da: "forventede '\(word)'") }
        index += expected.count
        return value
    }

    private mutating func parseObject(path: String) throws(SyntaxError) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                throw error(
                    "expected a key in double quotes (JSON allows no trailing comma)",
                    da: "forventede en nøgle i dobbelte anførselstegn (JSON tillader ikke et komma til sidst)"
                )
            }
            let keyPosition = position
            let key = try parseString()
            if members.contains(where: { $0.key == key }) {
                throw SyntaxError(
                    position: keyPosition, message: "the key \"\(key)\" appears twice in this object",
                    danishMessage: "nøglen \"\(key)\" står to gange i dette objekt")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else {
                throw error(
                    "expected ':' after the key \"\(key)\"", da: "forventede ':' efter nøglen \"\(key)\"")
            }
            index += 1
            skipWhitespace()
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            members.append((key, try parseValue(path: childPath)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default:
                throw error(
                    "expected ',' or '}' after the value of \"\(key)\"",
                    da: "forventede ',' eller '}' efter værdien af \"\(key)\"")
            }
        }
    }

    private mutating func parseArray(path: String) throws(SyntaxError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                throw error(
                    "expected a value (JSON allows no trailing comma)",
                    da: "forventede en værdi (JSON tillader ikke et komma til sidst)")
            }
            elements.append(try parseValue(path: "\(path)[\(elements.count)]"))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw error("expected ',' or ']' in the array", da: "forventede ',' eller ']' i listen")
            }
        }
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ parser: JSONParser, upTo end: Int) {
            if end > run, let text = String(validating: parser.bytes[run..<end], as: UTF8.self) {
                scalars.append(contentsOf: text.unicodeScalars)
            }
        }
        while true {
            guard let byte = current else {
                throw error("the string is not closed with '\"'", da: "teksten er ikke afsluttet med '\"'")
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard String(validating: bytes[run..<index], as: UTF8.self) != nil else {
                    throw error("the string is not valid UTF-8", da: "teksten er ikke gyldig UTF-8")
                }
                flush(self, upTo: index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard String(validating: bytes[run..<index], as: UTF8.self) != nil else {
                    throw error("the string is not valid UTF-8", da: "teksten er ikke gyldig UTF-8")
                }
                flush(self, upTo: index)
                index += 1
                scalars.append(try parseEscape())
                run = index
            case 0x00..<0x20:
                throw error(
                    "a control character (such as a line break) inside a string must be escaped",
                    da: "et kontroltegn (fx et linjeskift) inde i en tekst skal escapes")
            default:
                index += 1
            }
        }
    }

    private mutating func parseEscape() throws(SyntaxError) -> Unicode.Scalar {
        guard let byte = current else {
            throw error("the string is not closed with '\"'", da: "teksten er ikke afsluttet med '\"'")
        }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHex4()
            if (0xD800..<0xDC00).contains(high) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count,
                    bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw error(
                        "a \\u surrogate pair is incomplete", da: "et \\u-surrogatpar er ufuldstændigt")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error("a \\u surrogate pair is invalid", da: "et \\u-surrogatpar er ugyldigt")
                }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(high) else {
                throw error("\\u escape is not a character", da: "\\u-escape er ikke et tegn")
            }
            return scalar
        default:
            throw error(
                "unknown escape '\\\(Character(Unicode.Scalar(byte)))' in a string",
                da: "ukendt escape '\\\(Character(Unicode.Scalar(byte)))' i en tekst")
        }
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexValue(byte) else {
                throw error(
                    "expected four hexadecimal digits after \\u",
                    da: "forventede fire hexadecimale cifre efter \\u")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private mutating func parseNumber() throws(SyntaxError) -> JSONValue {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        func digits(_ parser: inout JSONParser) -> Int {
            var count = 0
            while let byte = parser.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                parser.index += 1
                count += 1
            }
            return count
        }
        let integerStart = index
        let integerDigits = digits(&self)
        guard integerDigits > 0 else {
            throw error("expected digits in the number", da: "forventede cifre i tallet")
        }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
            throw error(
                "a number may not start with 0 (write 7, not 07)",
                da: "et tal må ikke begynde med 0 (skriv 7, ikke 07)")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else {
                throw error(
                    "expected digits after the decimal point", da: "forventede cifre efter decimalpunktummet")
            }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else {
                throw error("expected digits in the exponent", da: "forventede cifre i eksponenten")
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text) else {
            throw error(
                "the number \(text) is out of range", da: "tallet \(text) er uden for det mulige område")
        }
        return .number(value)
    }
}
