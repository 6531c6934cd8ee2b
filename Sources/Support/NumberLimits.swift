/// The range of numbers Pejling stores and computes with exactly.
///
/// A `Double` holds every whole number up to 2^53 and every value with a few decimals well below
/// that; beyond, 1, 2, 3 and 7 may come back as 0, 2, 4 and 8. Instruments and journals are held
/// to bounds far inside that range, so every answer is kept as given and every total, mean and
/// change computed from them is exact enough to show.
public enum NumberLimits {
    /// The largest magnitude of any number in an instrument definition: item ranges, steps, option
    /// values, cut-offs, change thresholds, goal ratings.
    public static let instrumentValue: Double = 1_000_000

    /// The most marks (steps) one numeric item's scale may have.
    public static let scaleSteps = 100_000

    /// The largest magnitude of a number in a journal (an answer or a score); a million items at
    /// the largest instrument value stay within it.
    public static let storedValue: Double = 1e12
}
