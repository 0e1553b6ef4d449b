internal import CVips

/// Where an overlay sits on an image.
public enum Placement: String, Sendable, CaseIterable, Codable {
    case topLeft, top, topRight, left, centre, right, bottomLeft, bottom, bottomRight

    /// The overlay's top-left corner for an overlay of `size` on a base of `base`, `margin`
    /// pixels from the edges it touches.
    func origin(overlay: (width: Int, height: Int), base: (width: Int, height: Int), margin: Int) -> (x: Int, y: Int) {
        let left = margin, right = base.width - overlay.width - margin, midX = (base.width - overlay.width) / 2
        let top = margin, bottom = base.height - overlay.height - margin, midY = (base.height - overlay.height) / 2
        switch self {
        case .topLeft: return (left, top)
        case .top: return (midX, top)
        case .topRight: return (right, top)
        case .left: return (left, midY)
        case .centre: return (midX, midY)
        case .right: return (right, midY)
        case .bottomLeft: return (left, bottom)
        case .bottom: return (midX, bottom)
        case .bottomRight: return (right, bottom)
        }
    }
}

extension Image {
    /// Draws `overlay` over this image with its top-left corner at (`x`, `y`), its alpha scaled
    /// by `opacity` (0…1). Both are brought to sRGB; the result has alpha only if this image had.
    /// Parts of the overlay outside the image are clipped.
    public func composite(_ overlay: Image, x: Int, y: Int, opacity: Double = 1) throws -> Image {
        guard (0...1).contains(opacity) else {
            throw VipsError.invalidArgument("composite", "expected opacity 0…1 but received \(opacity)")
        }
        let base = try toSRGB()
        var top = try overlay.toSRGB().addingAlpha()
        if opacity < 1 {
            let a = Array(repeating: 1.0, count: top.bands - 1) + [opacity]
            let b = Array(repeating: 0.0, count: top.bands)
            let scaled = try top.derive("composite") { cvips_linear(top.pointer, $0, a, b, Int32(a.count)) }
            top = try scaled.derive("composite") { cvips_cast(scaled.pointer, $0, VIPS_FORMAT_UCHAR) }
        }
        let overlaid = try base.derive("composite", with: [top]) {
            cvips_composite2(base.pointer, top.pointer, $0, VIPS_BLEND_MODE_OVER, Int32(x), Int32(y))
        }
        let result = try overlaid.derive("composite") { cvips_cast(overlaid.pointer, $0, VIPS_FORMAT_UCHAR) }
        return base.hasAlpha ? result : try result.removingAlpha()
    }

    /// Draws `overlay` at a ``Placement``, `margin` pixels in from the edges it touches.
    public func composite(_ overlay: Image, at placement: Placement, margin: Int = 0, opacity: Double = 1) throws -> Image {
        let origin = placement.origin(overlay: (overlay.width, overlay.height), base: (width, pageHeight), margin: margin)
        return try composite(overlay, x: origin.x, y: origin.y, opacity: opacity)
    }
}
