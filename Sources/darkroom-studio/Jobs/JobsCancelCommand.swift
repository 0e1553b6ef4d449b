import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom jobs cancel <id>`.
struct JobsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel an open job: its prompt is interrupted or unqueued on its server, its points released.",
        discussion: Help.discussion("A job that already ended is left as it ended.", examples: ["darkroom jobs cancel job-0b5f…"])
    )

    @Argument(help: "The job id.") var id: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print the job as JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let job = try await WorkflowExit.running { try await composition.makeImage().cancel(job: id, user: user) }
        if json { return JSONOutput.print(job) }
        Console.line(job.state == .cancelled ? "cancelled \(job.id); its points are released"
                                             : "\(job.id) had already ended: \(job.state.rawValue)")
    }
}
