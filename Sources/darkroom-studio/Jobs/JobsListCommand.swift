import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom jobs list`.
struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "The user's jobs, newest first: state, template, images, points, prompt.",
        discussion: Help.discussion("", examples: ["darkroom jobs", "darkroom jobs list --limit 5 --json"])
    )

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Most jobs shown (1 … 500).") var limit = 20
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let jobs = try await WorkflowExit.running { try await composition.makeImage().jobs(of: user, limit: limit) }
        if json { return JSONOutput.print(jobs) }
        jobs.forEach { Console.line(JobOutput.line($0)) }
        if jobs.isEmpty { Console.line("no jobs") }
    }
}
