import ArgumentParser
import CommandSupport
import Studio
import Workflows

/// `darkroom collection delete <id>`.
struct CollectionDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a collection and its pieces; its media stay unless --delete-media.",
        discussion: Help.discussion("""
            With --delete-media, the media the collection held are deleted too, except those another
            collection holds, those the history lists (generated and processed images) and those a
            training dataset uses.
            """))

    @Argument(help: "The collection id.") var id: String
    @Flag(name: .customLong("delete-media"), help: "Also delete the media nothing else uses.") var deleteMedia = false
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let deletion = try await WorkflowExit.running { try await workflow.delete(id, owner: user, deleteMedia: deleteMedia) }
        if json { return JSONOutput.print(deletion) }
        Console.line("deleted \(id); \(deletion.deletedMedia.count) media deleted, \(deletion.keptMedia.count) kept")
    }
}
