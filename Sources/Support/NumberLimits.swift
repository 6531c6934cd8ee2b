/// The range of numbers Pejling stores and computes with exactly.
///
/// A `Double` holds every whole number up to 2^53 and every value with a few decimals well below
/// that; beyond, 1, 2, 3 and 7 may come back as 0, 2, 4 and 8. Instruments and journals are held
/// to bounds far inside that range, so every answer is kept as given and every total, mean and
/// change computed from them is exact enough to show.
package enum NumberLimits {
    /// The largest magnitude of an item's own numbers in an instrument definition: the minimum,
    /// maximum and step of a scale or number item, the value of a choice option.
    package static let itemValue: Double = 1_000_000

    /// The most marks (steps) one scale item may have.
    package static let scaleSteps = 100_000

    /// The largest magnitude of a number in a journal (an answer or a score), and of the numbers
    /// on a score's scale in an instrument (its range, cut-offs, thresholds, norms): a million
    /// items at the largest item value stay within it, and a score within it keeps three decimals
    /// exactly.
    package static let storedValue: Double = 1e12
}
