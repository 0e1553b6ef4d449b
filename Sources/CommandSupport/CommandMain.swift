public import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AsyncParsableCommand {
    /// Parses and runs the command as a `main`, then exits: a ``Failure`` (or what `failure`
    /// maps an error to) prints one line and exits with its code; argument errors print one line
    /// naming what is wrong (``UsageError``) and exit 64; `--help` and `--version` print and exit
    /// 0. `beforeExit` runs last, whatever happened (a leak report, say).
    public static func runAsMain(failure: @Sendable (any Error) -> Failure? = { $0 as? Failure },
                                 beforeExit: @Sendable () -> Void = {}) async -> Never {
        let status: Int32
        let json = CommandLine.arguments.dropFirst().contains("--json")
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            status = 0
        } catch {
            if let failure = failure(error) {
                status = failure.report(json: json)
            } else if let usage = UsageError(error, of: self) {
                status = usage.failure.report(json: json)
            } else {
                // Help, version and clean exits: argument-parser prints them.
                let code = exitCode(for: error).rawValue
                if code != 0 || !(error is CleanExit) {
                    beforeExit()
                    exit(withError: error)
                }
                status = code
            }
        }
        beforeExit()
        #if canImport(Glibc)
        Glibc.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }
}
