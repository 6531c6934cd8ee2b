extension Int {
    /// Creates the whole number nearest `value` toward zero, as `Int(_:)` does, but never traps:
    /// a value beyond `Int`'s range becomes `Int.max` or `Int.min`, and NaN becomes 0.
    ///
    /// For chart positions, days and counts computed from data: a score of 1e308 in a journal must
    /// draw at the edge of a chart, not stop the program.
    package init(saturating value: Double) {
        // 2^63 is the first Double above Int.max; -2^63 is Int.min exactly.
        let limit = 9_223_372_036_854_775_808.0
        if value.isNaN {
            self = 0
        } else if value >= limit {
            self = .max
        } else if value < -limit {
            self = .min
        } else {
            self = Int(value)
        }
    }
}
