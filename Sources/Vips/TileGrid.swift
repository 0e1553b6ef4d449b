/// A cover of an image by overlapping square-ish tiles, for processing large images in pieces
/// (tiled upscaling through ComfyUI) and joining the results with ``Image/join(tiles:grid:scale:)``.
///
/// Tiles are spread evenly along each axis, so every tile is full size (`tileSize` on each side,
/// unless the image is smaller) and neighbours share at least `overlap` pixels.
public struct TileGrid: Sendable, Equatable, Codable {
    /// One tile: its place in the grid and its box in the source image.
    public struct Tile: Sendable, Equatable, Codable {
        public var column: Int
        public var row: Int
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int

        public init(column: Int, row: Int, x: Int, y: Int, width: Int, height: Int) {
            self.column = column
            self.row = row
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    public let width: Int
    public let height: Int
    public let tileSize: Int
    public let overlap: Int
    /// Start of each column of tiles, left to right.
    public let columnStarts: [Int]
    /// Start of each row of tiles, top to bottom.
    public let rowStarts: [Int]

    /// Plans the tiles of a `width` × `height` image.
    ///
    /// - Parameters:
    ///   - overlap: pixels neighbours share at least, `0 ≤ overlap < tileSize / 2`.
    public init(width: Int, height: Int, tileSize: Int, overlap: Int) throws {
        guard width > 0, height > 0 else {
            throw VipsError.invalidArgument("tiles", "expected a positive image size but received \(width)×\(height)")
        }
        guard tileSize >= 8, overlap >= 0, overlap * 2 < tileSize else {
            throw VipsError.invalidArgument("tiles",
                "expected a tile size ≥ 8 and an overlap below half of it but received \(tileSize) and \(overlap)")
        }
        self.width = width
        self.height = height
        self.tileSize = tileSize
        self.overlap = overlap
        columnStarts = Self.starts(length: width, tile: tileSize, overlap: overlap)
        rowStarts = Self.starts(length: height, tile: tileSize, overlap: overlap)
    }

    public var columns: Int { columnStarts.count }
    public var rows: Int { rowStarts.count }

    /// Every tile, row by row.
    public var tiles: [Tile] {
        rowStarts.enumerated().flatMap { row, y in
            columnStarts.enumerated().map { column, x in
                Tile(column: column, row: row, x: x, y: y,
                     width: min(tileSize, width), height: min(tileSize, height))
            }
        }
    }

    /// The fewest evenly spaced starts whose tiles cover `length` with at least `overlap` shared.
    private static func starts(length: Int, tile: Int, overlap: Int) -> [Int] {
        guard length > tile else { return [0] }
        let stride = tile - overlap
        let count = (length - overlap + stride - 1) / stride
        let span = Double(length - tile)
        return (0..<count).map { Int((span * Double($0) / Double(count - 1)).rounded()) }
    }
}
