import CommandSupport
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SystemPackage
import Vips

/// `darkroom image tile`: a deep-zoom pyramid, like `vips dzsave`.
struct TileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tile",
        abstract: "Write a deep-zoom tile pyramid (DeepZoom, Google, IIIF, Zoomify) to a folder or a zip.",
        discussion: Help.discussion("""
            The output names the pyramid: 'out/photo' writes out/photo.dzi and out/photo_files/
            in the DeepZoom layout, the folder out/photo/ in the others; a name ending in .zip
            writes one zip file. Missing folders on the way are created. Produces the same files as vips dzsave with the same options.
            """, examples: [
            "darkroom image tile big.tif pyramid/big",
            "darkroom image tile big.tif pyramid/big --layout google --tile-size 256 --overlap 0",
            "darkroom image tile big.tif big.zip --tile-format webp --quality 80",
        ])
    )

    @Argument(help: "The input image.") var input: String
    @Argument(help: "The pyramid's name (a path without extension), or a path ending in .zip.") var output: String
    @Option(help: "Layout: dz, google, iiif, iiif3, zoomify.") var layout: DeepZoomOptions.Layout = .deepZoom
    @Option(help: "Tile edge in pixels (default: 254 for dz, 256 for google and zoomify, 512 for iiif).") var tileSize: Int?
    @Option(help: "Pixels shared by neighbouring tiles (default: 1 for dz, 0 for the others).") var overlap: Int?
    @Option(help: "Tile format: jpeg, png or webp.") var tileFormat: ImageFormat = .jpeg
    @Option(help: "Tile quality 1–100 (JPEG, WebP).") var quality: Int?
    @Flag(help: "Leave metadata out of the tiles.") var strip = false
    @Flag(help: "Replace whatever is at the output's names; without it only a pyramid darkroom wrote is replaced.") var force = false
    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        inputOptions.configureRuntime()
        let started = ContinuousClock.now
        let loading = inputOptions.loadOptions(access: .sequential)
        let source = try ImageSource(input, maxBytes: loading.limits.maxInputBytes)
        let image = try source.load(loading)
        var options = DeepZoomOptions(layout: layout, tileSize: tileSize, overlap: overlap, tileFormat: tileFormat,
                                      quality: quality, container: output.lowercased().hasSuffix(".zip") ? .zip : .folder,
                                      stripMetadata: strip)
        options.replaceAnything = force
        let folder = FilePath(output).removingLastComponent()
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder.string, withIntermediateDirectories: true) }
        let created = try image.deepZoom(to: output, options: options)
        if !inputOptions.quiet {
            Console.line("tile: \(source.name) (\(image.width)×\(image.height)) → \(created.joined(separator: ", ")) [\(layout.rawValue), \(options.resolvedTileSize) px tiles] in \(Milliseconds((ContinuousClock.now - started).seconds))")
        }
    }
}
