import CommandSupport
import ArgumentParser
import Vips

/// `darkroom image crop`: a box, or the most interesting part.
struct CropCommand: ImageOperation {
    static let operationName = "crop"
    static let configuration = CommandConfiguration(
        commandName: "crop",
        abstract: "Crop a box, or the most interesting area (smart crop).",
        discussion: Help.discussion("""
            With --left and --top, cuts that box; with --smart, keeps the --width × --height area
            the strategy picks: attention (where the eye goes), entropy (most detail) or centre.
            """, examples: [
            "darkroom image crop photo.jpg face.jpg --left 100 --top 50 --width 400 --height 400",
            "darkroom image crop photo.jpg square.jpg --width 800 --height 800 --smart attention",
        ])
    )

    @OptionGroup var paths: InputOutput
    @Option(help: "Width of the crop.") var width: Int
    @Option(help: "Height of the crop.") var height: Int
    @Option(help: "Left edge of the box.") var left: Int?
    @Option(help: "Top edge of the box.") var top: Int?
    @Option(help: "Smart crop strategy: attention, entropy, centre, low, high.") var smart: CropStrategy?
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var inputOptions: InputOptions

    func validate() throws {
        guard width > 0, height > 0 else { throw ValidationError("--width and --height must be positive") }
        if smart != nil, left != nil || top != nil { throw ValidationError("--smart chooses the box itself: leave out --left and --top") }
        if smart == nil, left == nil || top == nil { throw ValidationError("give --left and --top for a box, or --smart") }
    }

    func transform(_ source: ImageSource, context: OperationContext) throws -> Image {
        let image = try source.load(context.loading)
        if let smart { return try image.smartCrop(width: width, height: height, strategy: smart) }
        return try image.crop(left: left ?? 0, top: top ?? 0, width: width, height: height)
    }
}
