public import Vips

/// One operation of a ``TransformPlan``.
public enum TransformStep: Sendable, Equatable {
    /// How ``resize(width:height:fit:)`` fits the image into the box.
    public enum Fit: String, Sendable, CaseIterable {
        /// Inside the box, aspect ratio kept.
        case fit
        /// Cover the box and cut the overflow from the centre.
        case fill
        /// Cover the box and keep its most interesting part.
        case attention
        /// Exactly the box, aspect ratio ignored.
        case force
    }

    /// Turn the image upright from its EXIF orientation.
    case autoOrient
    /// Scale into a `width` × `height` box (either may be free, not both).
    case resize(width: Int?, height: Int?, fit: Fit)
    /// Shrink (never enlarge) into a `size` × `size` box; with a strategy, fill it exactly.
    case thumbnail(size: Int, crop: CropStrategy?)
    /// Cut out a box.
    case crop(x: Int, y: Int, width: Int, height: Int)
    /// Cut a `width` × `height` box where the strategy finds the most interest.
    case smartCrop(width: Int, height: Int, strategy: CropStrategy)
    /// Rotate clockwise by a multiple of 90 degrees.
    case rotate(degrees: Int)
    /// Mirror.
    case flip(FlipDirection)
    /// A line of text over one corner (or edge, or the centre).
    case watermark(text: String, position: Placement, opacity: Double)

    /// Whether the step reads its input in an order other than top to bottom, so that an input
    /// streaming from a decoder must be in memory first.
    var readsOutOfOrder: Bool {
        switch self {
        case .rotate(let degrees): degrees != 0
        case .flip(let direction): direction == .vertical
        case .smartCrop, .autoOrient: true
        default: false
        }
    }

    /// The step's name in the compact form (`resize`, `crop`…).
    public var name: String {
        switch self {
        case .autoOrient: "orient"
        case .resize: "resize"
        case .thumbnail: "thumbnail"
        case .crop: "crop"
        case .smartCrop: "smartcrop"
        case .rotate: "rotate"
        case .flip: "flip"
        case .watermark: "watermark"
        }
    }
}
