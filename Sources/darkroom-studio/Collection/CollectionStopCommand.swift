import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection stop <id>`.
struct CollectionStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop a cook: the piece in progress is cancelled and its points released.")

    @Argument(help: "The collection id.") var id: String
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout)
        let collection = try await WorkflowExit.running { try await workflow.stop(id, owner: user) }
        Console.line(CollectionOutput.line(collection))
    }
}
