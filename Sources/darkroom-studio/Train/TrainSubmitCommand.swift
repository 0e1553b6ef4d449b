import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom train submit <id>`.
struct TrainSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a draft: its images are prepared and its price held.",
        discussion: Help.discussion("", examples: ["darkroom train submit ds-0b5f…"]))

    @Argument(help: "The dataset id.") var id: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        DatasetOutput.print(try await WorkflowExit.running { try await composition.trainModel().submit(id, owner: user) }, json: json)
    }
}
