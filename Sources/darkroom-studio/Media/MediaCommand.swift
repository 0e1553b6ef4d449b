import ArgumentParser
import CommandSupport

/// `darkroom media …`: the Media service on the embedded default store, for operators.
struct MediaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "Store, inspect, process and fetch media in the embedded store (SQLite and a content folder).",
        discussion: Help.discussion("""
            The store lives in --data (DARKROOM_DATA, else ./darkroom-data): studio.sqlite and a
            content-addressed media/ folder. Commands act for --user (default cli:operator).
            URLs are fetched with the service's limits: http(s) only, 100 MiB, 30 s, 5 redirects,
            private and loopback addresses refused unless --allow-network opens them.

            Exit codes: 0 success, 64 bad usage, 65 bad input (unknown media, not an image, over a
            limit, a refused address, invalid parameters, not enough points, a template the servers
            cannot run), 69 a URL or ComfyUI does not answer, 70 processing failed, 75 timed out,
            130 interrupted.
            """),
        subcommands: [MediaAddCommand.self, MediaListCommand.self, MediaInfoCommand.self, MediaProcessCommand.self,
                      MediaGetCommand.self, MediaDeleteCommand.self, MediaSweepCommand.self]
    )
}
