/// What a symbol means, so colour (when asked for) can repeat it.
enum Ink: Hashable, Sendable {
    case plain
    case series(Int)
    case range(Int)
    case flagged
    case overlap
    case cutoff
    case reliable
    case expected

    /// The ANSI SGR parameters; colour only ever repeats what the shape already says.
    var sgr: String? {
        let palette = ["34", "35", "36", "32", "94", "95"]
        switch self {
        case .plain: return nil
        case .series(let index): return palette[index % palette.count]
        case .range(let index): return "2;" + palette[index % palette.count]
        case .flagged: return "1;31"
        case .overlap: return "1"
        case .cutoff: return "33"
        case .reliable: return "90"
        case .expected: return "2"
        }
    }
}

/// One output line as cells of one Unicode scalar each, so width is counted exactly.
struct StyledLine: Sendable {
    struct Cell: Hashable, Sendable {
        var scalar: Unicode.Scalar
        var ink: Ink
    }

    var cells: [Cell] = []

    init() {}

    init(_ text: String, ink: Ink = .plain) {
        append(text, ink: ink)
    }

    init(blank width: Int) {
        cells = Array(repeating: Cell(scalar: " ", ink: .plain), count: max(width, 0))
    }

    var width: Int { cells.count }

    mutating func append(_ text: String, ink: Ink = .plain) {
        cells += text.unicodeScalars.map { Cell(scalar: $0, ink: ink) }
    }

    mutating func append(_ scalar: Unicode.Scalar, ink: Ink = .plain) {
        cells.append(Cell(scalar: scalar, ink: ink))
    }

    /// Writes `text` starting at `column`, growing the line with spaces if needed.
    mutating func write(_ text: String, at column: Int, ink: Ink = .plain) {
        let scalars = Array(text.unicodeScalars)
        if cells.count < column + scalars.count {
            cells += Array(
                repeating: Cell(scalar: " ", ink: .plain), count: column + scalars.count - cells.count)
        }
        for (offset, scalar) in scalars.enumerated() {
            cells[column + offset] = Cell(scalar: scalar, ink: ink)
        }
    }

    /// The text, cut to `width` cells, without trailing spaces, with SGR codes when `color`.
    func rendered(width: Int, color: Bool) -> String {
        var kept = Array(cells.prefix(max(width, 0)))
        while let last = kept.last, last.scalar == " " { kept.removeLast() }
        var text = ""
        var current: Ink = .plain
        for cell in kept {
            if color, cell.ink != current {
                if current.sgr != nil { text += "\u{1B}[0m" }
                if let sgr = cell.ink.sgr { text += "\u{1B}[\(sgr)m" }
                current = cell.ink
            }
            text.unicodeScalars.append(cell.scalar)
        }
        if color, current.sgr != nil { text += "\u{1B}[0m" }
        return text
    }
}
