import ArgumentParser
import CommandSupport
import Media
import Workflows

/// `darkroom media sweep`.
struct MediaSweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Remove stored bytes that no media record names (left by a process that stopped mid-add).",
        discussion: Help.discussion("Only bytes older than --older-than are looked at: newer ones may belong to an add in progress.",
                                    examples: ["darkroom media sweep", "darkroom media sweep --older-than 86400"])
    )

    @Option(help: "Seconds a file must have been stored before it may go.") var olderThan = 3_600
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        guard olderThan >= 60 else { throw ValidationError("--older-than must be at least 60 seconds") }
        let composition = try await Composition(dataOptions)
        do {
            let removed = try await composition.media.sweep(olderThan: .seconds(olderThan))
            Console.line("removed \(removed) unreferenced file\(removed == 1 ? "" : "s")")
        } catch {
            throw WorkflowExit.failure(WorkflowError(error))
        }
    }
}
