/// Day numbers of the proleptic Gregorian calendar, counted from 1970-01-01: the one place the
/// calendar arithmetic is written (Howard Hinnant's `days_from_civil` and `civil_from_days`).
///
/// The arithmetic takes any year and checks nothing, for dates that are computed (the first of
/// next month on a chart's axis, the day of a moment). Dates read from people or files are
/// checked first by `CalendarLimits.isValid`, the one rule for those (see `Day(iso:)` and
/// `TimeFormat.date(_:)`).
package enum GregorianDays {
    /// Returns the number of days from 1970-01-01 to `year`-`month`-`day` (negative before).
    ///
    /// A day past the end of its month counts on into the next (31 February is 3 March).
    package static func number(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Returns the year, month and day of day `number`, computed without a Calendar: reports call
    /// it for every administration.
    package static func civil(_ number: Int) -> (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
