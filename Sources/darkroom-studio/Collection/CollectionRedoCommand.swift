import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection redo <id> <numbers…>`.
struct CollectionRedoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redo", abstract: "Make pieces again under the series' current configuration (the next cook makes them first).",
        discussion: Help.discussion("""
            Each piece is drawn afresh (the same draw when the configuration is unchanged) and its old
            image leaves the collection; the image stays in the history.
            """, examples: ["darkroom collection redo col-… 3 7", "darkroom collection cook col-…"]))

    @Argument(help: "The collection id.") var id: String
    @Argument(help: "Piece numbers.") var numbers: [Int]
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let pieces = try await WorkflowExit.running { try await workflow.redo(id, owner: user, pieces: numbers) }
        if json { return JSONOutput.print(pieces) }
        pieces.map(CollectionOutput.piece).forEach(Console.line)
    }
}
