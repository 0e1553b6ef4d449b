public import Foundation

/// The built `darkroom` executable, run as a user would.
public enum DarkroomBinary {
    /// `.build/<config>/darkroom`, next to the test bundle (or `DARKROOM_BIN`).
    public static var path: String {
        if let path = ProcessInfo.processInfo.environment["DARKROOM_BIN"] { return path }
        var folder = Bundle.main.bundleURL
        if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("darkroom").path
    }

    /// Runs `darkroom <arguments>` and returns what it printed and its exit status.
    @discardableResult
    public static func run(_ arguments: [String], in directory: TemporaryDirectory? = nil,
                           environment: [String: String] = [:], standardInput: Data? = nil) async throws -> Command.Output {
        var command = Command(path, arguments, environment: environment, standardInput: standardInput)
        if let directory {
            command.arguments = arguments
            command.workingDirectory = directory.url.path
        }
        return try await command.run()
    }
}
