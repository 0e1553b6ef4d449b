import ArgumentParser
import CommandSupport
import Media
import Workflows

/// `darkroom media delete <id>`.
struct MediaDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a media record; its bytes go too unless another record uses them.",
        discussion: Help.discussion("", examples: ["darkroom media delete m_0123456789abcdef01234567"])
    )

    @Argument(help: "The media id.") var id: String
    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let composition = try await Composition(dataOptions)
        let user = try dataOptions.userID()
        do { try await composition.media.delete(id, owner: user) } catch {
            throw WorkflowExit.failure(WorkflowError(error))
        }
    }
}
