import ArgumentParser
import CommandSupport
import Foundation
import Studio
import Workflows

/// `darkroom collection sheet <id> --out sheet.jpg`.
struct CollectionSheetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sheet", abstract: "A contact sheet of the members (JPEG).")

    @Argument(help: "The collection id.") var id: String
    @Option(help: "Where to write the JPEG ('-' for standard output).") var out: String
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let user = try dataOptions.userID()
        let workflow = try await Composition(dataOptions).collections()
        let sheet = try await WorkflowExit.running { try await workflow.contactSheet(id, owner: user) }
        if out == "-" { return Console.output(sheet) }
        do { try sheet.write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
            throw Failure(.processing, "\(out): cannot be written", code: "storage_failed")
        }
        Console.line("wrote \(out) (\(sheet.count) bytes)")
    }
}
