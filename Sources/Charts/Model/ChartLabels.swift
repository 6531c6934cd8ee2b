import Foundation

/// The words a chart uses, so the caller picks the language.
///
/// Templates use `{points}` and `{columns}` as placeholders.
package struct ChartLabels: Codable, Hashable, Sendable {
    /// The line shown instead of an empty frame when there is nothing to draw.
    package var noMeasurements: String
    /// The legend text for a flagged point.
    package var flagged: String
    /// The legend text for a cell where several series have a point.
    package var overlap: String
    /// The legend text for the mark that spans the lowest to the highest of points combined in one
    /// column.
    package var combinedRange: String
    /// The note when several points share columns: `{points}` and `{columns}` are replaced.
    package var combinedNote: String
    /// The note when every point falls in one column: `{points}` is replaced.
    package var combinedNoteOneColumn: String
    /// Twelve month abbreviations, January first, used in date labels such as "14 Mar".
    package var monthAbbreviations: [String]
    /// The decimal mark in numbers on the axis: "." in English, "," in Danish.
    package var decimalSeparator: String

    /// Creates labels.
    package init(
        noMeasurements: String, flagged: String, overlap: String, combinedRange: String,
        combinedNote: String, combinedNoteOneColumn: String, monthAbbreviations: [String],
        decimalSeparator: String
    ) {
        precondition(monthAbbreviations.count == 12, "ChartLabels needs twelve month abbreviations")
        self.noMeasurements = noMeasurements
        self.flagged = flagged
        self.overlap = overlap
        self.combinedRange = combinedRange
        self.combinedNote = combinedNote
        self.combinedNoteOneColumn = combinedNoteOneColumn
        self.monthAbbreviations = monthAbbreviations
        self.decimalSeparator = decimalSeparator
    }

    /// English words.
    package static let english = ChartLabels(
        noMeasurements: "No measurements yet.",
        flagged: "flagged",
        overlap: "several series at this point",
        combinedRange: "lowest to highest in a column",
        combinedNote: "{points} measurements shown in {columns} columns (combined: mean per column).",
        combinedNoteOneColumn: "{points} measurements on one day, shown as their mean.",
        monthAbbreviations: [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ],
        decimalSeparator: "."
    )

    /// Danish words.
    package static let danish = ChartLabels(
        noMeasurements: "Ingen målinger endnu.",
        flagged: "flag",
        overlap: "flere serier i samme punkt",
        combinedRange: "laveste til højeste i en kolonne",
        combinedNote: "{points} målinger vist i {columns} kolonner (samlet: gennemsnit pr. kolonne).",
        combinedNoteOneColumn: "{points} målinger samme dag, vist som deres gennemsnit.",
        monthAbbreviations: [
            "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
        ],
        decimalSeparator: ","
    )

    func note(points: Int, columns: Int) -> String {
        let template = columns == 1 ? combinedNoteOneColumn : combinedNote
        return
            template
            .replacingOccurrences(of: "{points}", with: String(points))
            .replacingOccurrences(of: "{columns}", with: String(columns))
    }
}
