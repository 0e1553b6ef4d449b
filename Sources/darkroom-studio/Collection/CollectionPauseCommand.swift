import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection pause <id>`.
struct CollectionPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause a cook: the piece in progress finishes, no new one starts.")

    @Argument(help: "The collection id.") var id: String
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let collection = try await WorkflowExit.running { try await workflow.pause(id, owner: user) }
        Console.line(CollectionOutput.line(collection))
    }
}
