internal import CVips

/// How a thumbnail's fast shrink-on-load (``ThumbnailOptions/fastShrinkOnLoad``) decodes an
/// image for a box: the smallest size that still covers it.
struct FastDecode {
    /// The fraction (1, 2, 4 or 8) a JPEG's scaled DCT decodes at: the largest that covers the box.
    let shrink: Int
    /// The size a format that scales freely while decoding (WebP) decodes at, in the image's
    /// stored orientation: the size the thumbnail ends at (fit, force), or that covers the box
    /// before the crop (fill).
    let size: (width: Int, height: Int)

    /// The decode for `header`'s image in a `width` × `height` box (a free height is libvips'
    /// largest coordinate); `nil` when the thumbnail may enlarge only (nothing to save).
    init?(_ header: UnsafeMutablePointer<VipsImage>, width: Int, height: Int, options: ThumbnailOptions) {
        guard options.resizing != .upOnly else { return nil }
        let (imageWidth, imageHeight) = (Double(vips_image_get_width(header)), Double(vips_image_get_height(header)))
        // Orientations 5 to 8 turn the image a quarter: the box's width applies to the stored height.
        let turned = options.autoRotate && (5...8).contains(Int(vips_image_get_orientation(header)))
        let (boxAcross, boxDown) = turned ? (Double(height), Double(width)) : (Double(width), Double(height))
        let (across, down) = (boxAcross / imageWidth, boxDown / imageHeight)
        // The scales the thumbnail ends at: each side its own (force), both the larger so the
        // box is covered (fill), or both the tighter (fit).
        let (scaleAcross, scaleDown) = options.resizing == .force ? (across, down)
            : options.crop != nil ? (max(across, down), max(across, down)) : (min(across, down), min(across, down))
        let needed = max(scaleAcross, scaleDown)
        shrink = needed < 1 ? [8, 4, 2].first { Double($0) <= 1 / needed } ?? 1 : 1
        size = (Self.side(imageWidth, scaleAcross), Self.side(imageHeight, scaleDown))
    }

    /// One side at `scale`, rounded as libvips' thumbnail rounds it, never enlarged.
    private static func side(_ length: Double, _ scale: Double) -> Int {
        scale >= 1 ? Int(length) : max(1, Int((length * scale).rounded()))
    }
}
