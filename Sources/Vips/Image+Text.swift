internal import CVips

/// Horizontal alignment of lines of text.
public enum TextAlignment: String, Sendable, CaseIterable, Codable {
    case left, centre, right

    var vips: VipsAlign {
        switch self {
        case .left: VIPS_ALIGN_LOW
        case .centre: VIPS_ALIGN_CENTRE
        case .right: VIPS_ALIGN_HIGH
        }
    }
}

extension Image {
    /// Renders text to an sRGB image with alpha (for text watermarks), through libvips' Pango
    /// renderer. `font` is a Pango description such as `"sans bold 24"`; `width` wraps lines.
    /// The string may use Pango markup (`<b>`, `<i>`); escape `&` and `<` in plain text.
    public static func text(_ string: String, font: String = "sans 24", width: Int? = nil, dpi: Int = 72,
                            alignment: TextAlignment = .left, colour: Colour = .white) throws -> Image {
        VipsRuntime.start()
        guard !string.isEmpty else { throw VipsError.invalidArgument("text", "expected some text but received an empty string") }
        guard (1...3_000).contains(dpi), width ?? 1 > 0 else {
            throw VipsError.invalidArgument("text", "expected dpi 1…3000 and a positive width but received \(dpi) and \(width ?? 0)")
        }
        var out: UnsafeMutablePointer<VipsImage>?
        guard cvips_text(&out, string, font, Int32(width ?? 0), Int32(dpi), alignment.vips) == 0, let out else {
            throw VipsError.libvips(.operationFailed, operation: "text", input: nil, message: "the text cannot be rendered")
        }
        let mask = Image(owning: out, lineage: .none)
        // The mask is the glyphs' coverage 0…255; colour every pixel, then use coverage × alpha.
        let rgb = [colour.red, colour.green, colour.blue]
        guard let flat = vips_image_new_from_image(mask.pointer, rgb, Int32(rgb.count)) else {
            throw VipsError.libvips(.operationFailed, operation: "text", input: nil, message: "the text cannot be coloured")
        }
        let painted = try Image(owning: flat, lineage: .none).derive("text") {
            cvips_copy_interpretation(flat, $0, VIPS_INTERPRETATION_sRGB)
        }
        let alphaScale = [colour.alpha / 255]
        let coverage = try mask.derive("text") { cvips_linear(mask.pointer, $0, alphaScale, [0], 1) }
        let alpha = try coverage.derive("text") { cvips_cast(coverage.pointer, $0, VIPS_FORMAT_UCHAR) }
        let joined = try painted.derive("text", with: [alpha]) { cvips_bandjoin2(painted.pointer, alpha.pointer, $0) }
        return try joined.derive("text") { cvips_cast(joined.pointer, $0, VIPS_FORMAT_UCHAR) }
    }
}
