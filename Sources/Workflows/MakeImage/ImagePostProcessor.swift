#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Media
public import Vips

/// What every image ComfyUI returns goes through before it is stored: checked against the
/// limits, turned upright, brought to sRGB, watermarked when the user's standing calls for it,
/// encoded in the format asked for, with a small WebP preview. Blocking: run it on the worker pool.
public struct ImagePostProcessor: Sendable {
    public var format: ImageFormat
    /// The watermark's text, when one is due.
    public var watermark: String?
    public var limits: Limits
    /// Longest side of the preview; a smaller image keeps its size.
    public static let previewSide = 256

    public init(format: ImageFormat, watermark: String?, limits: Limits) {
        self.format = format
        self.watermark = watermark
        self.limits = limits
    }

    /// The finished image in ``format`` and its preview. Throws a `MediaError` (`unsupported_media`,
    /// `media_too_large`, `processing_failed`).
    public func process(_ bytes: Data) throws -> (image: Data, preview: Data) {
        do {
            var image = try Image(data: bytes, options: LoadOptions(limits: limits)).autoRotate().toSRGB()
            if let watermark {
                let size = max(12, min(image.width, image.pageHeight) / 24)
                let mark = try Image.text(TransformPlan.escapedMarkup(watermark), font: "sans bold \(size)", colour: .white)
                image = try image.composite(mark, at: .bottomRight, margin: size / 2, opacity: 0.6)
            }
            let finished = try image.materialized()
            var encoded = finished
            if format == .jpeg, finished.hasAlpha { encoded = try finished.flatten(background: .white) }
            let data = try encoded.data(format: format, options: SaveOptions(quality: format == .png ? nil : 90))
            let preview = try finished.thumbnail(width: Self.previewSide, options: ThumbnailOptions(height: Self.previewSide, resizing: .downOnly, autoRotate: false))
                .data(format: .webp, options: SaveOptions(quality: 70))
            return (data, preview)
        } catch let error as VipsError {
            throw MediaError(vips: error)
        }
    }
}
