import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection list`.
struct CollectionListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The user's collections, newest first.")

    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let collections = try await WorkflowExit.running { try await workflow.collections(of: user) }
        if json { return JSONOutput.print(collections) }
        if collections.isEmpty { Console.line("\(user) has no collections; make one with `darkroom collection create NAME`") }
        collections.map(CollectionOutput.line).forEach(Console.line)
    }
}
