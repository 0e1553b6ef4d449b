import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection create <name>`.
struct CollectionCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "A new collection, generative with --series.",
        discussion: Help.discussion("", examples: ["darkroom collection create 'favourites'",
                                                   "darkroom collection create 'Cats of 2026' --series cats.json --description 'cats in hats'"]))

    @Argument(help: "The collection's name.") var name: String
    @Option(help: "What the collection is about (also the exported pieces' description).") var description = ""
    @Option(help: "A JSON file with the generative series: supply, prompt, traits, and optionally template, settings, inputs, seed.")
    var series: String?
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let series = try self.series.map(CollectionOutput.series(from:))
        let composition = try await Composition(dataOptions)
        let workflow = composition.collections()
        let collection = try await WorkflowExit.running { try await workflow.create(owner: user, name: name, description: description, series: series) }
        if json { return JSONOutput.print(collection) }
        Console.line(CollectionOutput.line(collection))
    }
}
