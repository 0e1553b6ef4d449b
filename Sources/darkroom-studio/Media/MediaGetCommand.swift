import ArgumentParser
import CommandSupport
import Media
import Foundation
import Workflows

/// `darkroom media get <id> <out>`.
struct MediaGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Write a media item's bytes to a file (written whole or not at all) or to standard output (-).",
        discussion: Help.discussion("", examples: ["darkroom media get m_0123456789abcdef01234567 out.png",
                                                   "darkroom media get m_0123456789abcdef01234567 - > out.png"])
    )

    @Argument(help: "The media id.") var id: String
    @Argument(help: "The output file, or - for standard output.") var output: String
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let composition = try await Composition(dataOptions)
        let user = try dataOptions.userID()
        let data: Data
        do { data = try await composition.media.data(id, owner: user).data } catch {
            throw WorkflowExit.failure(WorkflowError(error))
        }
        if output == "-" { return Console.output(data) }
        do { try data.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
            throw Failure(.processing, "cannot write '\(output)': \(error.localizedDescription)", code: "save_failed")
        }
    }
}
