/// The plot area of one panel: a grid of cells (row 0 at the bottom) with the bands, the cut-off
/// and the series drawn in, and what was combined.
struct PanelPlot: Sendable {
    typealias Cell = StyledLine.Cell

    /// `grid[row][column]`, row 0 at the bottom.
    private(set) var grid: [[Cell]]
    /// The measurements drawn.
    private(set) var pointCount = 0
    /// The columns holding at least one measurement.
    private(set) var occupiedColumns = 0
    /// Whether some column holds more than one measurement of one series, shown as their mean.
    private(set) var combined = false

    init(panel: ChartPanel, values: ValueScale, dates: DateScale, glyphs: Glyphs) {
        let blank = Cell(scalar: " ", ink: .plain)
        grid = Array(repeating: Array(repeating: blank, count: dates.columns), count: values.rows)

        if let band = panel.reliableBand {
            for column in 0..<dates.columns {
                guard let bounds = Self.bounds(of: band, atColumn: column, dates: dates) else { continue }
                let rows = Self.ordered(values.row(bounds.low), values.row(bounds.high))
                for row in rows.low...rows.high {
                    grid[row][column] = Cell(scalar: glyphs.reliable, ink: .reliable)
                }
            }
        }
        if let band = panel.expectedBand {
            for column in 0..<dates.columns {
                guard let bounds = Self.bounds(of: band, atColumn: column, dates: dates) else { continue }
                for row in [values.row(bounds.low), values.row(bounds.high)] {
                    grid[row][column] = Cell(scalar: glyphs.expected, ink: .expected)
                }
            }
        }
        if let row = values.cutoffRow {
            for column in 0..<dates.columns {
                grid[row][column] = Cell(scalar: glyphs.cutoff, ink: .cutoff)
            }
        }
        drawSeries(panel.series, values: values, dates: dates, glyphs: glyphs)
    }

    /// Whether `scalar` appears anywhere in the plot, so the legend explains only what is drawn.
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        grid.contains { row in row.contains { $0.scalar == scalar } }
    }

    private struct Mark {
        var series: [Int] = []
        var flagged = false
    }

    private mutating func drawSeries(
        _ series: [ChartSeries], values: ValueScale, dates: DateScale, glyphs: Glyphs
    ) {
        var marks: [Int: Mark] = [:]
        var columns = Set<Int>()
        for (index, line) in series.enumerated() {
            var byColumn: [Int: [ChartPoint]] = [:]
            for point in line.points where point.value.isFinite {
                byColumn[dates.column(CalendarDay(point.date)), default: []].append(point)
            }
            for column in byColumn.keys.sorted() {
                let points = byColumn[column]!
                pointCount += points.count
                columns.insert(column)
                let scores = points.map(\.value)
                let mean = scores.reduce(0, +) / Double(scores.count)
                let row = values.row(mean)
                if points.count > 1 {
                    combined = true
                    let rows = Self.ordered(values.row(scores.min()!), values.row(scores.max()!))
                    for spanned in rows.low...rows.high where spanned != row {
                        grid[spanned][column] = Cell(scalar: glyphs.range, ink: .range(index))
                    }
                }
                let key = row * dates.columns + column
                marks[key, default: Mark()].series.append(index)
                if points.contains(where: \.flagged) { marks[key]!.flagged = true }
            }
        }
        occupiedColumns = columns.count
        for (key, mark) in marks {
            let row = key / dates.columns
            let column = key % dates.columns
            if mark.flagged {
                grid[row][column] = Cell(scalar: glyphs.flagged, ink: .flagged)
            } else if mark.series.count > 1 {
                grid[row][column] = Cell(scalar: glyphs.overlap, ink: .overlap)
            } else {
                grid[row][column] = Cell(scalar: glyphs.marker(mark.series[0]), ink: .series(mark.series[0]))
            }
        }
    }

    private static func ordered(_ first: Int, _ second: Int) -> (low: Int, high: Int) {
        (min(first, second), max(first, second))
    }

    /// The band's low and high in `column`, or nil where the band is not drawn.
    private static func bounds(
        of band: ChartBand, atColumn column: Int, dates: DateScale
    ) -> (low: Double, high: Double)? {
        switch band.extent {
        case .constant(let low, let high):
            guard low.isFinite, high.isFinite else { return nil }
            return (low, high)
        case .varying(let points):
            let known = points.filter { $0.low.isFinite && $0.high.isFinite }
                .map { (day: Double(CalendarDay($0.date).number), low: $0.low, high: $0.high) }
                .sorted { $0.day < $1.day }
            guard let first = known.first, let last = known.last else { return nil }
            let firstColumn = dates.column(CalendarDay(number: Int(first.day)))
            let lastColumn = dates.column(CalendarDay(number: Int(last.day)))
            guard firstColumn <= column, column <= lastColumn else { return nil }
            let day = min(max(dates.day(atColumn: column) ?? Double(dates.first.number), first.day), last.day)
            guard let after = known.firstIndex(where: { $0.day >= day }) else { return (last.low, last.high) }
            let right = known[after]
            guard after > 0, right.day > known[after - 1].day else { return (right.low, right.high) }
            let left = known[after - 1]
            let fraction = (day - left.day) / (right.day - left.day)
            return (
                left.low + (right.low - left.low) * fraction,
                left.high + (right.high - left.high) * fraction
            )
        }
    }
}
