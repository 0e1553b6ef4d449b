import CommandSupport
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Vips

/// A command that reads one image, transforms it and writes one image. `batch` runs the same
/// commands over many files, so the transform is described once, in ``transform(_:context:)``.
protocol ImageOperation: ParsableCommand, Sendable {
    /// The command's name in messages (`thumbnail`).
    static var operationName: String { get }
    var paths: InputOutput { get set }
    var outputOptions: OutputOptions { get }
    var inputOptions: InputOptions { get }
    /// Makes the image to save from the input.
    func transform(_ source: ImageSource, context: OperationContext) throws -> Image
}

/// What a transform may need to know about the run.
struct OperationContext {
    /// The format the output will be written in.
    var outputFormat: ImageFormat
    /// Load options from `--trusted`/`--max-pixels`; sequential access when nothing reads twice.
    var loading: LoadOptions

    /// Whether to keep every frame: when the output format can hold an animation.
    var keepsFrames: Bool { outputFormat.supportsAnimation }
}

/// What one run of an operation did, for the summary line.
struct OperationResult: Sendable {
    var input: String
    var output: String
    var inputSize: String
    var outputWidth: Int
    var outputHeight: Int
    var frames: Int
    var format: ImageFormat
    var bytes: Int
    var seconds: Double

    var line: String {
        let animation = frames > 1 ? ", \(frames) frames" : ""
        return "\(input) (\(inputSize)) → \(output) (\(outputWidth)×\(outputHeight) \(format.rawValue)\(animation), \(ByteCount(bytes))) in \(Milliseconds(seconds))"
    }
}

extension ImageOperation {
    mutating func run() throws {
        inputOptions.configureRuntime()
        let result = try execute(describingInput: !inputOptions.quiet)
        if !inputOptions.quiet, paths.output != "-" { Console.line("\(Self.operationName): \(result.line)") }
    }

    /// Loads, transforms and saves: the output is written atomically, or to standard output.
    /// `describingInput` reads the input's header once more for the summary line.
    func execute(describingInput: Bool = true) throws -> OperationResult {
        let started = ContinuousClock.now
        let format = try outputOptions.format(for: paths.output)
        let loading = inputOptions.loadOptions(allPages: format.supportsAnimation)
        let source = try ImageSource(paths.input, maxBytes: loading.limits.maxInputBytes)
        let context = OperationContext(outputFormat: format, loading: loading)
        let image = try transform(source, context: context)
        let options = outputOptions.saveOptions
        let bytes: Int
        if paths.output == "-" {
            let data = try image.data(format: format, options: options)
            Console.output(data)
            bytes = data.count
        } else {
            try image.save(to: paths.output, format: format, options: options)
            bytes = FileInfo.size(paths.output)
        }
        return OperationResult(input: source.name, output: paths.output == "-" ? "<stdout>" : paths.output,
                               inputSize: describingInput ? inputDescription(source, loading: context.loading) : "",
                               outputWidth: image.width, outputHeight: image.pageHeight, frames: image.frameCount,
                               format: format, bytes: bytes, seconds: (ContinuousClock.now - started).seconds)
    }

    /// `640×480 jpeg`, read again from the header (cheap: no pixels are decoded).
    private func inputDescription(_ source: ImageSource, loading: LoadOptions) -> String {
        guard let header = try? source.load(loading).header else { return "?" }
        return "\(header.width)×\(header.height) \(header.format?.rawValue ?? header.loader ?? "image")"
    }
}

/// A byte count for people: `512 B`, `23.4 kB`, `5.2 MB`.
struct ByteCount: CustomStringConvertible {
    var bytes: Int
    init(_ bytes: Int) { self.bytes = bytes }
    var description: String {
        switch bytes {
        case ..<1_000: "\(bytes) B"
        case ..<1_000_000: "\(Format.oneDecimal(Double(bytes) / 1_000)) kB"
        default: "\(Format.oneDecimal(Double(bytes) / 1_000_000)) MB"
        }
    }
}

/// A duration for people: `12 ms`, `2.31 s`.
struct Milliseconds: CustomStringConvertible {
    var seconds: Double
    init(_ seconds: Double) { self.seconds = seconds }
    var description: String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : "\(Format.decimal(seconds, places: 2)) s"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
