internal import CVips

/// A mirror axis.
public enum FlipDirection: String, Sendable, CaseIterable, Codable {
    /// Left and right swap.
    case horizontal
    /// Top and bottom swap.
    case vertical
}

extension Image {
    /// Rotates clockwise by `degrees`. Multiples of 90° are exact (pixels are moved, never
    /// resampled); any other angle is interpolated and the corners filled with `background`.
    public func rotate(degrees: Double, background: Colour = .black) throws -> Image {
        guard degrees.isFinite else {
            throw VipsError.invalidArgument("rotate", "expected a finite angle but received \(degrees)")
        }
        var normalised = degrees.truncatingRemainder(dividingBy: 360)
        if normalised < 0 { normalised += 360 }
        let angle: VipsAngle?
        switch normalised {
        case 0: return self
        case 90: angle = VIPS_ANGLE_D90
        case 180: angle = VIPS_ANGLE_D180
        case 270: angle = VIPS_ANGLE_D270
        default: angle = nil
        }
        return try mapFrames("rotate") { frame in
            if let angle {
                return try frame.derive("rotate") { cvips_rot(frame.pointer, $0, angle) }
            }
            let fill = background.values(forBands: frame.bands)
            return try frame.derive("rotate") { cvips_rotate(frame.pointer, $0, normalised, fill, Int32(fill.count)) }
        }
    }

    /// Mirrors the image.
    public func flip(_ direction: FlipDirection) throws -> Image {
        let vipsDirection = direction == .horizontal ? VIPS_DIRECTION_HORIZONTAL : VIPS_DIRECTION_VERTICAL
        return try mapFrames("flip") { frame in
            try frame.derive("flip") { cvips_flip(frame.pointer, $0, vipsDirection) }
        }
    }

    /// Turns the image upright according to its EXIF orientation and resets the tag to 1.
    public func autoRotate() throws -> Image {
        guard vips_image_get_orientation(pointer) > 1 else { return self }
        return try derive("auto-rotate") { cvips_autorot(pointer, $0) }
    }
}
