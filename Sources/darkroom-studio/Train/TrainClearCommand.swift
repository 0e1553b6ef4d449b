import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom train clear <id> <slot>`.
struct TrainClearCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear", abstract: "Empty a slot of a draft (its image stays in the user's media).")

    @Argument(help: "The dataset id.") var id: String
    @Argument(help: "The slot, 1 … 20.") var slot: Int
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        DatasetOutput.print(try await WorkflowExit.running { try await composition.trainModel().clearSlot(slot, of: id, owner: user) }, json: json)
    }
}
