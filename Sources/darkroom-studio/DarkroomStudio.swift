import ArgumentParser
import CommandSupport
import ComfyUIModel
import Workflows

/// The `darkroom-studio` executable: the commands of `darkroom` that need the network or the
/// database. `darkroom` hands them over to it (see `StudioPassthrough` there), so the image tools
/// never load the HTTP stack; run directly, it takes the same arguments (`darkroom-studio comfyui …`).
@main
struct DarkroomStudio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "darkroom",
        abstract: "The AI image bot's back end: ComfyUI servers, media, and the workflows.",
        subcommands: [ComfyUICommand.self, MediaCommand.self, MakeCommand.self, JobsCommand.self, SettingsCommand.self, TrainCommand.self, CollectionCommand.self, PointsCommand.self, ServeCommand.self, KeysCommand.self, SignCommand.self, TelegramCommand.self]
    )

    /// Runs the command and maps failures to one line and an exit code, as `darkroom` does.
    static func main() async {
        await runAsMain { error in
            if let error = error as? ComfyUIError { return ComfyUIExit.failure(error) }
            if let error = error as? WorkflowError { return WorkflowExit.failure(error) }
            return error as? Failure
        }
    }
}
