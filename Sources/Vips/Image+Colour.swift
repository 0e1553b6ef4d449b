internal import CVips

extension Image {
    /// Blends transparent pixels onto `background` and drops the alpha band.
    public func flatten(background: Colour = .white) throws -> Image {
        guard hasAlpha else { return self }
        let fill = background.values(forBands: bands - 1)
        return try derive("flatten") { cvips_flatten(pointer, $0, fill, Int32(fill.count)) }
    }

    /// Adds an opaque alpha band, if there is none.
    public func addingAlpha() throws -> Image {
        guard !hasAlpha else { return self }
        return try derive("add alpha") { cvips_addalpha(pointer, $0) }
    }

    /// Drops the alpha band without blending, if there is one.
    public func removingAlpha() throws -> Image {
        guard hasAlpha else { return self }
        return try derive("remove alpha") { cvips_extract_band(pointer, $0, 0, Int32(bands - 1)) }
    }

    /// The photographic negative: each value v becomes max − v (255 − v for 8-bit images).
    /// Alpha is inverted too, as libvips does; remove it first to keep it.
    public func inverted() throws -> Image {
        try derive("invert") { cvips_invert(pointer, $0) }
    }

    /// Converts to 8-bit sRGB. An embedded ICC profile is honoured (CMYK and wide-gamut photos
    /// keep their colours); without one the colour space is converted by its interpretation.
    /// Alpha is kept.
    public func toSRGB() throws -> Image {
        let header = header
        if header.hasICCProfile {
            return try derive("convert to sRGB") {
                cvips_icc_transform_embedded(pointer, $0, "srgb", VIPS_INTENT_RELATIVE)
            }
        }
        if header.colourSpace == .sRGB, header.bandFormat == .uchar { return self }
        return try derive("convert to sRGB") { cvips_colourspace(pointer, $0, VIPS_INTERPRETATION_sRGB) }
    }
}
