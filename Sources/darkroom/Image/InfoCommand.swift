import CommandSupport
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Vips

/// `darkroom image info`: what an image's header says, without decoding its pixels.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show an image's size, format, colour, orientation and metadata.",
        discussion: Help.discussion("Reads the header only, so it is fast on any size of image.", examples: [
            "darkroom image info photo.jpg",
            "darkroom image info photo.jpg --json",
            "darkroom image info photo.jpg --exif",
        ])
    )

    @Argument(help: "The image, or - for standard input.") var input: String
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "List every EXIF field too.") var exif = false
    @Flag(help: "Allow libvips' untrusted loaders (SVG, PDF, JPEG XL, …).") var trusted = false

    /// The JSON document: the path, its size in bytes and the header.
    struct Report: Encodable {
        var path: String
        var bytes: Int
        var header: ImageHeader
    }

    func run() throws {
        CommandRuntime.configure(trusted: trusted)
        let source = try ImageSource(input, maxBytes: trusted ? .max : Limits.default.maxInputBytes)
        // Reading a header decodes nothing, so no pixel limit applies here; the byte limit does.
        var limits = trusted ? Limits.unlimited : Limits.default
        limits.maxPixels = .max
        limits.maxFrames = .max
        let header = try source.load(LoadOptions(limits: limits)).header
        let bytes: Int = switch source {
        case .file(let path): FileInfo.size(path)
        case .standardInput(let data): data.count
        }
        if json {
            JSONOutput.print(Report(path: source.name, bytes: bytes, header: header))
        } else {
            // EXIF strings and file names come from outside: Console.line shows them, inert.
            Console.line(table(header, name: source.name, bytes: bytes))
        }
    }

    private func table(_ header: ImageHeader, name: String, bytes: Int) -> String {
        var rows: [(String, String)] = [
            ("file", name),
            ("format", header.format?.rawValue ?? header.loader ?? "unknown"),
            ("size", "\(header.width) × \(header.height)"),
            ("frames", header.pages > 1 ? "\(header.pages)" : "1"),
            ("bands", "\(header.bands) × \(header.bandFormat.rawValue)"),
            ("colour space", header.colourSpace.rawValue),
            ("alpha", header.hasAlpha ? "yes" : "no"),
            ("icc profile", header.hasICCProfile ? "yes" : "no"),
            ("orientation", "\(header.orientation)"),
            ("file size", "\(ByteCount(bytes)) (\(bytes) bytes)"),
            ("exif", header.exif.isEmpty ? "none" : "\(header.exif.count) fields"),
        ]
        if let delays = header.frameDelays, header.pages > 1 { rows.append(("frame delays", delays.map { "\($0) ms" }.joined(separator: ", "))) }
        if let loop = header.loopCount, header.pages > 1 { rows.append(("loop", loop == 0 ? "forever" : "\(loop)")) }
        if exif { rows += header.exif.sorted { $0.key < $1.key }.map { ("  \($0.key)", $0.value) } }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }.joined(separator: "\n")
    }
}
