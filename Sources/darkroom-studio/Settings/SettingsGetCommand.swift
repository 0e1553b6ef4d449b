import ArgumentParser
import CommandSupport
import Workflows

/// `darkroom settings get`.
struct SettingsGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Every setting, its value and what it may be.",
        discussion: Help.discussion("", examples: ["darkroom settings", "darkroom settings get --user telegram:5472638766 --json"])
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Print JSON: settings, limits, choices.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let workflow = composition.userSettings(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout)
        SettingsOutput.print(try await WorkflowExit.running { try await workflow.get(user) }, json: json)
    }
}
