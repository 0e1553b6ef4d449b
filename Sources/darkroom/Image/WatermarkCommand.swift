import CommandSupport
import ArgumentParser
import Vips

/// `darkroom image watermark`: an image or text over a corner (or anywhere) of the picture.
struct WatermarkCommand: ImageOperation {
    static let operationName = "watermark"
    static let configuration = CommandConfiguration(
        commandName: "watermark",
        abstract: "Put an image or a line of text over the picture.",
        discussion: Help.discussion("""
            A watermark image is scaled to --scale × the picture's width (keeping its aspect)
            unless --scale is 0. Positions: top-left, top, top-right, left, centre, right,
            bottom-left, bottom, bottom-right.
            """, examples: [
            "darkroom image watermark photo.jpg marked.jpg --text '© Darkroom' --position bottom-right",
            "darkroom image watermark photo.jpg marked.jpg --image logo.png --scale 0.15 --opacity 0.6",
        ])
    )

    @OptionGroup var paths: InputOutput
    @Option(help: "An image to overlay (PNG with transparency works best).") var image: String?
    @Option(help: "Text to overlay (Pango markup allowed).") var text: String?
    @Option(help: "Font for --text, as a Pango description.") var font = "sans bold 24"
    @Option(help: "Colour for --text, as #rrggbb or #rrggbbaa.") var colour: Colour = .white
    @Option(help: "Width of --image relative to the picture's width; 0 keeps its size.") var scale = 0.2
    @Option(help: "Where the watermark goes.") var position: Placement = .bottomRight
    @Option(help: "Opacity from 0 to 1.") var opacity = 0.5
    @Option(help: "Distance from the edges in pixels.") var margin = 16
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var inputOptions: InputOptions

    func validate() throws {
        guard (image == nil) != (text == nil) else { throw ValidationError("give either --image or --text") }
        guard (0...1).contains(opacity) else { throw ValidationError("--opacity must be between 0 and 1") }
        guard scale >= 0, scale <= 1 else { throw ValidationError("--scale must be between 0 and 1") }
        guard margin >= 0 else { throw ValidationError("--margin must not be negative") }
    }

    func transform(_ source: ImageSource, context: OperationContext) throws -> Image {
        var loading = context.loading
        loading.allPages = false
        let picture = try source.load(loading).autoRotate()
        let mark: Image
        if let text {
            mark = try Image.text(text, font: font, colour: colour)
        } else {
            let logo = try Image(contentsOfFile: image ?? "", options: context.loading)
            let width = Int((Double(picture.width) * scale).rounded())
            mark = scale > 0 && width > 0 ? try logo.resize(width: width) : logo
        }
        return try picture.composite(mark, at: position, margin: margin, opacity: opacity)
    }
}
