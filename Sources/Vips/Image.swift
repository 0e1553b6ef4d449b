internal import CVips

/// An immutable image: one reference to a libvips image plus what keeps its inputs alive.
///
/// libvips evaluates lazily: loading reads only the header, and operations build a pipeline
/// that runs when the image is saved or its pixels are read. So ``header`` never decodes pixels,
/// and a chain such as `try Image(contentsOfFile: p).autoRotate().resize(scale: 0.5)` costs
/// nothing until ``save(to:format:options:)``.
///
/// Every method returns a new image; none changes this one. All calls block the calling thread:
/// from async code, run them on ``ImageWorkerPool``.
public final class Image: @unchecked Sendable {
    // @unchecked: libvips images are reference-counted GObjects that are safe to share between
    // threads once built; this class never mutates the image after init, and `lineage` is an
    // immutable value. It is one of the two C-owning wrappers allowed `@unchecked Sendable`.

    /// The owned libvips reference (+1), released in `deinit`.
    let pointer: UnsafeMutablePointer<VipsImage>
    /// The inputs this image was made from: keeps input buffers alive for lazy evaluation and
    /// names the inputs in errors.
    let lineage: Lineage

    /// Takes ownership of `pointer` (a +1 reference from libvips).
    init(owning pointer: UnsafeMutablePointer<VipsImage>, lineage: Lineage) {
        self.pointer = pointer
        self.lineage = lineage
    }

    deinit { g_object_unref(pointer) }

    /// Width in pixels (for an animation: the width of one frame).
    public var width: Int { Int(vips_image_get_width(pointer)) }
    /// Height in pixels of the whole image; for an animation, all frames stacked.
    public var height: Int { Int(vips_image_get_height(pointer)) }
    /// Number of bands, alpha included.
    public var bands: Int { Int(vips_image_get_bands(pointer)) }
    /// Whether the last band is alpha.
    public var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }
    /// Height of one frame (``height`` for a still image).
    public var pageHeight: Int { Int(vips_image_get_page_height(pointer)) }
    /// Frames held by this image: 1 for a still, more for an animation loaded with all pages.
    public var frameCount: Int { max(1, height / max(1, pageHeight)) }
    /// The format the image was read from (its loader's), kept through the operations made on
    /// it; nil for an image made in memory. Cheaper than ``header`` when nothing else is needed.
    public var loadedFormat: ImageFormat? {
        ImageHeader.string(pointer, "vips-loader").flatMap { ImageFormat(loader: $0, heifCompression: ImageHeader.string(pointer, "heif-compression")) }
    }
    /// Everything known from the header, read without decoding pixels.
    public var header: ImageHeader { ImageHeader(self) }

    /// Describes the inputs, for error messages.
    var inputDescription: String? { lineage.description }

    /// Runs one libvips call that produces a new image from this one (and `others`).
    func derive(_ operation: String, with others: [Image] = [],
                _ call: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws -> Image {
        var out: UnsafeMutablePointer<VipsImage>?
        let status = withExtendedLifetime(others) { call(&out) }
        guard status == 0, let out else {
            if let out { g_object_unref(out) }
            throw VipsError.libvips(.operationFailed, operation: operation, input: inputDescription,
                                    message: "libvips could not \(operation) the image")
        }
        return Image(owning: out, lineage: lineage.merging(others.map(\.lineage)))
    }

    /// The error for a failed evaluation (saving, reading pixels): if one of the inputs does not
    /// decode, that input is named as corrupt or truncated; otherwise `fallback` is returned.
    func evaluationError(_ code: VipsError.Code, operation: String, message: String) -> VipsError {
        let fallback = VipsError.libvips(code, operation: operation, input: inputDescription,
                                         message: message)
        for source in lineage.sources {
            if let error = source.decodeError() { return error }
        }
        return fallback
    }
}
