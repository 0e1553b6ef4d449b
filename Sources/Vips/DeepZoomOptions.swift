internal import CVips

/// How ``Image/deepZoom(to:options:)`` writes a tile pyramid.
public struct DeepZoomOptions: Sendable, Equatable {
    /// Directory layout and metadata files. Default DeepZoom (`.dzi`).
    public var layout: Layout
    /// Edge of a tile in pixels, 1…8192. `nil` takes the layout's default, as libvips does:
    /// 254 for DeepZoom (256 with the overlap), 256 for Google and Zoomify, 512 for IIIF.
    public var tileSize: Int?
    /// Pixels each tile shares with its neighbours, 0…tileSize−1. `nil` takes the layout's
    /// default: 1 for DeepZoom, 0 for the others.
    public var overlap: Int?
    /// Format of each tile: JPEG (default), PNG or WebP.
    public var tileFormat: ImageFormat
    /// Tile quality 1…100 for JPEG and WebP; `nil` is the format default.
    public var quality: Int?
    /// A folder of files (default) or one zip file.
    public var container: Container
    /// Leave metadata out of the tiles.
    public var stripMetadata: Bool
    /// Replace whatever is at the output's names. Default `false`: only a pyramid this library
    /// wrote (marked with a `.darkroom-pyramid` file in its folders) is replaced; anything else
    /// there is refused with `invalid_argument`.
    public var replaceAnything = false

    public init(layout: Layout = .deepZoom, tileSize: Int? = nil, overlap: Int? = nil, tileFormat: ImageFormat = .jpeg,
                quality: Int? = nil, container: Container = .folder, stripMetadata: Bool = false) {
        self.layout = layout
        self.tileSize = tileSize
        self.overlap = overlap
        self.tileFormat = tileFormat
        self.quality = quality
        self.container = container
        self.stripMetadata = stripMetadata
    }

    /// Pyramid layouts.
    public enum Layout: String, Sendable, CaseIterable, Codable {
        /// Microsoft DeepZoom: `name.dzi` and `name_files/level/col_row.jpeg`.
        case deepZoom = "dz"
        /// Google Maps: `name/z/y/x.jpeg`.
        case google
        /// IIIF Image API 2: `name/info.json` and region folders.
        case iiif
        /// IIIF Image API 3.
        case iiif3
        /// Zoomify: `name/ImageProperties.xml` and `TileGroupN/`.
        case zoomify

        var vips: VipsForeignDzLayout {
            switch self {
            case .deepZoom: VIPS_FOREIGN_DZ_LAYOUT_DZ
            case .google: VIPS_FOREIGN_DZ_LAYOUT_GOOGLE
            case .iiif: VIPS_FOREIGN_DZ_LAYOUT_IIIF
            case .iiif3: VIPS_FOREIGN_DZ_LAYOUT_IIIF3
            case .zoomify: VIPS_FOREIGN_DZ_LAYOUT_ZOOMIFY
            }
        }

        /// How deep the pyramid goes: DeepZoom down to one pixel, the others to one tile (as libvips).
        var depth: VipsForeignDzDepth {
            self == .deepZoom ? VIPS_FOREIGN_DZ_DEPTH_ONEPIXEL : VIPS_FOREIGN_DZ_DEPTH_ONETILE
        }
    }

    /// Where the tiles go.
    public enum Container: String, Sendable, CaseIterable, Codable {
        case folder, zip
    }

    /// The tile size in force: ``tileSize`` or the layout's default.
    public var resolvedTileSize: Int {
        if let tileSize { return tileSize }
        switch layout {
        case .deepZoom: return 254
        case .google, .zoomify: return 256
        case .iiif, .iiif3: return 512
        }
    }

    /// The overlap in force: ``overlap`` or the layout's default.
    public var resolvedOverlap: Int { overlap ?? (layout == .deepZoom ? 1 : 0) }

    /// The `suffix` libvips appends to tile names, with the save options: `.jpeg[Q=90]`.
    /// JPEG tiles are `.jpeg` in DeepZoom and `.jpg` in the other layouts, as libvips names them.
    var suffix: String {
        let ext = tileFormat == .jpeg ? (layout == .deepZoom ? "jpeg" : "jpg") : tileFormat.rawValue
        var settings: [String] = []
        if let quality { settings.append("Q=\(quality)") }
        if stripMetadata { settings.append("strip") }
        return settings.isEmpty ? ".\(ext)" : ".\(ext)[\(settings.joined(separator: ","))]"
    }

    func validate() throws {
        let operation = "deep zoom"
        let tileSize = resolvedTileSize, overlap = resolvedOverlap
        guard (1...8192).contains(tileSize) else {
            throw VipsError.invalidArgument(operation, "expected a tile size of 1…8192 but received \(tileSize)")
        }
        guard (0..<tileSize).contains(overlap) else {
            throw VipsError.invalidArgument(operation, "expected an overlap of 0…\(tileSize - 1) but received \(overlap)")
        }
        guard [.jpeg, .png, .webp].contains(tileFormat) else {
            throw VipsError.invalidArgument(operation, "expected tile format jpeg, png or webp but received \(tileFormat.rawValue)")
        }
        if let quality, !(1...100).contains(quality) {
            throw VipsError.invalidArgument(operation, "expected quality 1…100 but received \(quality)")
        }
        if quality != nil, tileFormat == .png {
            throw VipsError.invalidArgument(operation, "png tiles have no quality setting")
        }
    }
}
