import CommandSupport
import ArgumentParser
import Vips

/// The input and output every single-image command takes, in the `vips` tools' order.
struct InputOutput: ParsableArguments {
    @Argument(help: "The input image, or - for standard input.")
    var input: String

    @Argument(help: "The output image, or - for standard output (then --format is required).")
    var output: String
}

/// How the output is encoded (the library's `SaveOptions`).
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format (default: from the output file's extension).")
    var format: ImageFormat?

    @Option(help: "Quality 1–100 for JPEG, WebP, AVIF/HEIF, JPEG XL; a palette quality for PNG.")
    var quality: Int?

    @Option(help: "Compression effort: PNG 0–9, WebP 0–6, AVIF/HEIF 0–9, GIF 1–10, JPEG XL 1–9.")
    var effort: Int?

    @Flag(help: "Lossless WebP, AVIF/HEIF or JPEG XL.")
    var lossless = false

    @Flag(help: "Progressive JPEG or interlaced PNG.")
    var progressive = false

    @Flag(help: "Leave EXIF, XMP, IPTC and ICC metadata out.")
    var strip = false

    @Option(help: "TIFF compression: none, deflate, lzw, jpeg, webp, zstd.")
    var tiffCompression: SaveOptions.TiffCompression = .none

    /// The format to write `path` in: `--format`, else the path's extension.
    func format(for path: String) throws -> ImageFormat {
        if let format { return format }
        if path == "-" { throw Failure(.usage, "writing to standard output needs --format") }
        guard let format = ImageFormat(path: path) else {
            throw Failure(.usage, "\(path): cannot tell the format from the extension; use --format or one of .jpg .png .webp .avif .heic .gif .tif .jxl")
        }
        return format
    }

    var saveOptions: SaveOptions {
        SaveOptions(quality: quality, effort: effort, lossless: lossless, progressive: progressive,
                    stripMetadata: strip, tiffCompression: tiffCompression)
    }
}

/// How inputs are opened, and how much the command says.
struct InputOptions: ParsableArguments {
    @Flag(help: "Trust the input: lift the size limits and allow libvips' untrusted loaders (SVG, PDF, JPEG XL, …).")
    var trusted = false

    @Option(help: "Refuse inputs with more pixels than this (default 100000000).")
    var maxPixels: Int?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Add libvips' own message to errors.")
    var verbose = false

    func loadOptions(allPages: Bool = false, access: LoadOptions.Access = .random) -> LoadOptions {
        var limits = trusted ? Limits.unlimited : Limits.default
        if let maxPixels { limits.maxPixels = maxPixels }
        return LoadOptions(limits: limits, allPages: allPages, access: access)
    }

    /// Applies `--trusted` to the process before any image is opened.
    func configureRuntime(concurrency: Int? = nil, cachedOperations: Int? = nil) {
        CommandRuntime.configure(trusted: trusted, concurrency: concurrency, cachedOperations: cachedOperations)
    }
}

/// The libvips settings of a command-line run, applied once, first thing, on the main thread.
enum CommandRuntime {
    /// libvips' optional modules (HEIF, JPEG XL, …) load only when a file needs them: a JPEG
    /// thumbnail starts 20 ms faster and 8 MB lighter.
    static func configure(trusted: Bool, concurrency: Int? = nil, cachedOperations: Int? = nil) {
        var configuration = VipsConfiguration()
        if let cachedOperations { configuration.maxCachedOperations = cachedOperations }
        configuration.blockUntrustedLoaders = !trusted
        configuration.concurrency = concurrency
        configuration.loadModulesOnDemand = true
        VipsRuntime.configure(configuration)
    }
}
