import CommandSupport
import ArgumentParser
import ComfyUI
import ComfyUIModel
import Foundation

/// Which servers to talk to, and how patiently.
struct ServerOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: "A ComfyUI server URL; repeat for several.")
    var servers: [String] = []

    @Option(help: "Seconds to wait for one HTTP request (default 10).")
    var requestTimeout: Double?

    /// `--server`, else `DARKROOM_COMFYUI`, else the local default.
    func urls() throws -> [URL] {
        let listed = servers.isEmpty
            ? (ProcessInfo.processInfo.environment["DARKROOM_COMFYUI"] ?? "http://127.0.0.1:8188")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : servers
        return try listed.map { text in
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw ValidationError("'\(text)' is not an http(s) URL")
            }
            return url
        }
    }

    var timeout: Duration { Self.timeout(seconds: requestTimeout ?? 10) }

    /// `seconds` as a request timeout, within 0.1 s … 1 day.
    static func timeout(seconds: Double) -> Duration { .milliseconds(Int64(min(max(0.1, seconds), 86_400) * 1000)) }
}

/// Exit codes of `darkroom comfyui`, one place.
enum ComfyUIExit {
    static func failure(_ error: ComfyUIError) -> Failure {
        let status: Failure.Status
        switch error.code {
        case .graphRejected, .validationFailed, .invalidInput: status = .input
        case .serverUnreachable: status = .unavailable
        case .timedOut: status = .timedOut
        case .interrupted: status = .interrupted
        case .removedFromQueue: status = .removed
        default: status = .processing
        }
        let lines = [error.message] + error.problems.map { "  \($0)" }
        return Failure(status, lines.joined(separator: "\n"), code: error.code.rawValue, problems: error.problems.map {
            Failure.Problem(node: $0.node, classType: $0.classType, input: $0.input, message: $0.message, code: $0.code)
        })
    }
}
