import Support

/// The work behind ``ChartRenderer``: layout of titles, legends, axes and notes around each
/// panel's plot.
struct ChartDrawing {
    private let options: ChartOptions
    private let glyphs: Glyphs
    private let width: Int
    private let rows: Int

    /// Columns kept free between two date labels.
    private static let labelGap = 2

    init(options: ChartOptions) {
        self.options = options
        glyphs = options.ascii ? .ascii : .unicode
        width = max(options.width, 1)
        rows = max(options.height, 3)
    }

    /// Every text the chart shows (titles, series names, notes) passes here: control characters
    /// shown visibly, then 7-bit when asked.
    private func text(_ text: String) -> String {
        let shown = TerminalText.sanitized(text)
        return options.ascii ? ChartText.ascii(shown) : shown
    }

    private func fitted(_ line: String) -> String {
        ChartText.truncate(text(line), to: width, ellipsis: glyphs.ellipsis)
    }

    func render(_ panels: [ChartPanel]) -> String {
        let days = panels.flatMap { Self.days(in: $0) }
        guard let first = days.min(), let last = days.max() else {
            var lines: [StyledLine] = []
            for panel in panels where !panel.title.isEmpty {
                lines.append(StyledLine(fitted(panel.title)))
            }
            lines.append(StyledLine(fitted(options.labels.noMeasurements)))
            return finish(lines)
        }

        let scales = panels.map { ValueScale(range: $0.yRange, rows: rows, cutoff: $0.cutoff?.value) }
        let axisLabels = zip(panels, scales).map { panel, scale in
            Self.days(in: panel).isEmpty ? [:] : rowLabels(scale)
        }
        let gutter = axisLabels.flatMap(\.values).map(ChartText.width).max() ?? 1
        let plotColumns = max(width - gutter - 2, 3)
        let dates = DateScale(first: first, last: last, columns: plotColumns)
        let dateLabels = placeDateLabels(dates, origin: gutter + 2)
        let lastPlotted = panels.lastIndex { !Self.days(in: $0).isEmpty }
        let plotted = panels.filter { !Self.days(in: $0).isEmpty }.count

        var lines: [StyledLine] = []
        var notes: [StyledLine] = []
        for (index, panel) in panels.enumerated() {
            if index > 0 { lines.append(StyledLine()) }
            if !panel.title.isEmpty { lines.append(StyledLine(fitted(panel.title))) }
            guard !Self.days(in: panel).isEmpty else {
                lines.append(StyledLine(fitted(options.labels.noMeasurements)))
                continue
            }
            let plot = PanelPlot(panel: panel, values: scales[index], dates: dates, glyphs: glyphs)
            lines += legend(panel, plot: plot)
            lines += plotLines(plot, scale: scales[index], labels: axisLabels[index], gutter: gutter)
            lines.append(baseline(gutter: gutter, columns: plotColumns, ticks: dateLabels.map(\.column)))
            if index == lastPlotted {
                lines += dateLabelLines(dateLabels)
            }
            if plot.combined {
                let note = options.labels.note(points: plot.pointCount, columns: plot.occupiedColumns)
                let prefix = plotted > 1 && !panel.title.isEmpty ? panel.title + ": " : ""
                notes += wrapped(text(prefix + note))
            }
        }
        return finish(lines + notes)
    }

    private func finish(_ lines: [StyledLine]) -> String {
        lines.map { $0.rendered(width: width, color: options.color) }.joined(separator: "\n")
    }

    private static func days(in panel: ChartPanel) -> [CalendarDay] {
        panel.series.flatMap { series in
            series.points.filter(\.value.isFinite).map { CalendarDay($0.date) }
        }
    }

    // MARK: Value axis

    /// The text beside each labelled row: round ticks, the ends of the range, and the cut-off.
    private func rowLabels(_ scale: ValueScale) -> [Int: String] {
        let separator = options.labels.decimalSeparator
        var labels: [Int: String] = [:]
        for tick in scale.ticks() {
            labels[tick.row] = ChartText.number(tick.value, decimalSeparator: separator)
        }
        if let cutoff = scale.cutoff, let row = scale.cutoffRow {
            labels[row] = ChartText.number(cutoff, decimalSeparator: separator)
        }
        return labels.mapValues(text)
    }

    private func plotLines(
        _ plot: PanelPlot, scale: ValueScale, labels: [Int: String], gutter: Int
    ) -> [StyledLine] {
        (0..<rows).reversed().map { row in
            let label = labels[row] ?? ""
            var line = StyledLine(
                String(repeating: " ", count: gutter - ChartText.width(label)) + label + " ")
            if row == scale.cutoffRow {
                line.append(glyphs.axisCutoff, ink: .cutoff)
            } else {
                line.append(labels[row] == nil ? glyphs.axis : glyphs.axisTick)
            }
            line.cells += plot.grid[row]
            return line
        }
    }

    // MARK: Date axis

    private struct DateLabel {
        var day: CalendarDay
        var column: Int
        var start: Int
        var text: String

        var end: Int { start + ChartText.width(text) - 1 }
    }

    private func dateText(_ day: CalendarDay) -> String {
        let civil = day.civil
        let months = options.labels.monthAbbreviations
        let month = months.indices.contains(civil.month - 1) ? months[civil.month - 1] : "/\(civil.month)"
        return text("\(civil.day) \(month)")
    }

    /// The dates to label: always the first and the last measurement, then calendar steps between
    /// them where they fit without crowding.
    private func placeDateLabels(_ dates: DateScale, origin: Int) -> [DateLabel] {
        let longest = options.labels.monthAbbreviations.map { ChartText.width(text($0)) }.max() ?? 3
        let spacing = longest + 3 + Self.labelGap + 2
        var candidates = [dates.first]
        if dates.last != dates.first { candidates.append(dates.last) }
        candidates += dates.intermediateTicks(spacing: spacing)

        var placed: [DateLabel] = []
        for day in candidates {
            let label = dateText(day)
            let length = ChartText.width(label)
            let column = dates.column(day)
            let centred = origin + column - (length - 1) / 2
            let start = max(min(centred, width - length), 0)
            let candidate = DateLabel(day: day, column: column, start: start, text: label)
            let crowded = placed.contains {
                candidate.start <= $0.end + Self.labelGap && $0.start <= candidate.end + Self.labelGap
            }
            if !crowded { placed.append(candidate) }
        }
        return placed.sorted { $0.day < $1.day }
    }

    private func baseline(gutter: Int, columns: Int, ticks: [Int]) -> StyledLine {
        var line = StyledLine(String(repeating: " ", count: gutter + 1))
        line.append(glyphs.corner)
        var cells = Array(repeating: glyphs.baseline, count: columns)
        for tick in ticks where cells.indices.contains(tick) {
            cells[tick] = glyphs.baselineTick
        }
        for scalar in cells { line.append(scalar) }
        return line
    }

    /// The date labels and, under the first label of each year, the year.
    private func dateLabelLines(_ labels: [DateLabel]) -> [StyledLine] {
        var dayLine = StyledLine()
        var yearLine = StyledLine()
        var previousYear: Int?
        for label in labels {
            dayLine.write(label.text, at: label.start)
            let year = label.day.civil.year
            if year != previousYear {
                yearLine.write(String(year), at: label.start)
                previousYear = year
            }
        }
        return [dayLine, yearLine]
    }

    // MARK: Legend

    private func legend(_ panel: ChartPanel, plot: PanelPlot) -> [StyledLine] {
        var items: [StyledLine] = []
        func item(_ symbol: Unicode.Scalar, _ ink: Ink, _ words: String, doubled: Bool = false) {
            var line = StyledLine()
            line.append(symbol, ink: ink)
            if doubled { line.append(symbol, ink: ink) }
            line.append(" " + text(words))
            items.append(line)
        }
        let named = panel.series.count > 1 || panel.series.contains { !$0.name.isEmpty }
        if named {
            for (index, series) in panel.series.enumerated() {
                item(glyphs.marker(index), .series(index), series.name)
            }
        }
        if plot.contains(glyphs.flagged) { item(glyphs.flagged, .flagged, options.labels.flagged) }
        if plot.contains(glyphs.overlap) { item(glyphs.overlap, .overlap, options.labels.overlap) }
        if plot.contains(glyphs.range) { item(glyphs.range, .range(0), options.labels.combinedRange) }
        if let cutoff = panel.cutoff, plot.contains(glyphs.cutoff) {
            item(glyphs.cutoff, .cutoff, cutoff.label, doubled: true)
        }
        if let band = panel.reliableBand, plot.contains(glyphs.reliable) {
            item(glyphs.reliable, .reliable, band.label)
        }
        if let band = panel.expectedBand, plot.contains(glyphs.expected) {
            item(glyphs.expected, .expected, band.label)
        }
        return flow(items)
    }

    /// Joins items with three spaces, starting a new line where the next would not fit.
    private func flow(_ items: [StyledLine]) -> [StyledLine] {
        var lines: [StyledLine] = []
        var current = StyledLine()
        for var item in items {
            if item.width > width {
                item.cells = Array(item.cells.prefix(max(width - glyphs.ellipsis.unicodeScalars.count, 0)))
                item.append(glyphs.ellipsis)
            }
            if current.width > 0, current.width + 3 + item.width > width {
                lines.append(current)
                current = StyledLine()
            }
            if current.width > 0 { current.append("   ") }
            current.cells += item.cells
        }
        if current.width > 0 { lines.append(current) }
        return lines
    }

    /// Splits text into lines of at most `width` columns at spaces.
    private func wrapped(_ text: String) -> [StyledLine] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if current.isEmpty {
                current = word
            } else if ChartText.width(current) + 1 + ChartText.width(word) <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { StyledLine(ChartText.truncate($0, to: width, ellipsis: glyphs.ellipsis)) }
    }
}
