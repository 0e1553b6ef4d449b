import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom train list`.
struct TrainListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The user's datasets, newest first, and where each stands.",
        discussion: Help.discussion("", examples: ["darkroom train", "darkroom train list --json"]))

    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let datasets = try await WorkflowExit.running { try await composition.trainModel().datasets(of: user) }
        if json { return JSONOutput.print(datasets) }
        datasets.forEach { Console.line(DatasetOutput.line($0)) }
        if datasets.isEmpty { Console.line("no datasets; make one with `darkroom train create NAME --trigger WORD`") }
    }
}
