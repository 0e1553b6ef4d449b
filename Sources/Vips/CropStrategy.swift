internal import CVips

/// How a crop chooses which part of the image to keep.
public enum CropStrategy: String, Sendable, CaseIterable, Codable {
    /// The middle.
    case centre
    /// The part most likely to draw the eye (skin tones, saturation, edges).
    case attention
    /// The part with the most detail (highest entropy).
    case entropy
    /// The top or left edge.
    case low
    /// The bottom or right edge.
    case high

    var vips: VipsInteresting {
        switch self {
        case .centre: VIPS_INTERESTING_CENTRE
        case .attention: VIPS_INTERESTING_ATTENTION
        case .entropy: VIPS_INTERESTING_ENTROPY
        case .low: VIPS_INTERESTING_LOW
        case .high: VIPS_INTERESTING_HIGH
        }
    }
}

extension Optional where Wrapped == CropStrategy {
    var vips: VipsInteresting { self?.vips ?? VIPS_INTERESTING_NONE }
}
