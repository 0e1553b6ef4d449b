import ArgumentParser
import CommandSupport

/// `darkroom image …`: the standalone image tools.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Inspect, resize, convert, crop, rotate, watermark and tile images.",
        discussion: Help.discussion("""
            Commands take the input first, then the output, then options, like the vips tools.
            The output format follows the output's extension unless --format says otherwise.
            Outputs are written under a temporary name and renamed when complete, so a failure
            never leaves a broken file. Use - for standard input or output.
            """),
        subcommands: [
            InfoCommand.self, ThumbnailCommand.self, ResizeCommand.self, ConvertCommand.self,
            CropCommand.self, RotateCommand.self, WatermarkCommand.self, TileCommand.self,
            SheetCommand.self, BatchCommand.self, SampleCommand.self,
        ]
    )
}
