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
    /// Decode at the smallest size that still covers the box, as sharp's `fastShrinkOnLoad` and
    /// Pillow's `draft` do, then resize the rest of the way: a JPEG at that fraction of its size
    /// (libvips' own choice decodes at twice it, keeping a factor of two for the resize), a WebP
    /// straight to the box, an opaque PNG resampled from its whole size, one with alpha averaged
    /// down by that fraction. A JPEG, WebP or PNG is decoded whole by its codec library
    /// (libjpeg-turbo, libwebp, libdeflate), which costs less than libvips 8.14's loaders, and
    /// resampled with libvips' Lanczos3 window by a loop of this library's own; an input it does
    /// not take (CMYK, 16-bit, interlaced or palette PNGs, animations) or any damage goes through
    /// libvips as before. A third to a half less CPU on a photo; the pixels differ from
    /// `vipsthumbnail`'s by a few levels (the free side may round one pixel differently), and a
    /// PNG decodes whole into memory (up to 64 MiB; a larger one streams through libvips).
    /// Default `false`: the same pixels as `vipsthumbnail`.
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
        let out = try thumbnail(of: source, header: header, width: width, height: height, options: options, loading: loading,
                                allPages: effective.allPages)
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
        let out = try thumbnail(of: source, header: header, width: width, height: height, options: options, loading: loading,
                                allPages: effective.allPages)
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
    /// A thumbnail of an opened source whose checked `header` this releases: decoded whole by
    /// the codec library when ``ThumbnailOptions/fastShrinkOnLoad`` asks for it and the input
    /// allows it (``DirectDecode``), else through libvips' loader.
    private static func thumbnail(of source: LoadSource, header: UnsafeMutablePointer<VipsImage>, width: Int, height: Int,
                                  options: ThumbnailOptions, loading: LoadOptions, allPages: Bool) throws -> UnsafeMutablePointer<VipsImage> {
        let fast = options.fastShrinkOnLoad && !allPages ? FastDecode(header, width: width, height: height, options: options) : nil
        let decoded = fast.flatMap { DirectDecode.decode(source, header: header, shrink: $0.shrink, size: $0.size) }
        g_object_unref(header)
        guard let decoded else {
            let shrink = source.hasFastShrinkOnLoad ? fast?.shrink ?? 1 : 1
            return try thumbnail(of: source, width: width, height: height, options: options, loading: loading, allPages: allPages,
                                 shrink: shrink)
        }
        return try thumbnail(ofDecoded: decoded, source: source, width: width, height: height, options: options)
    }

    /// The thumbnail of an image decoded shrunk (`decoded`, released here), the rest of the way.
    private static func thumbnail(ofDecoded decoded: UnsafeMutablePointer<VipsImage>, source: LoadSource, width: Int, height: Int,
                                  options: ThumbnailOptions) throws -> UnsafeMutablePointer<VipsImage> {
        // The thumbnail holds its own reference to what it reads.
        defer { g_object_unref(decoded) }
        var out: UnsafeMutablePointer<VipsImage>?
        guard cvips_thumbnail_image(decoded, &out, Int32(width), Int32(height), options.resizing.vips, options.crop.vips,
                                    options.autoRotate ? 0 : 1) == 0, let out else {
            throw VipsError.libvips(.loadFailed, operation: "thumbnail", input: source.input,
                                    message: "the image cannot be opened for a thumbnail")
        }
        return out
    }

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
            return try thumbnail(ofDecoded: shrunk, source: source, width: width, height: height, options: options)
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
