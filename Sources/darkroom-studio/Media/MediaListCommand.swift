import ArgumentParser
import CommandSupport
import Media
import Studio
import Workflows

/// `darkroom media list`.
struct MediaListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the user's media, newest first, and what they take.",
        discussion: Help.discussion("", examples: ["darkroom media list --limit 20", "darkroom media list --user telegram:5472638766 --json"])
    )

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Most items shown (1 … 1000).") var limit = 50
    @Option(help: "Items skipped first.") var offset = 0
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let composition = try await Composition(dataOptions)
        let user = try dataOptions.userID()
        do {
            let records = try await composition.media.list(owner: user, limit: limit, offset: offset)
            let usage = try await composition.media.usage(owner: user)
            if json {
                JSONOutput.print(Listing(items: records, total: usage.items, bytes: usage.bytes))
                return
            }
            records.forEach { Console.line(MediaRecordOutput.line($0)) }
            Console.line("\(usage.items) item\(usage.items == 1 ? "" : "s"), \(MediaRecordOutput.bytes(usage.bytes)) in all")
        } catch {
            throw WorkflowExit.failure(WorkflowError(error))
        }
    }

    struct Listing: Encodable {
        var items: [MediaRecord]
        var total: Int
        var bytes: Int
    }
}
