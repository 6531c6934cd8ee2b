/// Turns numbers into text without ever trapping.
///
/// Scores, answers and instrument values come from files people edit and journals Pejling does not
/// control. `String(Int(value))` traps on a value beyond `Int`'s range, NaN or infinity, and a
/// report that traps stays broken until the data changes; every renderer of a number goes through
/// this type instead.
package enum NumberText {
    /// The magnitude below which a whole number is written with all its digits (`1000000000000`):
    /// 2^53. From here on a `Double` no longer holds every whole number exactly, so such values
    /// are written in exponent form (`1e+19`), which claims no digits the value does not have.
    package static let largestPlainWhole: Double = 9_007_199_254_740_992

    /// Returns the shortest text that reads back as `value`: whole numbers without a decimal point
    /// (`5`, not `5.0`; `-0` as `0`), others as Swift prints them (`2.5`, `0.1`), huge or tiny ones
    /// in exponent form (`1e+19`, `1e-07`), and `nan`, `inf`, `-inf` for the values that are not
    /// finite.
    package static func shortest(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        if value == value.rounded() && abs(value) < largestPlainWhole {
            return String(Int64(value))
        }
        return String(describing: value)
    }

    /// Appends the UTF-8 of `shortest(value)` to `out`: whole numbers and numbers of one decimal
    /// (nearly every answer and score) digit by digit, without making a `String`.
    package static func appendShortest(_ value: Double, to out: inout [UInt8]) {
        // Below a billion a number of one decimal has no shorter form, and Swift prints it as it is.
        if abs(value) < 1e9 {
            if value == value.rounded() {
                appendInteger(Int64(value), to: &out)
                return
            }
            let tenths = (value * 10).rounded()
            if tenths / 10 == value {
                let scaled = Int64(tenths)
                if scaled < 0 { out.append(UInt8(ascii: "-")) }
                appendInteger(Int64(scaled.magnitude / 10), to: &out)
                out.append(UInt8(ascii: "."))
                out.append(UInt8(ascii: "0") + UInt8(scaled.magnitude % 10))
                return
            }
        }
        out.append(contentsOf: shortest(value).utf8)
    }

    /// Appends the decimal digits of `value` (with a leading `-` when negative), as `String(value)`.
    package static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// Returns `value` rounded half away from zero to `decimals` places, as `shortest(_:)` writes
    /// it, with `decimalSeparator` as the decimal mark (`","` in Danish).
    package static func rounded(_ value: Double, decimals: Int, decimalSeparator: String = ".") -> String {
        let text = shortest(round(value, decimals: decimals))
        guard decimalSeparator != ".", text.contains(".") else { return text }
        var out = ""
        for character in text {
            if character == "." { out += decimalSeparator } else { out.append(character) }
        }
        return out
    }

    /// Returns `value` rounded half away from zero to `decimals` places; a value too large to have
    /// decimals, or one that is not finite, is returned as it is.
    package static func round(_ value: Double, decimals: Int) -> Double {
        guard value.isFinite, abs(value) < largestPlainWhole else { return value }
        var factor = 1.0
        for _ in 0..<max(0, decimals) { factor *= 10 }
        let scaled = value * factor
        guard abs(scaled) < 9e15 else { return value }
        return scaled.rounded(.toNearestOrAwayFromZero) / factor
    }
}
