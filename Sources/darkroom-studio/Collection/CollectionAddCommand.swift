import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection add <id> <media…>`.
struct CollectionAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add stored media (or a trained dataset's LoRA, by the dataset id) at the end.",
        discussion: Help.discussion("", examples: ["darkroom collection add col-… m_3f… m_9a… ds-0b5f…"]))

    @Argument(help: "The collection id.") var id: String
    @Argument(help: "Media ids, or dataset ids for their trained models.") var media: [String]
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let items = try await WorkflowExit.running { try await workflow.add(media, to: id, owner: user) }
        if json { return JSONOutput.print(items) }
        Console.line("\(id) holds \(items.count) item\(items.count == 1 ? "" : "s")")
    }
}
