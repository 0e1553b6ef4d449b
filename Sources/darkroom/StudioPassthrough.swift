import ArgumentParser
import CommandSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command of `darkroom` that lives in the `darkroom-studio` executable beside it: the
/// commands that need the network or the database. `darkroom` hands them over with `exec` (as git
/// runs its external commands), so the image tools never load the HTTP and TLS stack and keep
/// their start-up time and memory; `exec` replaces this process, so signals reach the command.
protocol StudioPassthrough: ParsableCommand {
    var arguments: [String] { get }
}

extension StudioPassthrough {
    func run() throws {
        let path = Self.studioExecutable()
        let argv = ["darkroom", Self._commandName] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(path, &cArguments)
        let build = path.contains("/release/") ? "swift build -c release --static-swift-stdlib --product darkroom-studio"
                                               : "swift build --product darkroom-studio"
        throw Failure(.unavailable, "darkroom \(Self._commandName) needs \(path), which cannot be run "
                      + "(\(String(cString: strerror(errno)))); scripts/run builds it, or: \(build)")
    }

    /// `darkroom-studio` in the folder of the running executable.
    static func studioExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let own = length > 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let folder = own.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (folder.isEmpty ? "." : folder) + "/darkroom-studio"
    }
}

/// `darkroom comfyui …`, run by `darkroom-studio`.
struct ComfyUIPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "comfyui",
        abstract: "See what your ComfyUI servers are up to, check templates and graphs, run them.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom comfyui --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "status, check, run, queue or interrupt, and their options.")
    var arguments: [String] = []
}

/// `darkroom media …`, run by `darkroom-studio`.
struct MediaPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "Store, inspect, process and fetch media in the embedded store.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom media --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "add, list, info, process, get or delete, and their options.")
    var arguments: [String] = []
}

/// `darkroom make …`, run by `darkroom-studio`.
struct MakePassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "make",
        abstract: "Generate images from a prompt on ComfyUI, stored in the embedded store.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom make --help` shows its options.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "The prompt and the options.")
    var arguments: [String] = []
}

/// `darkroom jobs …`, run by `darkroom-studio`.
struct JobsPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, show and cancel generation jobs in the embedded store.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom jobs --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "list, show or cancel, and their options.")
    var arguments: [String] = []
}

/// `darkroom settings …`, run by `darkroom-studio`.
struct SettingsPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show, change and reset a user's generation settings in the embedded store.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom settings --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "get, set or reset, and their options.")
    var arguments: [String] = []
}

/// `darkroom train …`, run by `darkroom-studio`.
struct TrainPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Put together LoRA training datasets, submit, review and train them, in the embedded store.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom train --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "create, list, show, set, clear, delete, price, submit, review, start or cancel, and their options.")
    var arguments: [String] = []
}

/// `darkroom collection …`, run by `darkroom-studio`.
struct CollectionPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "collection",
        abstract: "Collect images and models, cook generative series from a trait grammar, review and export them.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom collection --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "create, list, show, edit, delete, add, remove, order, sheet, cook, pause, stop, review, redo, rarity or export, and their options.")
    var arguments: [String] = []
}

/// `darkroom points …`, run by `darkroom-studio`.
struct PointsPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "points",
        abstract: "Show a user's points and ledger, or grant credits, in the embedded store.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom points --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "show or grant, and their options.")
    var arguments: [String] = []
}

/// `darkroom serve`, run by `darkroom-studio`.
struct ServePassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API over the workflows (the main job).",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom serve --help` lists every setting and its default.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "Its options.")
    var arguments: [String] = []
}

/// `darkroom keys …`, run by `darkroom-studio`.
struct KeysPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the HTTP API's keys.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom keys --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "create, list or revoke, and their options.")
    var arguments: [String] = []
}

/// `darkroom telegram`, run by `darkroom-studio`.
struct TelegramPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "telegram",
        abstract: "Run the Telegram bot over the workflows (long polling).",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom telegram --help` lists its options.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "Its options.")
    var arguments: [String] = []
}

/// `darkroom sign …`, run by `darkroom-studio`.
struct SignPassthrough: StudioPassthrough {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an on-the-fly image path for `darkroom serve`.",
        discussion: "Runs in darkroom-studio, installed beside darkroom; `darkroom sign --help` shows its options.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "The plan, the source, and options.")
    var arguments: [String] = []
}
