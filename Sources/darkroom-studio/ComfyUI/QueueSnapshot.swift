import CommandSupport
import ComfyUI
import ComfyUIModel
import Foundation

/// Every server's queue, read once, for the commands that find prompts by id.
struct QueueSnapshot {
    struct Server {
        var client: ComfyUIClient
        var queue: Result<QueueState, ComfyUIError>

        var url: String { client.baseURL.absoluteString }
    }

    /// Where a prompt was found.
    enum Place {
        case running(Server)
        case pending(Server)
    }

    var servers: [Server]

    /// Reads the queue of every server in `options`; throws `unavailable` when none answers.
    static func read(_ options: ServerOptions) async throws -> QueueSnapshot {
        var servers: [Server] = []
        for url in try options.urls() {
            let client = ComfyUIClient(baseURL: url, requestTimeout: options.timeout)
            do { servers.append(Server(client: client, queue: .success(try await client.queue()))) }
            catch let error as ComfyUIError { servers.append(Server(client: client, queue: .failure(error))) }
        }
        guard servers.contains(where: { (try? $0.queue.get()) != nil }) else {
            let reasons = servers.compactMap { server -> String? in
                if case .failure(let error) = server.queue { return "\(server.url): \(error.message)" } else { return nil }
            }
            throw Failure(.unavailable, (["no ComfyUI server answers"] + reasons.map { "  \($0)" }).joined(separator: "\n"))
        }
        return QueueSnapshot(servers: servers)
    }

    /// The servers that answered, with their queues.
    var reachable: [(server: Server, queue: QueueState)] {
        servers.compactMap { server in (try? server.queue.get()).map { (server, $0) } }
    }

    /// Where `promptID` runs or waits, if anywhere.
    func place(of promptID: String) -> Place? {
        for (server, queue) in reachable {
            if queue.running.contains(where: { $0.promptID == promptID }) { return .running(server) }
            if queue.pending.contains(where: { $0.promptID == promptID }) { return .pending(server) }
        }
        return nil
    }

    /// Says where a prompt that is neither running nor waiting went: finished (and how) on a
    /// server that has its history, or unknown everywhere.
    func whereabouts(of promptID: String) async -> String {
        for (server, _) in reachable {
            guard let record = try? await server.client.history(of: promptID) else { continue }
            let outcome = switch record.outcome {
            case .success: "it finished"
            case .failed(let failure): "it failed at node \(failure.node)"
            case .interrupted: "it was interrupted"
            }
            return "prompt \(promptID) is not running or waiting on \(server.url): \(outcome)"
        }
        return "no server knows prompt \(promptID) (asked \(reachable.map(\.server.url).joined(separator: ", ")))"
    }
}
