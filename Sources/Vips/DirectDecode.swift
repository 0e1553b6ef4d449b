internal import CVips

/// The thumbnail's fast path (``ThumbnailOptions/fastShrinkOnLoad``): a JPEG, WebP or PNG
/// decoded whole by its codec library — libjpeg-turbo at a fraction of its size, libwebp scaled
/// to the box while decoding, libdeflate for a PNG's compressed data — into a memory image with
/// the metadata libvips read from its header. What is left to shrink (a JPEG after its scaled
/// DCT, an opaque PNG from its whole size) is resampled with the Lanczos3 window libvips' reduce
/// uses, in a third of its time; a PNG with alpha is averaged down by the JPEG's fraction and
/// left to libvips, which premultiplies before it resizes. libvips 8.14's own loaders cost more
/// for the same pixels: they hand libjpeg-turbo 4 KB at a time and inflate a PNG with zlib at
/// half libdeflate's speed.
///
/// A fast path only: an input it does not decode exactly as libvips would (CMYK, 16-bit,
/// interlaced, palette or colour-key PNGs, animations) or any warning or error while decoding
/// gives `nil`, and libvips' loader then reads it with its own checks and messages. The input
/// was checked against the limits from its header before this runs.
enum DirectDecode {
    /// The most a decode holds in memory, in bytes. A PNG decodes whole (libvips streams it):
    /// a larger one goes through libvips so that memory stays bounded.
    static let maxDecodedBytes = 64 << 20

    /// Decodes `source` (already opened as `header`): a JPEG at 1/`shrink` resampled to `size`,
    /// a WebP at `size`, a PNG whole and then, when `shrink` > 1, resampled to `size` (opaque)
    /// or averaged down by `shrink` (with alpha). Returns a new reference, or `nil` when
    /// libvips' loader should do it.
    static func decode(_ source: LoadSource, header: UnsafeMutablePointer<VipsImage>, shrink: Int,
                       size: (width: Int, height: Int)) -> UnsafeMutablePointer<VipsImage>? {
        cvips_decode_whole(source.pointer, source.loader, header, Int32(shrink), Int32(clamping: size.width), Int32(clamping: size.height),
                           maxDecodedBytes)
    }
}
