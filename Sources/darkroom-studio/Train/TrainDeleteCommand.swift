import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom train delete <id>`.
struct TrainDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a draft (a submitted dataset is kept on record).")

    @Argument(help: "The dataset id.") var id: String
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        try await WorkflowExit.running { try await composition.trainModel().deleteDataset(id, owner: user) }
        Console.line("deleted \(id)")
    }
}
