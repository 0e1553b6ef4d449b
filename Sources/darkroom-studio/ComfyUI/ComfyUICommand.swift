import CommandSupport
import ArgumentParser

/// `darkroom comfyui …`: poke ComfyUI servers without the whole bot.
struct ComfyUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comfyui",
        abstract: "See what your ComfyUI servers are up to, check templates and graphs, run them.",
        discussion: Help.discussion("""
            Servers come from repeated --server URL, else DARKROOM_COMFYUI (comma-separated), else
            http://127.0.0.1:8188.

            Exit codes: 0 success, 64 bad usage, 65 the graph or template was refused (it does not
            fit the server) or a prompt id is not running or waiting, 66 the prompt was removed
            from the queue before it ran, 69 no server answers, 70 the run failed on the server,
            75 timed out, 130 interrupted.
            """),
        subcommands: [StatusCommand.self, CheckCommand.self, RunCommand.self, QueueCommand.self, InterruptCommand.self]
    )
}
