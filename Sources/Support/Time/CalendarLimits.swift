/// The calendar years Pejling handles.
///
/// Meetings are dated by day; reports count days, months and quarters from them. A year outside
/// this range in a journal (`0000-01-01`, a typo for 2026) is refused as a broken line rather than
/// giving charts a century-wide axis.
package enum CalendarLimits {
    /// The years a meeting may be dated in.
    package static let years = 1900...2200

    /// Whether `year`-`month`-`day` is a real date (no 30 February, no month 13) in `years`.
    package static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard years.contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}
