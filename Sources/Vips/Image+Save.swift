internal import CVips
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension Image {
    /// Encodes the image into a file, atomically: the bytes go to a temporary file beside
    /// `path`, renamed over `path` only when encoding succeeded. A failure leaves nothing behind.
    ///
    /// - Parameters:
    ///   - format: the format to write; `nil` picks it from the extension of `path` and refuses
    ///     an extension it does not know with `unsupported_format`.
    public func save(to path: String, format: ImageFormat? = nil, options: SaveOptions = SaveOptions()) throws {
        guard let format = format ?? ImageFormat(path: path) else {
            throw VipsError(.unsupportedFormat, operation: "save", input: path,
                            message: "the output extension names no format this library writes (use jpg, png, webp, avif, heic, gif, tif or jxl)")
        }
        let operation = "save \(format.rawValue)"
        try options.validate(for: format)
        let output = try OutputFile(path, operation: operation)
        let source = try prepared(for: format)
        guard let target = vips_target_new_to_file(output.temporaryPath) else {
            throw VipsError.libvips(.saveFailed, operation: operation, input: path,
                                    message: "cannot create the output file")
        }
        let status = source.encode(to: target, format: format, options: options)
        g_object_unref(target)
        guard status == 0 else {
            output.discard()
            throw source.evaluationError(.saveFailed, operation: operation, message: "encoding \(format.rawValue) to '\(path)' failed")
        }
        try output.commit(operation: operation)
    }

    /// Encodes the image into memory.
    public func data(format: ImageFormat, options: SaveOptions = SaveOptions()) throws -> Data {
        let operation = "save \(format.rawValue)"
        try options.validate(for: format)
        let source = try prepared(for: format)
        guard let target = vips_target_new_to_memory() else {
            throw VipsError.libvips(.saveFailed, operation: operation, input: inputDescription,
                                    message: "cannot create a memory target")
        }
        defer { g_object_unref(target) }
        guard source.encode(to: target, format: format, options: options) == 0 else {
            throw source.evaluationError(.saveFailed, operation: operation, message: "encoding \(format.rawValue) failed")
        }
        var length = 0
        guard let bytes = cvips_target_memory(target, &length) else {
            throw VipsError(.saveFailed, operation: operation, input: inputDescription,
                            message: "the encoder produced no bytes")
        }
        return Data(bytes: bytes, count: length)
    }

    /// The image to hand to the saver, once the saver is known to exist (loading its module if
    /// it was held back).
    ///
    /// libvips 8.14's WebP saver leaks its copy of the input (and with it the whole loader graph)
    /// when decoding fails part-way, e.g. on a truncated upload. For WebP the pixels are therefore
    /// decoded into memory first, where a failure leaks nothing and is reported against the
    /// input; the saver holds a whole frame in memory anyway, so this costs one more frame.
    private func prepared(for format: ImageFormat) throws -> Image {
        guard VipsRuntime.canSave(format) else {
            throw VipsError(.unsupportedFormat, operation: "save \(format.rawValue)", input: inputDescription,
                            message: "this libvips build cannot write \(format.rawValue)")
        }
        return format == .webp && !lineage.sources.isEmpty ? try materialized() : self
    }

    /// Runs the saver for `format`. Returns libvips' status (0 on success).
    private func encode(to target: UnsafeMutablePointer<VipsTarget>, format: ImageFormat, options: SaveOptions) -> Int32 {
        let strip: gboolean = options.stripMetadata ? 1 : 0
        let lossless: gboolean = options.lossless ? 1 : 0
        let progressive: gboolean = options.progressive ? 1 : 0
        switch format {
        case .jpeg:
            return cvips_jpegsave_target(pointer, target, Int32(options.quality ?? 75), progressive, strip, 0)
        case .png:
            let palette: gboolean = options.quality != nil ? 1 : 0
            return cvips_pngsave_target(pointer, target, Int32(options.effort ?? 6), progressive, strip,
                                        palette, Int32(options.quality ?? 100), 7)
        case .webp:
            return cvips_webpsave_target(pointer, target, Int32(options.quality ?? 75), lossless,
                                         Int32(options.effort ?? 4), strip)
        case .avif, .heif:
            let compression = format == .avif ? VIPS_FOREIGN_HEIF_COMPRESSION_AV1 : VIPS_FOREIGN_HEIF_COMPRESSION_HEVC
            return cvips_heifsave_target(pointer, target, Int32(options.quality ?? 50), lossless,
                                         Int32(options.effort ?? 4), compression, strip)
        case .gif:
            return cvips_gifsave_target(pointer, target, Int32(options.effort ?? 7), strip)
        case .tiff:
            return cvips_tiffsave_target(pointer, target, options.tiffCompression.vips,
                                         Int32(options.quality ?? 75), strip)
        case .jxl:
            return cvips_jxlsave_target(pointer, target, Int32(options.quality ?? 75), lossless,
                                        Int32(options.effort ?? 7), strip)
        }
    }
}

extension SaveOptions.TiffCompression {
    var vips: VipsForeignTiffCompression {
        switch self {
        case .none: VIPS_FOREIGN_TIFF_COMPRESSION_NONE
        case .deflate: VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE
        case .lzw: VIPS_FOREIGN_TIFF_COMPRESSION_LZW
        case .jpeg: VIPS_FOREIGN_TIFF_COMPRESSION_JPEG
        case .webp: VIPS_FOREIGN_TIFF_COMPRESSION_WEBP
        case .zstd: VIPS_FOREIGN_TIFF_COMPRESSION_ZSTD
        }
    }
}
