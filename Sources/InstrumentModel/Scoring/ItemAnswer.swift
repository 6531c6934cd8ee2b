import Support

/// An answer to one item.
package enum ItemAnswer: Sendable, Hashable {
    case number(Double)
    case text(String)
    /// The respondent chose not to answer (allowed only for optional items).
    case skipped

    /// The number, if the answer is one.
    package var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}

/// Why a typed answer was not accepted; the session layer words it in the respondent's language.
package enum AnswerRejection: Error, Sendable, Hashable {
    /// Not a number at all.
    case notANumber
    /// Outside the item's range.
    case outOfRange(min: Double, max: Double)
    /// Between two marks of the scale.
    case offStep(step: Double)
    /// A decimal where only whole numbers are accepted.
    case notWhole
    /// Matches no option.
    case noSuchOption
    /// Matches the start of more than one option's label.
    case ambiguousOption(matches: [String])
    /// Longer than the item allows.
    case tooLong(max: Int)
    /// Empty where an answer is needed.
    case empty
}

extension ItemKind {
    /// Returns the answer typed as `input`, or why it is not accepted.
    ///
    /// Numbers accept a decimal point or the Danish decimal comma (`7,5`). A choice accepts the
    /// option's key as shown (its value) or the start of its label in `language`.
    package func parse(_ input: String, language: Language) -> Result<ItemAnswer, AnswerRejection> {
        let trimmed = String(input.trimmingWhitespace())
        switch self {
        case .text(let maxLength):
            guard !trimmed.isEmpty else { return .failure(.empty) }
            guard trimmed.count <= maxLength else { return .failure(.tooLong(max: maxLength)) }
            return .success(.text(trimmed))
        case .scale(let scale):
            return Self.parseNumber(trimmed).flatMap { value in
                Self.check(value, min: scale.min, max: scale.max).flatMap { value in
                    let steps = (value - scale.min) / scale.step
                    guard abs(steps - steps.rounded()) < 1e-6 else {
                        return .failure(.offStep(step: scale.step))
                    }
                    return .success(.number(roundToStep(value, min: scale.min, step: scale.step)))
                }
            }
        case .number(let range):
            return Self.parseNumber(trimmed).flatMap { value in
                Self.check(value, min: range.min, max: range.max).flatMap { value in
                    guard !range.integer || value == value.rounded() else { return .failure(.notWhole) }
                    return .success(.number(value))
                }
            }
        case .choice(let options):
            guard !trimmed.isEmpty else { return .failure(.empty) }
            let keys = Self.choiceKeys(options)
            if let index = keys.firstIndex(of: trimmed) {
                return .success(.number(options[index].value))
            }
            if let value = Self.parseNumber(trimmed).success,
                let option = options.first(where: { $0.value == value }),
                keys == options.map({ format($0.value) })
            {
                return .success(.number(option.value))
            }
            let lowered = trimmed.lowercased()
            let matches = options.filter { $0.label[language].lowercased().hasPrefix(lowered) }
            if matches.count == 1 { return .success(.number(matches[0].value)) }
            if matches.count > 1 {
                return .failure(.ambiguousOption(matches: matches.map { $0.label[language] }))
            }
            return .failure(.noSuchOption)
        }
    }

    /// The keys a respondent types for the options: their values when those are distinct whole
    /// numbers (as printed on most paper forms), else their positions from 1.
    package static func choiceKeys(_ options: [ChoiceOption]) -> [String] {
        let values = options.map(\.value)
        if values.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e9 }) && Set(values).count == values.count {
            return values.map { format($0) }
        }
        return options.indices.map { String($0 + 1) }
    }

    private static func parseNumber(_ text: String) -> Result<Double, AnswerRejection> {
        guard !text.isEmpty else { return .failure(.empty) }
        let normalized = text.withDecimalPoint()
        let allowed = normalized.unicodeScalars.allSatisfy {
            ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == "+"
        }
        guard allowed, let value = Double(normalized), value.isFinite else { return .failure(.notANumber) }
        return .success(value)
    }

    private static func check(_ value: Double, min: Double, max: Double) -> Result<Double, AnswerRejection> {
        guard value >= min - 1e-9, value <= max + 1e-9 else {
            return .failure(.outOfRange(min: min, max: max))
        }
        return .success(Swift.min(Swift.max(value, min), max))
    }
}

/// Returns `value` on the nearest mark of a scale, removing binary rounding noise (7.5 stays 7.5).
func roundToStep(_ value: Double, min: Double, step: Double) -> Double {
    let steps = ((value - min) / step).rounded()
    let decimals = decimalPlaces(step)
    return roundTo(min + steps * step, decimals: decimals)
}

/// Rounds half away from zero to `decimals` places.
package func roundTo(_ value: Double, decimals: Int) -> Double {
    NumberText.round(value, decimals: decimals)
}

func pow10(_ exponent: Int) -> Double {
    (0..<exponent).reduce(1.0) { value, _ in value * 10 }
}

/// How many decimals a step such as 0.1 or 0.25 has.
func decimalPlaces(_ step: Double) -> Int {
    for places in 0...6 where abs(step * pow10(places) - (step * pow10(places)).rounded()) < 1e-9 {
        return places
    }
    return 6
}

extension Result {
    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}

extension String {
    func withDecimalPoint() -> String {
        String(map { $0 == "," ? "." : $0 })
    }
}
