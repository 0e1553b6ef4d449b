internal import CVips

extension Image {
    /// Cuts out a box. The box must lie inside the image (each frame, for an animation).
    public func crop(left: Int, top: Int, width: Int, height: Int) throws -> Image {
        guard width > 0, height > 0, left >= 0, top >= 0,
              left + width <= self.width, top + height <= pageHeight else {
            throw VipsError.invalidArgument("crop",
                "expected a box inside \(self.width)×\(pageHeight) but received \(width)×\(height) at \(left),\(top)")
        }
        return try mapFrames("crop") { frame in
            try frame.derive("crop") {
                cvips_extract_area(frame.pointer, $0, Int32(left), Int32(top), Int32(width), Int32(height))
            }
        }
    }

    /// Crops to `width` × `height`, keeping the part `strategy` picks (attention: where the eye
    /// goes; entropy: the most detail; centre; low/high edges). A box larger than the image is
    /// reduced to the image's size on that side.
    public func smartCrop(width: Int, height: Int, strategy: CropStrategy = .attention) throws -> Image {
        guard width > 0, height > 0 else {
            throw VipsError.invalidArgument("smart crop", "expected a positive size but received \(width)×\(height)")
        }
        let w = min(width, self.width), h = min(height, pageHeight)
        return try mapFrames("smart crop") { frame in
            try frame.derive("smart crop") { cvips_smartcrop(frame.pointer, $0, Int32(w), Int32(h), strategy.vips) }
        }
    }
}
