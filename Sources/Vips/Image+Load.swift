internal import CVips
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension Image {
    /// Opens an image file. Reads the header only; pixels are decoded when needed.
    ///
    /// Checks, in order, each with its own ``VipsError/Code``: the file exists and is readable
    /// (`file_not_found`), is not empty (`empty_input`), is within ``Limits/maxInputBytes``
    /// (`limit_exceeded`), is a format a trusted loader reads — told from the content's first
    /// bytes, not the extension (`unsupported_format`, `untrusted_format`), has a readable header
    /// (`load_failed`), and is within the pixel and frame limits (`limit_exceeded`). The file is
    /// opened once; its name is never parsed by libvips (see `LoadSource`).
    public convenience init(contentsOfFile path: String, options: LoadOptions = LoadOptions()) throws {
        let (opened, effective) = try Self.openFile(path, options: options)
        self.init(owning: opened, lineage: Lineage(.file(path: path, options: effective)))
    }

    /// Opens an encoded image held in memory (JPEG, PNG, WebP, …), with the same checks as a file.
    /// The bytes are copied once and kept alive as long as any image made from them.
    public convenience init(data: Data, options: LoadOptions = LoadOptions()) throws {
        let buffer = data.withUnsafeBytes { InputBuffer(copying: $0) }
        let (opened, effective) = try Self.openBuffer(buffer, options: options)
        self.init(owning: opened, lineage: Lineage(.buffer(buffer, options: effective)))
    }

    /// Opens an encoded image held in a byte array.
    public convenience init(bytes: [UInt8], options: LoadOptions = LoadOptions()) throws {
        let buffer = bytes.withUnsafeBytes { InputBuffer(copying: $0) }
        let (opened, effective) = try Self.openBuffer(buffer, options: options)
        self.init(owning: opened, lineage: Lineage(.buffer(buffer, options: effective)))
    }

    /// Makes an image from raw, interleaved pixel values (row by row, band by band), copying them.
    ///
    /// - Parameters:
    ///   - pixels: exactly `width × height × bands × format.bytesPerSample` bytes.
    ///   - colourSpace: how to read the bands; default sRGB (or black-and-white for 1–2 bands).
    public convenience init(pixels: UnsafeRawBufferPointer, width: Int, height: Int, bands: Int,
                            format: BandFormat = .uchar, colourSpace: ColourSpace? = nil) throws {
        let image = try Self.copyPixels(pixels, width: width, height: height, bands: bands, format: format,
                                        colourSpace: colourSpace)
        self.init(owning: image, lineage: Lineage(.pixels))
    }

    /// Makes an image from raw 8-bit pixel values; see ``init(pixels:width:height:bands:format:colourSpace:)``.
    public convenience init(pixels: [UInt8], width: Int, height: Int, bands: Int) throws {
        // The copy happens inside the closure, while the array's storage is pinned.
        let image = try pixels.withUnsafeBytes {
            try Self.copyPixels($0, width: width, height: height, bands: bands, format: .uchar, colourSpace: nil)
        }
        self.init(owning: image, lineage: Lineage(.pixels))
    }

    /// Copies raw pixels into a new libvips image with the given colour space.
    private static func copyPixels(_ pixels: UnsafeRawBufferPointer, width: Int, height: Int, bands: Int,
                                   format: BandFormat, colourSpace: ColourSpace?) throws -> UnsafeMutablePointer<VipsImage> {
        VipsRuntime.start()
        let operation = "load pixels"
        guard width > 0, height > 0, (1...64).contains(bands) else {
            throw VipsError.invalidArgument(operation,
                "expected a positive size and 1 to 64 bands but received \(width)×\(height)×\(bands)")
        }
        let expected = width * height * bands * format.bytesPerSample
        guard pixels.count == expected, let base = pixels.baseAddress else {
            throw VipsError.invalidArgument(operation,
                "expected \(expected) bytes for \(width)×\(height)×\(bands) \(format) but received \(pixels.count)")
        }
        guard let image = vips_image_new_from_memory_copy(base, pixels.count, Int32(width), Int32(height),
                                                          Int32(bands), format.vips) else {
            throw VipsError.libvips(.operationFailed, operation: operation, input: nil,
                                    message: "libvips could not copy the pixels")
        }
        let space = colourSpace ?? (bands <= 2 ? .blackAndWhite : .sRGB)
        var typed: UnsafeMutablePointer<VipsImage>?
        let status = cvips_copy_interpretation(image, &typed, space.vips)
        g_object_unref(image)
        guard status == 0, let typed else {
            throw VipsError.libvips(.operationFailed, operation: operation, input: nil,
                                    message: "libvips could not set the colour space")
        }
        return typed
    }
}

extension Image {
    /// An opened header, and the options it was really opened with (``LoadOptions/allPages``
    /// only when the input had several pages).
    typealias Opened = (image: UnsafeMutablePointer<VipsImage>, options: LoadOptions)

    /// Opens a file's header with every check of ``init(contentsOfFile:options:)``.
    static func openFile(_ path: String, options: LoadOptions) throws -> Opened {
        VipsRuntime.start()
        let source = try LoadSource(file: path, limits: options.limits)
        return try openChecked(source, options: options)
    }

    /// Opens a buffer's header with every check of ``init(data:options:)``.
    static func openBuffer(_ buffer: InputBuffer, options: LoadOptions) throws -> Opened {
        VipsRuntime.start()
        let source = try LoadSource(buffer: buffer, limits: options.limits)
        return try openChecked(source, options: options)
    }

    /// Opens the first page, checks the frame and pixel limits from its header, and re-opens with
    /// every page when asked for and there is more than one. No pixel is decoded here.
    static func openChecked(_ source: LoadSource, options: LoadOptions) throws -> Opened {
        let input = source.input
        let open = { (allPages: Bool) in source.load(options: options, allPages: allPages) }
        guard let first = open(false) else {
            throw VipsError.libvips(.loadFailed, operation: "load", input: input,
                                    message: "the image header cannot be read: the file is corrupt")
        }
        let width = Int(vips_image_get_width(first)), pageHeight = Int(vips_image_get_height(first))
        let pages = options.allPages ? max(1, Int(vips_image_get_n_pages(first))) : 1
        let limits = options.limits
        if pages > limits.maxFrames {
            g_object_unref(first)
            throw VipsError(.limitExceeded, operation: "load", input: input,
                            message: "the animation has \(pages) frames, more than the limit of \(limits.maxFrames)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: pageHeight * pages)
        if overflow || pixels > limits.maxPixels {
            g_object_unref(first)
            throw VipsError(.limitExceeded, operation: "load", input: input,
                            message: "the image claims \(width)×\(pageHeight)\(pages > 1 ? "×\(pages) frames" : "") pixels, more than the limit of \(limits.maxPixels)")
        }
        var effective = options
        effective.allPages = pages > 1
        guard pages > 1 else { return (first, effective) }
        g_object_unref(first)
        guard let all = open(true) else {
            throw VipsError.libvips(.loadFailed, operation: "load", input: input,
                                    message: "the frames of the animation cannot be read")
        }
        return (all, effective)
    }
}
