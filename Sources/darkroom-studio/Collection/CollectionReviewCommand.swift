import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection review <id> <numbers…> --approve|--reject`.
struct CollectionReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Approve or reject made pieces by number (a decision can be changed).",
        discussion: Help.discussion("", examples: ["darkroom collection review col-… 1 2 5 --approve", "darkroom collection review col-… 3 --reject"]))

    @Argument(help: "The collection id.") var id: String
    @Argument(help: "Piece numbers.") var numbers: [Int]
    @Flag(exclusivity: .exclusive, help: "The decision.") var decision: Decision

    enum Decision: String, EnumerableFlag {
        case approve, reject
    }

    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let pieces = try await WorkflowExit.running { try await workflow.review(id, owner: user, pieces: numbers, approve: decision == .approve) }
        if json { return JSONOutput.print(pieces) }
        pieces.map(CollectionOutput.piece).forEach(Console.line)
    }
}
