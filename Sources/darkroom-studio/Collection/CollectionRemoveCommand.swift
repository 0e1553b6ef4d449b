import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection remove <id> <media>`.
struct CollectionRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Take media out of a collection (the media stays).")

    @Argument(help: "The collection id.") var id: String
    @Argument(help: "The media id.") var media: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let items = try await WorkflowExit.running { try await workflow.remove(media, from: id, owner: user) }
        if json { return JSONOutput.print(items) }
        Console.line("\(id) holds \(items.count) item\(items.count == 1 ? "" : "s")")
    }
}
