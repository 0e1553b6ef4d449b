import ArgumentParser
import CommandSupport
import Foundation
import Studio
import Workflows

/// `darkroom collection export <id> --out cats.zip`.
struct CollectionExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "A zip: numbered images, ERC-721 and Metaplex metadata, a contact sheet, the rarity report.",
        discussion: Help.discussion("""
            A series exports its approved pieces (with --include-pending, the made ones not
            rejected) as images/1.png…, erc721/1.json…, metaplex/1.json…; a plain collection its
            images in order. The zip also holds contact-sheet.jpg, collection.json and, for a series,
            rarity.txt, rarity.json and rarity.png. The file appears whole or not at all.
            """, examples: ["darkroom collection export col-… --out cats.zip"]))

    @Argument(help: "The collection id.") var id: String
    @Option(help: "Where to write the zip.") var out: String
    @Flag(name: .customLong("include-pending"), help: "Also export made pieces not yet reviewed.") var includePending = false
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let export = try await WorkflowExit.running {
            try await workflow.export(id, owner: user, to: URL(fileURLWithPath: out), includePending: includePending)
        }
        if json { return JSONOutput.print(export) }
        Console.line("wrote \(out): \(export.images) image\(export.images == 1 ? "" : "s"), \(export.bytes) bytes")
    }
}
