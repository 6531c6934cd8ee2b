/// The symbols one chart is drawn with: Unicode box drawing by default, or 7-bit ASCII that means
/// the same. Every symbol is one Unicode scalar wide.
struct Glyphs: Hashable, Sendable {
    var axis: Unicode.Scalar
    var axisTick: Unicode.Scalar
    var axisCutoff: Unicode.Scalar
    var corner: Unicode.Scalar
    var baseline: Unicode.Scalar
    var baselineTick: Unicode.Scalar
    var cutoff: Unicode.Scalar
    var reliable: Unicode.Scalar
    var expected: Unicode.Scalar
    var range: Unicode.Scalar
    var flagged: Unicode.Scalar
    var overlap: Unicode.Scalar
    var markers: [Unicode.Scalar]
    var ellipsis: String

    func marker(_ series: Int) -> Unicode.Scalar {
        markers[series % markers.count]
    }

    static let unicode = Glyphs(
        axis: "│", axisTick: "┤", axisCutoff: "├", corner: "└", baseline: "─", baselineTick: "┬",
        cutoff: "─", reliable: "░", expected: "·", range: "┆", flagged: "▲", overlap: "◎",
        markers: ["●", "◆", "■", "○", "◇", "□"], ellipsis: "…")

    static let ascii = Glyphs(
        axis: "|", axisTick: "+", axisCutoff: "+", corner: "+", baseline: "-", baselineTick: "+",
        cutoff: "-", reliable: ".", expected: "~", range: ":", flagged: "!", overlap: "&",
        markers: ["*", "o", "#", "x", "%", "@"], ellipsis: "...")
}
