import ArgumentParser
import CommandSupport
import Foundation
import Studio
import Workflows

/// `darkroom collection rarity <id>`.
struct CollectionRarityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rarity", abstract: "How often each trait value came out among approved pieces, against its weight.")

    @Argument(help: "The collection id.") var id: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let report = try await WorkflowExit.running { try await workflow.rarity(of: id, owner: user) }
        if json { return JSONOutput.print(report) }
        Console.line(report.table)
    }
}
