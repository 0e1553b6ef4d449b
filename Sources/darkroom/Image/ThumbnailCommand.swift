import CommandSupport
import ArgumentParser
import Vips

/// `darkroom image thumbnail`: the fast path, with shrink-on-load, like `vipsthumbnail`.
struct ThumbnailCommand: ImageOperation {
    static let operationName = "thumbnail"
    static let configuration = CommandConfiguration(
        commandName: "thumbnail",
        abstract: "Make a thumbnail that fits a box, fast (shrink-on-load).",
        discussion: Help.discussion("""
            The image is fitted inside --width × --height (the height is free when not given),
            turned upright from its EXIF orientation first. --crop fills the box exactly instead.
            Produces the same pixels as vipsthumbnail given the same request.
            """, examples: [
            "darkroom image thumbnail photo.jpg thumb.jpg --width 512",
            "darkroom image thumbnail photo.jpg avatar.webp --width 256 --height 256 --crop attention",
            "cat photo.jpg | darkroom image thumbnail - - --width 128 --format png > thumb.png",
        ])
    )

    enum Crop: String, ExpressibleByArgument, CaseIterable {
        case none, centre, attention, entropy
        var strategy: CropStrategy? { self == .none ? nil : CropStrategy(rawValue: rawValue) }
    }

    @OptionGroup var paths: InputOutput
    @Option(help: "Width of the box in pixels.") var width: Int
    @Option(help: "Height of the box in pixels (default: unbounded).") var height: Int?
    @Option(help: "Fill the box by cropping: none, centre, attention, entropy.") var crop: Crop = .none
    @Flag(help: "Never enlarge an image smaller than the box.") var noUpsize = false
    @Flag(help: "Ignore the EXIF orientation.") var noRotate = false
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var inputOptions: InputOptions

    func validate() throws {
        guard width > 0, height ?? 1 > 0 else { throw ValidationError("--width and --height must be positive") }
        if crop != .none, height == nil { throw ValidationError("--crop needs --height too") }
    }

    func transform(_ source: ImageSource, context: OperationContext) throws -> Image {
        let options = ThumbnailOptions(height: height, crop: crop.strategy, resizing: noUpsize ? .downOnly : .any,
                                       autoRotate: !noRotate)
        var loading = context.loading
        loading.allPages = context.keepsFrames
        return try source.thumbnail(width: width, options: options, loading: loading)
    }
}
