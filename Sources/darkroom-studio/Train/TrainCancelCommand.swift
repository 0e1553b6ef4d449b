import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom train cancel <id>`.
struct TrainCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Withdraw a submitted, approved or training dataset; its held points are released.",
        discussion: Help.discussion("A training run is interrupted on its server.", examples: ["darkroom train cancel ds-0b5f…"]))

    @Argument(help: "The dataset id.") var id: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        DatasetOutput.print(try await WorkflowExit.running { try await composition.trainModel().cancelTraining(id, owner: user) }, json: json)
    }
}
