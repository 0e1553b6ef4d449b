import CommandSupport
import ArgumentParser
import Vips

/// `darkroom image rotate`: upright from EXIF, by any angle, and mirrored.
struct RotateCommand: ImageOperation {
    static let operationName = "rotate"
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Rotate by an angle, turn upright from EXIF, or mirror.",
        discussion: Help.discussion("""
            Applied in order: --auto, then --angle (clockwise; multiples of 90 are exact, other
            angles are interpolated with --background in the corners), then --flip.
            """, examples: [
            "darkroom image rotate photo.jpg upright.jpg --auto",
            "darkroom image rotate photo.jpg turned.jpg --angle 90",
            "darkroom image rotate photo.png tilted.png --angle 12.5 --background '#ffffff'",
            "darkroom image rotate photo.jpg mirrored.jpg --flip horizontal",
        ])
    )

    @OptionGroup var paths: InputOutput
    @Option(help: "Clockwise angle in degrees.") var angle: Double?
    @Flag(help: "Turn upright from the EXIF orientation.") var auto = false
    @Option(help: "Mirror: horizontal or vertical.") var flip: FlipDirection?
    @Option(help: "Corner fill for angles that are not multiples of 90, as #rrggbb.") var background: Colour = .black
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var inputOptions: InputOptions

    func validate() throws {
        guard auto || angle != nil || flip != nil else { throw ValidationError("give --angle, --auto or --flip") }
        if let angle, !angle.isFinite { throw ValidationError("--angle must be a number") }
    }

    func transform(_ source: ImageSource, context: OperationContext) throws -> Image {
        var image = try source.load(context.loading)
        if auto { image = try image.autoRotate() }
        if let angle { image = try image.rotate(degrees: angle, background: background) }
        if let flip { image = try image.flip(flip) }
        return image
    }
}
