import ArgumentParser
import CommandSupport

/// `darkroom settings …`: a user's generation settings in the embedded store.
struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show, change and reset a user's generation settings, with the limits their standing allows.",
        discussion: Help.discussion("""
            Settings live in the user's session in --data (DARKROOM_DATA, else ./darkroom-data) and
            apply to every later `darkroom make` of --user (default cli:operator), and to every
            front end. Changes given together are checked together: all are saved, or none. Sampler,
            scheduler and checkpoint names are checked against what the ComfyUI servers list for
            the user's template (--server, else DARKROOM_COMFYUI); with no server answering they
            are checked when a job runs.

            Exit codes: 0 success, 64 bad usage, 65 a refused setting (each is named, with its
            allowed range and the value received).
            """),
        subcommands: [SettingsGetCommand.self, SettingsSetCommand.self, SettingsResetCommand.self],
        defaultSubcommand: SettingsGetCommand.self
    )
}
