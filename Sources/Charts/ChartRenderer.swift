/// Draws scores against dates as text: one or more panels stacked on a shared date axis.
///
/// Dates are spaced by real time, so a long gap between meetings shows as a long gap. Every line
/// fits within ``ChartOptions/width`` columns (one column per Unicode scalar; every symbol used is
/// single-width). When more measurements fall in one column than fit, the column shows their mean,
/// a `┆` from the lowest to the highest, and a note under the chart says how many measurements
/// were combined: points are never dropped silently. Colour, when asked for, only repeats what
/// the shapes say.
///
/// ```
/// ORS (0–40)
/// ● ORS   ▲ flagged   ── clinical cut-off 25   ░ reliable change from intake (±5)
/// 40 ┤
///    │
///    │
/// 30 ┤                                                                 ●        ●
/// 25 ├─────────────────────────────────────────────────────────●──────────────────
/// 20 ┤░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░●░░░░░░░░●░░░░░░░●░░░░░░░░░░░░░░░░░░░░░░░░░░░
///    │░●░░░░░░░░●░░░░░░░░░░░░░░░░●░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
///    │░░░░░░░░░░░░░░░░░░▲░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
/// 10 ┤
///    │
///    │
///  0 ┤
///    └─┬───────────┬────────────────┬──────────────────┬────────────────────────┬─
///    12 Jan      1 Feb            1 Mar              1 Apr                  11 May
///    2026
/// ```
package enum ChartRenderer {
    /// Returns the chart of `panels` as lines of text separated by `\n`, without a final newline.
    ///
    /// With no measurements at all, the result names each panel and says there are no
    /// measurements yet, instead of drawing an empty frame.
    ///
    /// - Parameters:
    ///   - panels: The panels, drawn top to bottom; the date axis runs under the last one with
    ///     measurements.
    ///   - options: The width, height per panel, character set, colour and words.
    package static func render(_ panels: [ChartPanel], options: ChartOptions = .default) -> String {
        ChartDrawing(options: options).render(panels)
    }
}
