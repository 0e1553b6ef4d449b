internal import CVips

/// How an input is opened.
public struct LoadOptions: Sendable, Equatable {
    /// Caps checked from the header before decoding. Default ``Limits/default``.
    public var limits: Limits
    /// Which decoding problems make loading fail. Default ``FailOn/truncated``: a truncated file
    /// is an error, not a picture with a grey bottom.
    public var failOn: FailOn
    /// Load every frame of an animation (GIF, WebP, multi-page TIFF/HEIF) as one tall image,
    /// frames stacked, instead of only the first. Default `false`.
    public var allPages: Bool
    /// The order pixels will be read in. ``Access/sequential`` streams top to bottom with little
    /// memory, for pipelines that read each pixel once (thumbnail, resize, convert);
    /// ``Access/random`` (the default) allows any operation.
    public var access: Access

    public init(limits: Limits = .default, failOn: FailOn = .truncated, allPages: Bool = false,
                access: Access = .random) {
        self.limits = limits
        self.failOn = failOn
        self.allPages = allPages
        self.access = access
    }

    /// Which decoding problems are errors.
    public enum FailOn: String, Sendable, CaseIterable {
        /// Never fail: decode what can be decoded.
        case none
        /// Fail on truncated input.
        case truncated
        /// Fail on truncation and on serious decoding errors.
        case error
        /// Fail on anything, even warnings.
        case warning

        var vips: VipsFailOn {
            switch self {
            case .none: VIPS_FAIL_ON_NONE
            case .truncated: VIPS_FAIL_ON_TRUNCATED
            case .error: VIPS_FAIL_ON_ERROR
            case .warning: VIPS_FAIL_ON_WARNING
            }
        }
    }

    /// Pixel access pattern.
    public enum Access: String, Sendable, CaseIterable {
        case random, sequential

        var vips: VipsAccess { self == .random ? VIPS_ACCESS_RANDOM : VIPS_ACCESS_SEQUENTIAL }
    }
}
