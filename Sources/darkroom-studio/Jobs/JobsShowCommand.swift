import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom jobs show <id>`.
struct JobsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One job in full: its settings, where it ran, its images or why it failed.",
        discussion: Help.discussion("", examples: ["darkroom jobs show job-0b5f… --json"])
    )

    @Argument(help: "The job id.") var id: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let job = try await WorkflowExit.running { try await composition.makeImage().job(id, user: user) }
        if json { return JSONOutput.print(job) }
        JobOutput.details(job).forEach(Console.line)
    }
}
