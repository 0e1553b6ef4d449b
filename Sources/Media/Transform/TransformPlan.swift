import Vips

/// A typed image transformation: steps run in order as one libvips pipeline, then the result
/// encoded as ``output`` says. Built in code or parsed from the compact form
/// (``init(parsing:)``) that URLs and command lines carry:
///
/// ```
/// orient/resize:800x600:fill/watermark:%C2%A9%20Darkroom:bottomRight:0.5/format:webp:q80:strip
/// ```
///
/// | step | form |
/// |---|---|
/// | auto-orient | `orient` |
/// | resize | `resize:WxH[:fit\|fill\|attention\|force]`, `resize:W`, `resize:xH` |
/// | thumbnail | `thumbnail:S[:centre\|attention\|entropy]` (never enlarges) |
/// | crop | `crop:X:Y:WxH` |
/// | smart crop | `smartcrop:WxH[:attention\|entropy\|centre]` |
/// | rotate | `rotate:90\|180\|270` |
/// | flip | `flip:h\|v` |
/// | watermark | `watermark:TEXT[:POSITION[:OPACITY]]`, TEXT percent-encoded |
/// | output | `format:FORMAT[:qN][:lossless][:strip]`, last |
public struct TransformPlan: Sendable, Equatable, CustomStringConvertible {
    /// Longest side a step may ask for.
    public static let maximumSide = 16_384
    /// Most steps in one plan.
    public static let maximumSteps = 16
    /// Longest watermark text, in characters.
    public static let maximumTextLength = 200

    public var steps: [TransformStep]
    public var output: OutputSpec

    /// A plan from steps built in code; ``validate()`` checks them (running does too).
    public init(_ steps: [TransformStep], output: OutputSpec = OutputSpec()) {
        self.steps = steps
        self.output = output
    }

    /// Every value in range, or `invalid_params` naming the step (by position and name) and the value.
    public func validate() throws {
        guard steps.count <= Self.maximumSteps else {
            throw MediaError(.invalidParams, "a plan has at most \(Self.maximumSteps) steps, this one has \(steps.count)")
        }
        for (index, step) in steps.enumerated() {
            func refuse(_ message: String) -> MediaError {
                MediaError(.invalidParams, "step \(index + 1) (\(step.name)): \(message)")
            }
            func side(_ value: Int?, _ what: String) throws {
                guard let value else { return }
                guard (1...Self.maximumSide).contains(value) else {
                    throw refuse("\(what) must be 1 … \(Self.maximumSide), not \(value)")
                }
            }
            switch step {
            case .autoOrient: break
            case .resize(let width, let height, let fit):
                guard width != nil || height != nil else { throw refuse("give a width, a height or both") }
                guard fit == .fit || (width != nil && height != nil) else { throw refuse("\(fit.rawValue) needs both a width and a height") }
                try side(width, "width")
                try side(height, "height")
            case .thumbnail(let size, _):
                try side(size, "size")
            case .crop(let x, let y, let width, let height):
                guard x >= 0, y >= 0, x <= Self.maximumSide * 4, y <= Self.maximumSide * 4 else {
                    throw refuse("the corner must be at 0 or more, not \(x),\(y)")
                }
                try side(width, "width")
                try side(height, "height")
            case .smartCrop(let width, let height, _):
                try side(width, "width")
                try side(height, "height")
            case .rotate(let degrees):
                guard [0, 90, 180, 270].contains(degrees) else { throw refuse("degrees must be 0, 90, 180 or 270, not \(degrees)") }
            case .flip: break
            case .watermark(let text, _, let opacity):
                guard !text.isEmpty, text.count <= Self.maximumTextLength else {
                    throw refuse("the text must be 1 … \(Self.maximumTextLength) characters, not \(text.count)")
                }
                guard opacity > 0, opacity <= 1 else { throw refuse("opacity must be above 0 and at most 1, not \(opacity)") }
            }
        }
        if let quality = output.quality, !(1...100).contains(quality) {
            throw MediaError(.invalidParams, "format: quality must be 1 … 100, not \(quality)")
        }
    }

    /// The compact form; parsing it gives this plan back.
    public var description: String {
        var parts = steps.map(Self.compact)
        if let format = output.format {
            var spec = ["format", format.rawValue]
            if let quality = output.quality { spec.append("q\(quality)") }
            if output.lossless { spec.append("lossless") }
            if output.stripMetadata { spec.append("strip") }
            parts.append(spec.joined(separator: ":"))
        }
        return parts.joined(separator: "/")
    }

    private static func compact(_ step: TransformStep) -> String {
        func box(_ width: Int?, _ height: Int?) -> String {
            "\(width.map(String.init) ?? "")\(height.map { "x\($0)" } ?? "")"
        }
        switch step {
        case .autoOrient: return "orient"
        case .resize(let width, let height, let fit): return "resize:\(box(width, height))\(fit == .fit ? "" : ":\(fit.rawValue)")"
        case .thumbnail(let size, let crop): return "thumbnail:\(size)\(crop.map { ":\($0.rawValue)" } ?? "")"
        case .crop(let x, let y, let width, let height): return "crop:\(x):\(y):\(width)x\(height)"
        case .smartCrop(let width, let height, let strategy): return "smartcrop:\(width)x\(height):\(strategy.rawValue)"
        case .rotate(let degrees): return "rotate:\(degrees)"
        case .flip(let direction): return "flip:\(direction == .horizontal ? "h" : "v")"
        case .watermark(let text, let position, let opacity):
            return "watermark:\(PercentCoding.encoded(text)):\(position.rawValue):\(opacity)"
        }
    }
}
