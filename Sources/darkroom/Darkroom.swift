import CommandSupport
import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Vips

/// The `darkroom` command: the image tools today; the server and generation commands later.
@main
struct Darkroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "darkroom",
        abstract: "A fast image toolkit over libvips, and the back end of an AI image bot.",
        discussion: Help.discussion("""
            Exit codes: 0 success, 1 some files of a batch failed, 64 bad usage or options,
            65 unreadable or invalid input (or a graph the server refuses, or a prompt id it does not
            have running or waiting), 66 a prompt was removed from the queue before it ran, 69 no
            ComfyUI server answers, 70 processing, writing or a ComfyUI run failed, 75 timed out,
            130 interrupted.
            """),
        version: "0.1.0",
        subcommands: [ImageCommand.self, ComfyUIPassthrough.self, MediaPassthrough.self, MakePassthrough.self, JobsPassthrough.self, SettingsPassthrough.self, TrainPassthrough.self, CollectionPassthrough.self, PointsPassthrough.self, ServePassthrough.self, KeysPassthrough.self, SignPassthrough.self, TelegramPassthrough.self]
    )

    /// Runs the command, maps errors to one line and an exit code, and — when `VIPS_LEAK` is set
    /// — shuts libvips down last so it reports anything left alive.
    static func main() async {
        await runAsMain { error in
            if let error = error as? VipsError { return Failure(error, verbose: CommandLine.arguments.contains("--verbose")) }
            return error as? Failure
        } beforeExit: {
            if ProcessInfo.processInfo.environment["VIPS_LEAK"] != nil {
                VipsRuntime.shutdownReportingLeaks()
            }
        }
    }
}
