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
