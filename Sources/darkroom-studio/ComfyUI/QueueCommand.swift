import CommandSupport
import ArgumentParser
import ComfyUI
import ComfyUIModel
import Foundation

/// `darkroom comfyui queue`: what runs and waits on each server; remove waiting prompts.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "List what runs and waits on each server, or remove waiting prompts.",
        discussion: Help.discussion("""
            Lists the running and waiting prompts of every server in the order they will run,
            with their client ids; prompts darkroom submitted are marked "ours". --delete removes
            waiting prompts by id (a running one is stopped with `darkroom comfyui interrupt`).
            --clear removes every waiting prompt of ours and leaves other people's alone.
            Exits 65 when an id is not waiting anywhere, 69 when no server answers.
            """, examples: [
            "darkroom comfyui queue",
            "darkroom comfyui queue --delete 5adf7a3d-cb1c-4bbf-a544-f977747ae7b8",
            "darkroom comfyui queue --clear --server http://gpu1:8188 --json",
        ])
    )

    @Option(name: .customLong("delete"), help: "Remove this waiting prompt; repeat.") var deletions: [String] = []
    @Flag(help: "Remove every waiting prompt of ours (submitted by darkroom).") var clear = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var serverOptions: ServerOptions

    /// One prompt, as `--json` lists it.
    struct Entry: Encodable {
        var number: Double
        var promptID: String
        var clientID: String?
        var nodes: Int
        var outputNodes: [String]
        var ours: Bool

        init(_ entry: QueueState.Entry) {
            (number, promptID, clientID, nodes, outputNodes, ours) =
                (entry.number, entry.promptID, entry.clientID, entry.nodeCount, entry.outputNodes, entry.isOurs)
        }
    }

    /// One server's queue, as `--json` lists it.
    struct ServerQueue: Encodable {
        var url: String
        var reachable: Bool
        var error: String?
        var running: [Entry] = []
        var pending: [Entry] = []
    }

    /// What `--delete` and `--clear` did, as `--json` prints it.
    struct Removal: Encodable {
        struct Removed: Encodable {
            var server: String
            var promptID: String
        }
        var removed: [Removed] = []
        /// Prompts of ours left running (`--clear` does not stop them).
        var stillRunning: [Removed] = []
        /// Ids that could not be removed, and why.
        var problems: [String] = []
    }

    func validate() throws {
        if clear && !deletions.isEmpty { throw ValidationError("--delete and --clear do not go together") }
    }

    func run() async throws {
        let snapshot = try await QueueSnapshot.read(serverOptions)
        if clear { try await clearOurs(snapshot) }
        else if !deletions.isEmpty { try await delete(snapshot) }
        else { list(snapshot) }
    }

    private func list(_ snapshot: QueueSnapshot) {
        let queues = snapshot.servers.map { server in
            switch server.queue {
            case .success(let queue):
                ServerQueue(url: server.url, reachable: true, running: queue.running.map(Entry.init), pending: queue.pending.map(Entry.init))
            case .failure(let error):
                ServerQueue(url: server.url, reachable: false, error: error.message)
            }
        }
        if json { return JSONOutput.print(queues) }
        for queue in queues {
            guard queue.reachable else {
                Console.line("\(queue.url)  down  \(queue.error ?? "")")
                continue
            }
            Console.line("\(queue.url)  \(queue.running.count) running, \(queue.pending.count) pending")
            for (state, entries) in [("running", queue.running), ("pending", queue.pending)] {
                for entry in entries {
                    // Any client of the server chooses its number, id and client id: print them as data.
                    let number = Int64(exactly: entry.number).map(String.init) ?? String(entry.number)
                    Console.line("  \(state)  #\(number)  \(entry.promptID)  \(entry.nodes) nodes  client \(entry.clientID ?? "none")\(entry.ours ? "  (ours)" : "")")
                }
            }
        }
    }

    private func delete(_ snapshot: QueueSnapshot) async throws {
        var report = Removal()
        var byServer: [String: (server: QueueSnapshot.Server, ids: [String])] = [:]
        for id in deletions {
            switch snapshot.place(of: id) {
            case .pending(let server): byServer[server.url, default: (server, [])].ids.append(id)
            case .running(let server): report.problems.append("prompt \(id) is running on \(server.url), not waiting; stop it with `darkroom comfyui interrupt \(id)`")
            case nil: report.problems.append(await snapshot.whereabouts(of: id))
            }
        }
        for (server, ids) in byServer.values.sorted(by: { $0.server.url < $1.server.url }) {
            report.removed += try await remove(ids, from: server, problems: &report.problems)
        }
        try show(report, failing: .input)
    }

    private func clearOurs(_ snapshot: QueueSnapshot) async throws {
        var report = Removal()
        for (server, queue) in snapshot.reachable {
            let ours = queue.pending.filter(\.isOurs).map(\.promptID)
            if !ours.isEmpty { report.removed += try await remove(ours, from: server, problems: &report.problems) }
            report.stillRunning += queue.running.filter(\.isOurs).map { .init(server: server.url, promptID: $0.promptID) }
        }
        if !json {
            if report.removed.isEmpty { Console.line("no waiting prompt of ours") }
            for running in report.stillRunning {
                Console.line("prompt \(running.promptID) of ours is running on \(running.server); stop it with `darkroom comfyui interrupt \(running.promptID)`")
            }
        }
        try show(report, failing: .processing)
    }

    /// Deletes `ids` on one server, then reads its queue again to say what was really removed:
    /// a prompt may have started in between.
    private func remove(_ ids: [String], from server: QueueSnapshot.Server,
                        problems: inout [String]) async throws -> [Removal.Removed] {
        try await server.client.deletePending(ids)
        let after = try await server.client.queue()
        var removed: [Removal.Removed] = []
        for id in ids {
            if after.running.contains(where: { $0.promptID == id }) {
                problems.append("prompt \(id) started on \(server.url) before it could be removed; stop it with `darkroom comfyui interrupt \(id)`")
            } else if after.pending.contains(where: { $0.promptID == id }) {
                problems.append("\(server.url) kept prompt \(id) in its queue")
            } else {
                removed.append(.init(server: server.url, promptID: id))
            }
        }
        return removed
    }

    /// Prints what was removed; then fails with `status` if anything could not be.
    private func show(_ report: Removal, failing status: Failure.Status) throws {
        if json { JSONOutput.print(report) } else {
            for item in report.removed { Console.line("removed \(item.promptID) from \(item.server)") }
        }
        if report.problems.isEmpty { return }
        var failure = Failure(status, report.problems.joined(separator: "\n"))
        failure.printedJSON = json
        throw failure
    }
}
