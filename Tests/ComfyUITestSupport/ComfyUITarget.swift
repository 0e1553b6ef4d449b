public import ComfyUI
import ComfyUIModel
public import Foundation

/// The ComfyUI server the client's integration scenarios run against: the real server named by
/// `COMFYUI_URL` when it is set, else a fresh in-process ``ComfyUITestServer``.
///
/// Scenarios written against a target assert only what both servers do: a real server keeps its
/// files, counters, cache and other people's prompts, so file names are made unique per run
/// (``unique(_:)``) and queue checks look for our prompt ids only.
public struct ComfyUITarget: Sendable {
    /// Where the client connects.
    public let url: URL
    /// The in-process server, when there is no `COMFYUI_URL`.
    public let testServer: ComfyUITestServer?

    /// `COMFYUI_URL`, when set.
    public static var realServerURL: URL? {
        guard let text = ProcessInfo.processInfo.environment["COMFYUI_URL"], !text.isEmpty else { return nil }
        return URL(string: text)
    }

    /// Whether scenarios run against a real server.
    public var isRealServer: Bool { testServer == nil }

    /// The real server (which must answer: a `COMFYUI_URL` that does not is a failure, not a
    /// reason to skip), or a new test server.
    public static func start() async throws -> ComfyUITarget {
        if let url = realServerURL {
            _ = try await ComfyUIClient(baseURL: url, requestTimeout: .seconds(10)).systemStats()
            return ComfyUITarget(url: url, testServer: nil)
        }
        let server = try await ComfyUITestServer.start()
        return ComfyUITarget(url: server.url, testServer: server)
    }

    /// Runs `body` against a started target and stops it afterwards, whatever happens.
    /// `exclusive`: on a real server, no other scenario of this process runs meanwhile (a
    /// scenario that relies on the server's cache of the last prompt needs that).
    public static func with<Result>(exclusive: Bool = false, _ body: (ComfyUITarget) async throws -> Result) async throws -> Result {
        let gated = realServerURL != nil
        if gated { await ServerGate.shared.acquire(exclusive: exclusive) }
        let target: ComfyUITarget
        do { target = try await start() } catch {
            if gated { await ServerGate.shared.release(exclusive: exclusive) }
            throw error
        }
        do {
            let result = try await body(target)
            await target.stop()
            if gated { await ServerGate.shared.release(exclusive: exclusive) }
            return result
        } catch {
            await target.stop()
            if gated { await ServerGate.shared.release(exclusive: exclusive) }
            throw error
        }
    }

    /// A client of the target. A real server gets more patience per request.
    public func client(requestTimeout: Duration? = nil) -> ComfyUIClient {
        ComfyUIClient(baseURL: url, requestTimeout: requestTimeout ?? (isRealServer ? .seconds(60) : .seconds(10)))
    }

    /// How long a scenario lets one run take: a real CPU-only server is slow.
    public var runDeadline: Duration { isRealServer ? .seconds(600) : .seconds(60) }

    public func stop() async { await testServer?.stop() }

    /// `base` plus a suffix unique to this process and call: a real server already holds files
    /// (and cached results) of earlier runs.
    public static func unique(_ base: String) -> String {
        "\(base)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The checkpoint model scenarios use: `COMFYUI_CHECKPOINT` on a real server, the test
    /// server's tiny one otherwise; or why there is none.
    public func checkpoint() async -> Result<String, ModelUnavailable> {
        let wanted = isRealServer ? ProcessInfo.processInfo.environment["COMFYUI_CHECKPOINT"].flatMap { $0.isEmpty ? nil : $0 }
                                  : "tiny-random-sd15.safetensors"
        guard let wanted else {
            return .failure(ModelUnavailable(reason: "COMFYUI_CHECKPOINT is not set: set it to a checkpoint the server at \(url.absoluteString) has to run the model scenarios"))
        }
        do {
            let installed = try await client().models(in: "checkpoints")
            guard installed.contains(wanted) else {
                return .failure(ModelUnavailable(reason: "the server at \(url.absoluteString) has no checkpoint '\(wanted)' (it has: \(installed.joined(separator: ", ")))"))
            }
            return .success(wanted)
        } catch {
            return .failure(ModelUnavailable(reason: "could not list the checkpoints of \(url.absoluteString): \(error)"))
        }
    }

    /// Whether the scenarios that need a model can run on the target (always on the test server;
    /// on a real one when `COMFYUI_CHECKPOINT` names a checkpoint it has); says why not.
    public static func modelScenariosEnabled() async throws -> Bool {
        try await with { target in
            switch await target.checkpoint() {
            case .success: return true
            case .failure(let unavailable):
                print("model scenarios not run: \(unavailable.reason)")
                return false
            }
        }
    }

    /// Why a model scenario did not run.
    public struct ModelUnavailable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}
