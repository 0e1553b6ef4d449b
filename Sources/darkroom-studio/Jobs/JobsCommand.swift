import ArgumentParser
import CommandSupport

/// `darkroom jobs …`: the user's generation jobs in the embedded store.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, show and cancel generation jobs (what `darkroom make` recorded).",
        discussion: Help.discussion("""
            Jobs live in --data (DARKROOM_DATA, else ./darkroom-data) and belong to --user
            (default cli:operator); a user sees and cancels only their own. Cancelling reaches the
            server the job was submitted to and releases the job's points.

            Exit codes: 0 success, 64 bad usage, 65 unknown job.
            """),
        subcommands: [JobsListCommand.self, JobsShowCommand.self, JobsCancelCommand.self],
        defaultSubcommand: JobsListCommand.self
    )
}
