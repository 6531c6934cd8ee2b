/// Maps calendar days to plot columns by real time, so a long gap shows as a long gap, and picks
/// the dates to label.
struct DateScale: Hashable, Sendable {
    var first: CalendarDay
    var last: CalendarDay
    /// All plot columns, including one empty column of margin at each side.
    var columns: Int

    static let margin = 1

    private var inner: Int {
        max(columns - 2 * Self.margin, 1)
    }

    /// The column of `day`; the first day is at the left margin, the last at the right.
    func column(_ day: CalendarDay) -> Int {
        let span = last.number - first.number
        guard span > 0 else { return Self.margin + (inner - 1) / 2 }
        let fraction = Double(day.number - first.number) / Double(span)
        return Self.margin + Int((fraction * Double(inner - 1)).rounded())
    }

    /// The day (with a fraction) that `column` stands for; nil when every point is on one day.
    func day(atColumn column: Int) -> Double? {
        let span = last.number - first.number
        guard span > 0, inner > 1 else { return nil }
        return Double(first.number)
            + Double(column - Self.margin) / Double(inner - 1) * Double(span)
    }

    /// Candidate days between the first and the last to label, at a calendar step (day, week,
    /// month, quarter, year…) that leaves at least `spacing` columns between labels.
    func intermediateTicks(spacing: Int) -> [CalendarDay] {
        let span = last.number - first.number
        guard span > 1 else { return [] }
        let columnsPerDay = Double(inner - 1) / Double(span)
        let steps: [Step] = [
            .days(1), .days(2), .weeks(1), .weeks(2), .months(1), .months(2), .months(3), .months(6),
            .months(12), .months(24), .months(60), .months(120), .months(600),
        ]
        let step = steps.first { $0.approximateDays * columnsPerDay >= Double(spacing) } ?? steps.last!
        var days: [CalendarDay] = []
        var day = first.number + 1
        while day < last.number {
            let candidate = CalendarDay(number: day)
            if step.includes(candidate) { days.append(candidate) }
            day += step.stride(from: candidate)
        }
        return days
    }

    private enum Step {
        case days(Int)
        case weeks(Int)
        case months(Int)

        var approximateDays: Double {
            switch self {
            case .days(let count): Double(count)
            case .weeks(let count): Double(7 * count)
            case .months(let count): 30.44 * Double(count)
            }
        }

        func includes(_ day: CalendarDay) -> Bool {
            switch self {
            case .days(let count):
                return day.number % count == 0
            case .weeks(let count):
                return day.weekday == 0 && ((day.number + 3) / 7) % count == 0
            case .months(let count):
                let civil = day.civil
                return civil.day == 1 && (civil.year * 12 + civil.month - 1) % count == 0
            }
        }

        /// How far to move from a day to the next day that may be a candidate.
        func stride(from day: CalendarDay) -> Int {
            switch self {
            case .days:
                return 1
            case .weeks:
                return day.weekday == 0 ? 7 : (7 - day.weekday)
            case .months:
                let civil = day.civil
                let next =
                    civil.month == 12
                    ? CalendarDay(year: civil.year + 1, month: 1, day: 1)
                    : CalendarDay(year: civil.year, month: civil.month + 1, day: 1)
                return next.number - day.number
            }
        }
    }
}
