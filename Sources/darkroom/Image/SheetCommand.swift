import CommandSupport
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SystemPackage
import Vips

/// `darkroom image sheet`: a contact sheet of many images.
struct SheetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "Lay many images out on one contact sheet.",
        discussion: Help.discussion("""
            Each image is thumbnailed into a --cell × --cell square and laid out --columns per
            row, optionally with its file name underneath. Inputs may be files, folders or quoted
            glob patterns. A file that cannot be read is reported and left out.
            """, examples: [
            "darkroom image sheet photos/ --output sheet.jpg --columns 5 --labels",
            "darkroom image sheet 'shoot/*.jpg' --output sheet.png --cell 200 --background '#202020'",
        ])
    )

    @Argument(help: "Images, folders or glob patterns.") var inputs: [String]
    @Option(name: .shortAndLong, help: "The sheet to write.") var output: String
    @Option(help: "Images per row.") var columns = 4
    @Option(help: "Edge of each cell in pixels.") var cell = 256
    @Option(help: "Pixels between cells.") var spacing = 8
    @Flag(help: "Write each file's name under its image.") var labels = false
    @Option(help: "Background colour as #rrggbb.") var background: Colour = .white
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var inputOptions: InputOptions

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input") }
        guard columns > 0, cell >= 16, spacing >= 0 else { throw ValidationError("--columns ≥ 1, --cell ≥ 16 and --spacing ≥ 0 are required") }
    }

    func run() throws {
        inputOptions.configureRuntime()
        let started = ContinuousClock.now
        let files = try InputFiles.expand(inputs)
        guard !files.isEmpty else { throw Failure(.input, "no images found in \(inputs.joined(separator: " "))") }
        var thumbnails: [(name: String, image: Image)] = []
        var failures = 0
        for file in files {
            do {
                let thumbnail = try Image.thumbnail(ofFile: file, width: cell, options: ThumbnailOptions(height: cell),
                                                    loading: inputOptions.loadOptions())
                thumbnails.append((FilePath(file).lastComponent?.string ?? file, try thumbnail.toSRGB()))
            } catch let error as VipsError {
                failures += 1
                _ = Failure(error, verbose: inputOptions.verbose).report()
            }
        }
        guard !thumbnails.isEmpty else { throw Failure(.input, "none of the \(files.count) inputs could be read") }
        let cells = try layOut(thumbnails)
        let grid = try Image.grid(cells, columns: columns, spacing: spacing, background: background).flatten(background: background)
        let sheet = try grid.padded(width: grid.width + 2 * spacing, height: grid.height + 2 * spacing, background: background)
        let format = try outputOptions.format(for: output)
        try sheet.save(to: output, format: format, options: outputOptions.saveOptions)
        if !inputOptions.quiet {
            Console.line("sheet: \(cells.count) images → \(output) (\(sheet.width)×\(sheet.height)) in \(Milliseconds((ContinuousClock.now - started).seconds))")
        }
        if failures > 0 { throw Failure(.partial, "\(failures) of \(files.count) inputs could not be read") }
    }

    /// Every cell the same size: the thumbnail centred in a square, its name under it.
    private func layOut(_ thumbnails: [(name: String, image: Image)]) throws -> [Image] {
        let squares = try thumbnails.map { try $0.image.padded(width: cell, height: cell, background: background) }
        guard labels else { return squares }
        let texts = try thumbnails.map { thumbnail in
            let escaped = thumbnail.name.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
            return try Image.text(escaped, font: "sans 12", width: cell, alignment: .centre,
                                  colour: background.isDark ? .white : .black)
        }
        let labelHeight = texts.map(\.height).max() ?? 0
        return try zip(squares, texts).map { square, text in
            let canvas = try square.padded(width: cell, height: cell + 4 + labelHeight, alignment: .top, background: background)
            let label = try text.padded(width: cell, height: labelHeight, alignment: .top, background: .transparent)
            return try canvas.composite(label, x: 0, y: cell + 4)
        }
    }
}

extension Colour {
    /// Whether text on this colour should be light.
    var isDark: Bool { 0.2126 * red + 0.7152 * green + 0.0722 * blue < 128 }
}
