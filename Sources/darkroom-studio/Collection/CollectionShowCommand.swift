import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection show <id>`.
struct CollectionShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A collection: its members, its series and its pieces.")

    @Argument(help: "The collection id.") var id: String
    @Flag(help: "List every piece too.") var pieces = false
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let detail = try await WorkflowExit.running { try await workflow.detail(id, owner: user) }
        let list = pieces ? try await WorkflowExit.running { try await workflow.pieces(of: id, owner: user) } : nil
        CollectionOutput.print(detail, pieces: list, json: json)
    }
}
