public import ArgumentParser

extension AsyncParsableCommand {
    /// Parses and runs the command as a `main`: a ``Failure`` (or what `failure(for:)` maps an
    /// error to) prints one line and sets its exit code; argument-parser's own errors print usage.
    /// Returns the exit status instead of exiting, so the caller can clean up first.
    public static func runAsMain(failure: @Sendable (any Error) -> Failure? = { $0 as? Failure }) async -> Int32 {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            if let failure = failure(error) { return failure.report() }
            let code = exitCode(for: error).rawValue
            if code != 0 || !(error is CleanExit) { exit(withError: error) }
            return code
        }
    }
}
