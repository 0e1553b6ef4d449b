/// How an image is encoded. Options a format has no use for are refused, not ignored, so a
/// request never silently gets something other than what it asked for.
///
/// `nil` means the format's libvips default, the same as the `vips` command line:
/// quality 75 for JPEG, WebP and JPEG XL, 50 for AVIF/HEIF; PNG compression 6.
public struct SaveOptions: Sendable, Equatable {
    /// 1…100. JPEG, WebP, AVIF/HEIF, JPEG XL, TIFF with JPEG compression, PNG (as a palette
    /// quality, which makes PNG lossy).
    public var quality: Int?
    /// CPU spent on compression: PNG 0…9 (zlib level), WebP 0…6, AVIF/HEIF 0…9, GIF 1…10,
    /// JPEG XL 1…9. Not for JPEG or TIFF.
    public var effort: Int?
    /// Lossless encoding: WebP, AVIF/HEIF, JPEG XL. PNG, GIF and TIFF are lossless already.
    public var lossless: Bool
    /// Progressive JPEG, interlaced PNG.
    public var progressive: Bool
    /// Leave out EXIF, XMP, IPTC and ICC metadata.
    public var stripMetadata: Bool
    /// TIFF only: how pixels are compressed. Default none, as libvips.
    public var tiffCompression: TiffCompression

    public init(quality: Int? = nil, effort: Int? = nil, lossless: Bool = false, progressive: Bool = false,
                stripMetadata: Bool = false, tiffCompression: TiffCompression = .none) {
        self.quality = quality
        self.effort = effort
        self.lossless = lossless
        self.progressive = progressive
        self.stripMetadata = stripMetadata
        self.tiffCompression = tiffCompression
    }

    /// TIFF compression schemes.
    public enum TiffCompression: String, Sendable, CaseIterable {
        case none, deflate, lzw, jpeg, webp, zstd
    }

    /// Refuses options `format` cannot honour, with one message shape.
    func validate(for format: ImageFormat) throws {
        let operation = "save \(format.rawValue)"
        if let quality, !(1...100).contains(quality) {
            throw VipsError.invalidArgument(operation, "expected quality 1…100 but received \(quality)")
        }
        if let effort {
            guard let range = format.effortRange else {
                throw VipsError.invalidArgument(operation, "\(format.rawValue) has no effort setting")
            }
            guard range.contains(effort) else {
                throw VipsError.invalidArgument(operation,
                    "expected effort \(range.lowerBound)…\(range.upperBound) for \(format.rawValue) but received \(effort)")
            }
        }
        if lossless, ![.webp, .avif, .heif, .jxl, .png, .gif, .tiff].contains(format) {
            throw VipsError.invalidArgument(operation, "\(format.rawValue) has no lossless mode")
        }
        if quality != nil, format == .gif {
            throw VipsError.invalidArgument(operation, "gif has no quality setting")
        }
        if quality != nil, format == .tiff, tiffCompression != .jpeg, tiffCompression != .webp {
            throw VipsError.invalidArgument(operation, "tiff quality needs jpeg or webp compression")
        }
        if tiffCompression != .none, format != .tiff {
            throw VipsError.invalidArgument(operation, "tiffCompression applies to tiff only")
        }
    }
}

extension ImageFormat {
    /// The range of ``SaveOptions/effort`` this format accepts, `nil` when it has none.
    public var effortRange: ClosedRange<Int>? {
        switch self {
        case .png, .avif, .heif: 0...9
        case .webp: 0...6
        case .gif: 1...10
        case .jxl: 1...9
        case .jpeg, .tiff: nil
        }
    }
}
