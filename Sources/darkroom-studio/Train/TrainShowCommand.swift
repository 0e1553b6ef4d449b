import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom train show <id>`.
struct TrainShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One dataset: its slots, price, review and state.",
        discussion: Help.discussion("", examples: ["darkroom train show ds-0b5f…"]))

    @Argument(help: "The dataset id.") var id: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        DatasetOutput.print(try await WorkflowExit.running { try await composition.trainModel().dataset(id, owner: user) }, json: json)
    }
}
