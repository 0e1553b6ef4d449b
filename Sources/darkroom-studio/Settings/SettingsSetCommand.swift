import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom settings set name=value …`.
struct SettingsSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change one or several settings, all or nothing; name=null resets one.",
        discussion: Help.discussion("Names: \(GenerationSettings.settingNames.joined(separator: ", ")).", examples: [
            "darkroom settings set width=768 height=512 steps=20",
            "darkroom settings set sampler=dpmpp_2m scheduler=karras",
            "darkroom settings set base_prompt='film grain' seed=null",
        ])
    )

    @Argument(help: "name=value pairs.") var assignments: [String]
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Print JSON: settings, limits, choices.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        var changes: [String: SettingValue] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("expected name=value, not '\(assignment)'")
            }
            changes[String(assignment[..<equals])] = SettingValue(parsing: String(assignment[assignment.index(after: equals)...]))
        }
        let composition = try await Composition(dataOptions)
        let workflow = composition.userSettings(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout)
        SettingsOutput.print(try await WorkflowExit.running { try await workflow.change(user, changes) }, json: json)
    }
}
