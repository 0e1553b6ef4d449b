internal import CVips

extension Image {
    /// Places the image on a `width` × `height` canvas of `background`, at `alignment`
    /// (letterboxing, fixed-size cells). The canvas must be at least as large as the image.
    /// The result has alpha if the image or the background colour has it.
    public func padded(width: Int, height: Int, alignment: Placement = .centre, background: Colour = .black) throws -> Image {
        guard width >= self.width, height >= self.height else {
            throw VipsError.invalidArgument("pad", "expected a canvas of at least \(self.width)×\(self.height) but received \(width)×\(height)")
        }
        let base = background.alpha < 255 ? try addingAlpha() : self
        let origin = alignment.origin(overlay: (base.width, base.height), base: (width, height), margin: 0)
        let fill = background.values(forBands: base.bands)
        return try base.derive("pad") {
            cvips_embed(base.pointer, $0, Int32(origin.x), Int32(origin.y), Int32(width), Int32(height),
                        VIPS_EXTEND_BACKGROUND, fill, Int32(fill.count))
        }
    }
}
