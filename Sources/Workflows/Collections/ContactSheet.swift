import Foundation
import Vips

/// A contact sheet made with the library: every image as a thumbnail in a grid, models as a
/// labelled tile. Blocking libvips work: run it on the image workers.
struct ContactSheet {
    /// What one cell shows.
    enum Cell: Sendable {
        case image(Data)
        case model(String)
    }

    /// Most cells drawn; the rest are left out (the sheet says so in its caller's listing).
    static let maximumCells = 1_000

    let cells: [Cell]

    /// A JPEG sheet: cells fit in a square whose side shrinks as the sheet grows, up to 10 per row.
    func jpeg() throws -> Data {
        let shown = Array(cells.prefix(Self.maximumCells))
        guard !shown.isEmpty else { throw WorkflowError(.invalidParams, "a contact sheet needs at least one image or model") }
        let side = shown.count <= 16 ? 256 : shown.count <= 100 ? 160 : 96
        let columns = min(10, Int(Double(shown.count).squareRoot().rounded(.up)))
        let tiles = try shown.map { cell -> Image in
            switch cell {
            case .image(let data):
                return try Image.thumbnail(data: data, width: side, options: ThumbnailOptions(height: side, resizing: .downOnly)).flatten(background: .white)
            case .model(let name):
                let tile = try RarityChart.block(width: side, height: side, colour: Colour(red: 60, green: 60, blue: 72))
                let label = try Image.text("LoRA\n" + name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;"),
                                           font: "sans 12", width: side - 16, alignment: .centre, colour: .white)
                return try tile.composite(label, at: .centre)
            }
        }
        return try Image.grid(tiles, columns: columns, spacing: 8, background: .white).data(format: .jpeg)
    }
}
