internal import CVips

/// How an image's bands are to be read (libvips' "interpretation").
public enum ColourSpace: String, Sendable, CaseIterable, Codable {
    case sRGB = "srgb"
    case rgb16
    case blackAndWhite = "b-w"
    case grey16
    case cmyk
    case lab
    case xyz
    case scRGB = "scrgb"
    case multiband
    case other

    var vips: VipsInterpretation {
        switch self {
        case .sRGB: VIPS_INTERPRETATION_sRGB
        case .rgb16: VIPS_INTERPRETATION_RGB16
        case .blackAndWhite: VIPS_INTERPRETATION_B_W
        case .grey16: VIPS_INTERPRETATION_GREY16
        case .cmyk: VIPS_INTERPRETATION_CMYK
        case .lab: VIPS_INTERPRETATION_LAB
        case .xyz: VIPS_INTERPRETATION_XYZ
        case .scRGB: VIPS_INTERPRETATION_scRGB
        case .multiband: VIPS_INTERPRETATION_MULTIBAND
        case .other: VIPS_INTERPRETATION_ERROR
        }
    }

    init(_ interpretation: VipsInterpretation) {
        self = Self.allCases.first { $0 != .other && $0.vips == interpretation } ?? .other
    }
}
