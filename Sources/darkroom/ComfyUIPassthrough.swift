import ArgumentParser
import CommandSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `darkroom comfyui …` hands over to the `darkroom-comfyui` executable beside this one (as git
/// runs its external commands), so the image tools never load the HTTP and TLS stack: they start
/// faster and lighter. `exec` replaces this process, so signals (Ctrl-C) reach the command directly.
struct ComfyUIPassthrough: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comfyui",
        abstract: "See what your ComfyUI servers are up to, check templates and graphs, run them.",
        discussion: "Runs darkroom-comfyui, installed beside darkroom; `darkroom comfyui --help` shows its commands.",
        helpNames: []
    )

    @Argument(parsing: .allUnrecognized, help: "status, check or run, and their options.")
    var arguments: [String] = []

    func run() throws {
        let path = Self.siblingExecutable()
        let argv = ["darkroom comfyui"] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(path, &cArguments)
        throw Failure(.unavailable, "cannot run \(path): \(String(cString: strerror(errno))) (build it with swift build --product darkroom-comfyui)")
    }

    /// `darkroom-comfyui` in the folder of the running executable.
    static func siblingExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let own = length > 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let folder = own.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (folder.isEmpty ? "." : folder) + "/darkroom-comfyui"
    }
}
