internal import CVips

/// The interpolation kernel of a resize.
public enum Kernel: String, Sendable, CaseIterable, Codable {
    case nearest, linear, cubic, mitchell, lanczos2, lanczos3

    var vips: VipsKernel {
        switch self {
        case .nearest: VIPS_KERNEL_NEAREST
        case .linear: VIPS_KERNEL_LINEAR
        case .cubic: VIPS_KERNEL_CUBIC
        case .mitchell: VIPS_KERNEL_MITCHELL
        case .lanczos2: VIPS_KERNEL_LANCZOS2
        case .lanczos3: VIPS_KERNEL_LANCZOS3
        }
    }
}

extension Image {
    /// Scales by `scale` horizontally and `verticalScale` (default: the same) vertically.
    /// Animations are resized frame by frame.
    public func resize(scale: Double, verticalScale: Double? = nil, kernel: Kernel = .lanczos3) throws -> Image {
        let vertical = verticalScale ?? scale
        guard scale > 0, vertical > 0, scale.isFinite, vertical.isFinite else {
            throw VipsError.invalidArgument("resize", "expected scales above 0 but received \(scale) × \(vertical)")
        }
        guard (Double(width) * scale).rounded() >= 1, (Double(pageHeight) * vertical).rounded() >= 1 else {
            throw VipsError.invalidArgument("resize", "scale \(scale) × \(vertical) would leave no pixels of \(width)×\(pageHeight)")
        }
        return try mapFrames("resize") { frame in
            try frame.derive("resize") { cvips_resize(frame.pointer, $0, scale, vertical, kernel.vips) }
        }
    }

    /// Resizes to exactly `width` × `height`; with `height` `nil`, keeps the aspect ratio.
    public func resize(width: Int, height: Int? = nil, kernel: Kernel = .lanczos3) throws -> Image {
        guard width > 0, height ?? 1 > 0 else {
            throw VipsError.invalidArgument("resize", "expected a positive size but received \(width)×\(height.map(String.init) ?? "auto")")
        }
        let scale = Double(width) / Double(self.width)
        let vertical = height.map { Double($0) / Double(pageHeight) } ?? scale
        return try resize(scale: scale, verticalScale: vertical, kernel: kernel)
    }
}
