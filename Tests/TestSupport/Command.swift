public import Foundation

/// Runs a program to completion and captures what it printed: the `vips` tools the tests
/// compare with, and the `darkroom` binary.
public struct Command: Sendable {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var stdoutData: Data
    }

    public var executable: String
    public var arguments: [String]
    public var environment: [String: String]
    public var standardInput: Data?
    /// The folder the program starts in (default: the test's).
    public var workingDirectory: String?

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], standardInput: Data? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.standardInput = standardInput
    }

    /// Runs the command on a thread of its own (``onThreadOfItsOwn(_:)``). A program name
    /// without `/` is looked up on `PATH`; a missing program throws, so a test that needs `vips`
    /// fails clearly when libvips-tools is not installed.
    @discardableResult
    public func run() async throws -> Output {
        try await onThreadOfItsOwn { try self.runBlocking() }
    }

    /// Runs the command on the calling thread, blocking it: only for one-off set-up outside a
    /// test's async context (``run()`` is the way everywhere else).
    public func runBlocking() throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.locate(executable))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = standardInput == nil ? FileHandle.nullDevice : input
        try process.run()
        if let standardInput {
            try input.fileHandleForWriting.write(contentsOf: standardInput)
            try input.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a chatty program never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
    }

    /// Runs and throws unless the exit status is 0.
    @discardableResult
    public func check() async throws -> Output {
        let output = try await run()
        guard output.status == 0 else {
            throw CommandFailure(command: ([executable] + arguments).joined(separator: " "), output: output)
        }
        return output
    }

    static func locate(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CommandFailure(command: name, output: Output(status: 127, stdout: "",
            stderr: "\(name) is not installed (run the README's test command, which installs libvips-tools)", stdoutData: Data()))
    }
}

/// A command exited non-zero or could not be started.
public struct CommandFailure: Error, CustomStringConvertible {
    public var command: String
    public var output: Command.Output
    public var description: String { "`\(command)` exited \(output.status): \(output.stderr)" }
}
