import CommandSupport
import ArgumentParser
import Vips

/// `darkroom image sample`: a synthetic, photo-like image to try the other commands on.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a synthetic photo-like image (colour gradients plus noise).",
        discussion: Help.discussion("The same size and seed always give the same pixels.", examples: [
            "darkroom image sample sample.jpg",
            "darkroom image sample big.tif --width 6000 --height 4000 --seed 3",
            "darkroom image sample overlay.png --width 800 --height 600 --alpha",
        ])
    )

    @Argument(help: "Where to write the image; the extension picks the format.")
    var output: String

    @Option(help: "Width in pixels.") var width = 1920
    @Option(help: "Height in pixels.") var height = 1280
    @Option(help: "Noise seed.") var seed = 1
    @Flag(help: "Add an alpha band that fades across the image.") var alpha = false
    @OptionGroup var outputOptions: OutputOptions
    @Flag(name: .shortAndLong, help: "Print nothing but errors.") var quiet = false

    func run() throws {
        CommandRuntime.configure(trusted: false)
        let started = ContinuousClock.now
        let format = try outputOptions.format(for: output)
        try Image.sample(width: width, height: height, seed: seed, alpha: alpha).save(to: output, format: format, options: outputOptions.saveOptions)
        if !quiet {
            Console.line("sample: wrote \(output) (\(width)×\(height) \(format.rawValue)) in \(Milliseconds((ContinuousClock.now - started).seconds))")
        }
    }
}
