import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection order <id> <media…>`.
struct CollectionOrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "order", abstract: "Put the members in a new order (name every member once).")

    @Argument(help: "The collection id.") var id: String
    @Argument(help: "Every member's media id, in the new order.") var media: [String]
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let items = try await WorkflowExit.running { try await workflow.reorder(id, owner: user, as: media) }
        if json { return JSONOutput.print(items) }
        items.forEach { Console.line("\($0.position)  \($0.media)") }
    }
}
