import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom train review [<id> --approve | --reject]`.
struct TrainReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "List the submissions waiting for review, or approve or reject one.",
        discussion: Help.discussion("Rejecting releases the held points.", examples: [
            "darkroom train review", "darkroom train review ds-0b5f… --approve", "darkroom train review ds-0b5f… --reject --note 'blurry'",
        ]))

    @Argument(help: "The dataset id; without it, the waiting submissions are listed.") var id: String?
    @Flag(help: "Approve it.") var approve = false
    @Flag(help: "Reject it.") var reject = false
    @Option(help: "Why (shown to the owner).") var note: String?
    @Option(help: "Who reviews.") var reviewer = "cli:operator"
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard id == nil || approve != reject else { throw ValidationError("give --approve or --reject") }
    }

    func run() async throws {
        let composition = try await Composition(dataOptions)
        let workflow = composition.trainModel()
        guard let id else {
            let pending = try await WorkflowExit.running { try await workflow.pendingReview() }
            if json { return JSONOutput.print(pending) }
            pending.forEach { Console.line(DatasetOutput.line($0) + "  by \($0.owner)") }
            if pending.isEmpty { Console.line("nothing waits for review") }
            return
        }
        DatasetOutput.print(try await WorkflowExit.running { try await workflow.review(id, reviewer: reviewer, approve: approve, note: note) },
                            json: json)
    }
}
