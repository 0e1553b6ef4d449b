import CommandSupport
import ComfyUI
import Foundation

/// `--json` output: one pretty, key-sorted document on standard output, for success and for
/// failure alike (a failure still sets the exit code and prints its line on standard error).
enum JSONOutput {
    /// What a failed command prints with `--json`.
    struct ErrorReport: Encodable {
        struct Body: Encodable {
            var code: String
            var exitCode: Int32
            var message: String
            var problems: [GraphProblem]
        }
        var error: Body
    }

    /// A failure whose JSON document was already printed (it holds the problems itself).
    struct Printed: Error {
        var failure: Failure
    }

    static func print(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        Console.line(String(decoding: data, as: UTF8.self))
    }

    /// Runs `body`; when `enabled`, a failure is also printed as JSON before it is thrown.
    static func reportingFailures<Result>(_ enabled: Bool, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let printed as Printed {
            throw printed.failure
        } catch let error as ComfyUIError {
            let failure = ComfyUIExit.failure(error)
            if enabled {
                print(ErrorReport(error: .init(code: error.code.rawValue, exitCode: failure.status.rawValue,
                                               message: error.message, problems: error.problems)))
            }
            throw failure
        } catch let failure as Failure {
            if enabled {
                print(ErrorReport(error: .init(code: failure.status.code, exitCode: failure.status.rawValue,
                                               message: failure.message, problems: [])))
            }
            throw failure
        }
    }
}

private extension Failure.Status {
    /// A stable code for failures that did not come from the ComfyUI service.
    var code: String {
        switch self {
        case .partial: "partial"
        case .usage: "usage"
        case .input: "invalid_input"
        case .unavailable: "server_unreachable"
        case .processing: "failed"
        case .timedOut: "timed_out"
        case .interrupted: "interrupted"
        }
    }
}
