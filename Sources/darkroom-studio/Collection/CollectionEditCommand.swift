import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection edit <id>`.
struct CollectionEditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Rename a collection, describe it, or give it a new series (not while it cooks).",
        discussion: Help.discussion("Pieces already made keep the configuration they were drawn under; `show` counts those that differ.",
                                    examples: ["darkroom collection edit col-… --name 'Cats, vol. 2' --series cats.json"]))

    @Argument(help: "The collection id.") var id: String
    @Option(help: "A new name.") var name: String?
    @Option(help: "A new description.") var description: String?
    @Option(help: "A JSON file with the new series.") var series: String?
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard name != nil || description != nil || series != nil else { throw ValidationError("give --name, --description or --series") }
    }

    func run() async throws {
        let user = try dataOptions.userID()
        let series = try self.series.map(CollectionOutput.series(from:))
        let workflow = try await Composition(dataOptions).collections()
        let collection = try await WorkflowExit.running { try await workflow.update(id, owner: user, name: name, description: description, series: series) }
        if json { return JSONOutput.print(collection) }
        Console.line(CollectionOutput.line(collection))
    }
}
