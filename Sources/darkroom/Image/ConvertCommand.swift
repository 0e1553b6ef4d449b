import CommandSupport
import ArgumentParser
import Vips

/// `darkroom image convert`: change format and encoding options.
struct ConvertCommand: ImageOperation {
    static let operationName = "convert"
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert to another format or re-encode with other options.",
        discussion: Help.discussion("Animations stay animated between GIF and WebP.", examples: [
            "darkroom image convert photo.png photo.webp --quality 80",
            "darkroom image convert photo.jpg photo.avif --effort 6 --strip",
            "darkroom image convert anim.gif anim.webp --lossless",
        ])
    )

    @OptionGroup var paths: InputOutput
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var inputOptions: InputOptions

    func transform(_ source: ImageSource, context: OperationContext) throws -> Image {
        var loading = context.loading
        loading.access = .sequential
        return try source.load(loading)
    }
}
