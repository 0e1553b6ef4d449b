internal import CVips
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// How ``Image/thumbnail(ofFile:width:options:loading:)`` fits an image into the box.
public struct ThumbnailOptions: Sendable, Equatable {
    /// Height of the box; `nil` leaves the height free (the width alone decides the scale).
    public var height: Int?
    /// Crop to fill the box exactly, choosing the area with this strategy; `nil` fits the whole
    /// image inside the box.
    public var crop: CropStrategy?
    /// Whether the image may be enlarged, shrunk, or both.
    public var resizing: Resizing
    /// Turn the image upright from its EXIF orientation first. Default `true`.
    public var autoRotate: Bool
    /// Decode a JPEG at the smallest fraction of its size that still covers the box (as sharp's
    /// `fastShrinkOnLoad` and Pillow's `draft` do), then resize the rest of the way. libvips' own
    /// choice decodes at twice that, keeping a factor of two for the resize: this costs about a
    /// fifth less CPU on a photo, and its pixels differ from `vipsthumbnail`'s by a few levels
    /// (the free side may round one pixel differently). Other formats are unchanged (libvips'
    /// WebP and HEIF shrink-on-load already decode at the box). Default `false`: the same pixels
    /// as `vipsthumbnail`.
    public var fastShrinkOnLoad: Bool

    public init(height: Int? = nil, crop: CropStrategy? = nil, resizing: Resizing = .any, autoRotate: Bool = true,
                fastShrinkOnLoad: Bool = false) {
        self.height = height
        self.crop = crop
        self.resizing = resizing
        self.autoRotate = autoRotate
        self.fastShrinkOnLoad = fastShrinkOnLoad
    }

    /// Which ways a thumbnail may be resized.
    public enum Resizing: String, Sendable, CaseIterable {
        /// Shrink or enlarge to fit.
        case any
        /// Only shrink: a smaller image keeps its size ("no upsize").
        case downOnly
        /// Only enlarge.
        case upOnly
        /// Fill the box exactly, ignoring the aspect ratio.
        case force

        var vips: VipsSize {
            switch self {
            case .any: VIPS_SIZE_BOTH
            case .downOnly: VIPS_SIZE_DOWN
            case .upOnly: VIPS_SIZE_UP
            case .force: VIPS_SIZE_FORCE
            }
        }
    }
}

extension Image {
    /// Makes a thumbnail straight from a file, using shrink-on-load where the format has it
    /// (JPEG, WebP, HEIF decode at a fraction of their size): the fast path, the same as
    /// `vipsthumbnail`. Limits are checked from the header first.
    ///
    /// The result streams from the file: read it once (save it, or take its ``pixelData()``);
    /// call ``materialized()`` first to read it more than once.
    public static func thumbnail(ofFile path: String, width: Int, options: ThumbnailOptions = ThumbnailOptions(),
                                 loading: LoadOptions = LoadOptions()) throws -> Image {
        let height = try options.checkedHeight(width: width)
        VipsRuntime.start()
        let source = try LoadSource(file: path, limits: loading.limits)
        let (header, effective) = try openChecked(source, options: loading)
        let shrink = fastShrink(header, source: source, width: width, height: height, options: options, allPages: effective.allPages)
        g_object_unref(header)
        let out = try thumbnail(of: source, width: width, height: height, options: options, loading: loading, allPages: effective.allPages,
                                shrink: shrink)
        return Image(owning: out, lineage: Lineage(.file(path: path, options: effective)))
    }

    /// Makes a thumbnail from encoded bytes in memory, with shrink-on-load.
    public static func thumbnail(data: Data, width: Int, options: ThumbnailOptions = ThumbnailOptions(),
                                 loading: LoadOptions = LoadOptions()) throws -> Image {
        let height = try options.checkedHeight(width: width)
        let buffer = data.withUnsafeBytes { InputBuffer(copying: $0) }
        VipsRuntime.start()
        let source = try LoadSource(buffer: buffer, limits: loading.limits)
        let (header, effective) = try openChecked(source, options: loading)
        let shrink = fastShrink(header, source: source, width: width, height: height, options: options, allPages: effective.allPages)
        g_object_unref(header)
        let out = try thumbnail(of: source, width: width, height: height, options: options, loading: loading, allPages: effective.allPages,
                                shrink: shrink)
        return Image(owning: out, lineage: Lineage(.buffer(buffer, options: effective)))
    }

    /// Makes a thumbnail of an image already open (no shrink-on-load: prefer the file or data
    /// versions when you have them).
    public func thumbnail(width: Int, options: ThumbnailOptions = ThumbnailOptions()) throws -> Image {
        let height = try options.checkedHeight(width: width)
        return try derive("thumbnail") {
            cvips_thumbnail_image(pointer, $0, Int32(width), Int32(height), options.resizing.vips,
                                  options.crop.vips, options.autoRotate ? 0 : 1)
        }
    }
}

extension Image {
    /// Shrink-on-load from an opened source. libvips picks the loader again here; the bytes are
    /// the ones already identified (untrusted input never reaches this unless ``FormatSniffer``
    /// recognised it), so its probe only sees a format it knows.
    private static func thumbnail(of source: LoadSource, width: Int, height: Int, options: ThumbnailOptions,
                                  loading: LoadOptions, allPages: Bool, shrink: Int) throws -> UnsafeMutablePointer<VipsImage> {
        if shrink > 1 {
            // Decoded at 1/shrink, then thumbnailed the rest of the way (no second shrink-on-load).
            var decoding = loading
            decoding.access = .sequential
            guard let shrunk = source.load(options: decoding, shrink: shrink) else {
                throw VipsError.libvips(.loadFailed, operation: "thumbnail", input: source.input,
                                        message: "the image cannot be opened for a thumbnail")
            }
            // The thumbnail holds its own reference to what it reads.
            defer { g_object_unref(shrunk) }
            var out: UnsafeMutablePointer<VipsImage>?
            guard cvips_thumbnail_image(shrunk, &out, Int32(width), Int32(height), options.resizing.vips, options.crop.vips,
                                        options.autoRotate ? 0 : 1) == 0, let out else {
                throw VipsError.libvips(.loadFailed, operation: "thumbnail", input: source.input,
                                        message: "the image cannot be opened for a thumbnail")
            }
            return out
        }
        // 8.14 does not hand thumbnail_source's fail_on to the loader: say it in the loader's options too.
        let loaderOptions = (allPages ? "n=-1," : "") + "fail_on=\(loading.failOn.rawValue)"
        var out: UnsafeMutablePointer<VipsImage>?
        guard cvips_thumbnail_source(source.pointer, &out, Int32(width), Int32(height), options.resizing.vips, options.crop.vips,
                                     options.autoRotate ? 0 : 1, loading.failOn.vips, loaderOptions) == 0, let out else {
            throw VipsError.libvips(.loadFailed, operation: "thumbnail", input: source.input,
                                    message: "the image cannot be opened for a thumbnail")
        }
        return out
    }
}

extension Image {
    /// The fraction (2, 4 or 8; 1 for none) a fast shrink-on-load decodes `header`'s image at:
    /// the largest that still covers the box, when asked for and the image is a JPEG.
    fileprivate static func fastShrink(_ header: UnsafeMutablePointer<VipsImage>, source: LoadSource, width: Int, height: Int,
                                       options: ThumbnailOptions, allPages: Bool) -> Int {
        guard options.fastShrinkOnLoad, !allPages, source.hasFastShrinkOnLoad, options.resizing != .upOnly else { return 1 }
        var (imageWidth, imageHeight) = (Double(vips_image_get_width(header)), Double(vips_image_get_height(header)))
        // Orientations 5 to 8 turn the image a quarter: the box applies to the turned sides.
        if options.autoRotate, (5...8).contains(Int(vips_image_get_orientation(header))) { swap(&imageWidth, &imageHeight) }
        let (across, down) = (Double(width) / imageWidth, Double(height) / imageHeight)
        // The scale the thumbnail ends at (fill and force must cover both sides; fit, the tighter one).
        let scale = options.crop != nil || options.resizing == .force ? max(across, down) : min(across, down)
        guard scale < 1 else { return 1 }
        return [8, 4, 2].first { Double($0) <= 1 / scale } ?? 1
    }
}

extension ThumbnailOptions {
    /// Validates the box and returns the height libvips needs (unbounded when `nil`).
    func checkedHeight(width: Int) throws -> Int {
        let range = 1...Int(VIPS_MAX_COORD)
        guard range.contains(width) else {
            throw VipsError.invalidArgument("thumbnail", "expected a width of 1…\(range.upperBound) but received \(width)")
        }
        if let height, !range.contains(height) {
            throw VipsError.invalidArgument("thumbnail", "expected a height of 1…\(range.upperBound) but received \(height)")
        }
        if crop != nil, height == nil {
            throw VipsError.invalidArgument("thumbnail", "cropping needs both a width and a height")
        }
        return height ?? Int(VIPS_MAX_COORD)
    }
}
