public import Media
public import Vips

/// One operation of the mediaProcessing workflow. The local ones run with the image library and
/// are free; ``upscale(scale:template:)`` and ``removeBackground(template:)`` run as ComfyUI
/// templates (kinds `upscale` and `rmbg`) and are charged on the server's run time.
public enum MediaOperation: Sendable, Equatable {
    case resize(width: Int?, height: Int?, fit: TransformStep.Fit)
    case thumbnail(size: Int, crop: CropStrategy?)
    /// Convert to another format (or re-encode with other options).
    case format(OutputSpec)
    case crop(x: Int, y: Int, width: Int, height: Int)
    case smartCrop(width: Int, height: Int, strategy: CropStrategy)
    case rotate(degrees: Int)
    case flip(FlipDirection)
    case watermark(text: String, position: Placement, opacity: Double)
    /// Any chain of local steps, as a plan.
    case plan(TransformPlan)
    /// Enlarge by `scale` (above 1, at most 8) through an `upscale` template (`upscale` unless named).
    case upscale(scale: Double, template: String?)
    /// Cut the subject out onto transparency through an `rmbg` template (`rmbg` unless named).
    case removeBackground(template: String?)

    /// The operation's name, as the CLI and the HTTP API spell it.
    public var name: String {
        switch self {
        case .resize: "resize"
        case .thumbnail: "thumbnail"
        case .format: "format"
        case .crop, .smartCrop: "crop"
        case .rotate: "rotate"
        case .flip: "flip"
        case .watermark: "watermark"
        case .plan: "plan"
        case .upscale: "upscale"
        case .removeBackground: "remove_background"
        }
    }

    /// The plan a local operation runs; `nil` for the ComfyUI ones.
    public var localPlan: TransformPlan? {
        switch self {
        case .resize(let width, let height, let fit): TransformPlan([.resize(width: width, height: height, fit: fit)])
        case .thumbnail(let size, let crop): TransformPlan([.thumbnail(size: size, crop: crop)])
        case .format(let output): TransformPlan([], output: output)
        case .crop(let x, let y, let width, let height): TransformPlan([.crop(x: x, y: y, width: width, height: height)])
        case .smartCrop(let width, let height, let strategy): TransformPlan([.smartCrop(width: width, height: height, strategy: strategy)])
        case .rotate(let degrees): TransformPlan([.rotate(degrees: degrees)])
        case .flip(let direction): TransformPlan([.flip(direction)])
        case .watermark(let text, let position, let opacity): TransformPlan([.watermark(text: text, position: position, opacity: opacity)])
        case .plan(let plan): plan
        case .upscale, .removeBackground: nil
        }
    }
}
