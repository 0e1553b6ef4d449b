import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom train create <name> --trigger <word>`.
struct TrainCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "A new, empty dataset.",
        discussion: Help.discussion("", examples: ["darkroom train create 'my cat' --trigger mycat"]))

    @Argument(help: "The dataset's name.") var name: String
    @Option(help: "The one word the captions and prompts use for what the LoRA learns.") var trigger: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let dataset = try await WorkflowExit.running { try await composition.trainModel().createDataset(owner: user, name: name, triggerWord: trigger) }
        DatasetOutput.print(dataset, json: json)
    }
}
