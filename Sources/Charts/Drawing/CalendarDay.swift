import Foundation
import Support

/// A day in the proleptic Gregorian calendar in UTC, counted from 1970-01-01.
///
/// The arithmetic is Support's `GregorianDays`, so the module never depends on a time zone or a
/// locale; dates are computed here, never read, so any year is taken.
struct CalendarDay: Hashable, Comparable, Sendable {
    var number: Int

    init(number: Int) {
        self.number = number
    }

    /// The UTC day that contains `date`.
    init(_ date: Date) {
        number = Day(date).number
    }

    init(year: Int, month: Int, day: Int) {
        number = GregorianDays.number(year: year, month: month, day: day)
    }

    var civil: (year: Int, month: Int, day: Int) {
        GregorianDays.civil(number)
    }

    /// Monday is 0.
    var weekday: Int {
        ((number + 3) % 7 + 7) % 7
    }

    static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        lhs.number < rhs.number
    }
}
