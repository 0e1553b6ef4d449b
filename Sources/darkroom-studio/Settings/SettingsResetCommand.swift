import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom settings reset`.
struct SettingsResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Every setting back to its default.",
        discussion: Help.discussion("", examples: ["darkroom settings reset --user telegram:5472638766"])
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Print JSON: settings, limits, choices.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let workflow = composition.userSettings(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout)
        SettingsOutput.print(try await WorkflowExit.running { try await workflow.reset(user) }, json: json)
    }
}
