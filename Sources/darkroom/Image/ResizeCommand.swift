import CommandSupport
import ArgumentParser
import Vips

/// `darkroom image resize`: scale by a factor or to a size, with a chosen kernel.
struct ResizeCommand: ImageOperation {
    static let operationName = "resize"
    static let configuration = CommandConfiguration(
        commandName: "resize",
        abstract: "Resize by a factor or to an exact size.",
        discussion: Help.discussion("""
            --scale keeps the aspect ratio; --width alone too; --width with --height sets both.
            Animations keep every frame when the output format holds them (GIF, WebP).
            """, examples: [
            "darkroom image resize photo.jpg half.jpg --scale 0.5",
            "darkroom image resize photo.jpg small.png --width 720 --height 588 --kernel lanczos3",
            "darkroom image resize anim.gif small.gif --width 200",
        ])
    )

    @OptionGroup var paths: InputOutput
    @Option(help: "Scale factor, e.g. 0.5.") var scale: Double?
    @Option(help: "Output width in pixels.") var width: Int?
    @Option(help: "Output height in pixels (needs --width).") var height: Int?
    @Option(help: "Kernel: nearest, linear, cubic, mitchell, lanczos2, lanczos3.") var kernel: Kernel = .lanczos3
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var inputOptions: InputOptions

    func validate() throws {
        switch (scale, width, height) {
        case (let scale?, nil, nil): guard scale > 0 else { throw ValidationError("--scale must be above 0") }
        case (nil, let width?, _): guard width > 0, height ?? 1 > 0 else { throw ValidationError("--width and --height must be positive") }
        default: throw ValidationError("give either --scale, or --width (and optionally --height)")
        }
    }

    func transform(_ source: ImageSource, context: OperationContext) throws -> Image {
        var loading = context.loading
        loading.access = .sequential
        let image = try source.load(loading)
        if let scale { return try image.resize(scale: scale, kernel: kernel) }
        return try image.resize(width: width ?? image.width, height: height, kernel: kernel)
    }
}
