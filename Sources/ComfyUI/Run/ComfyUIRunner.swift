public import ComfyUIModel
import Foundation

/// The one way to run a template or a graph, for the command line and the workflows alike:
/// pick a server from the pool, upload the local images, fill the template, check the graph
/// against the server's `/object_info` (kept per server), submit, follow the run with events,
/// fetch the outputs.
///
/// ``run(_:onEvent:)`` does it all. A caller that must record the job before waiting (so that a
/// restarted process can resume it) uses the steps: ``prepare(_:onEvent:)``, ``start(_:onEvent:)``
/// (which returns the ticket to record), ``finish(_:)``; and ``resume(_:deadline:)`` after a restart.
public struct ComfyUIRunner: Sendable {
    public let pool: ComfyUIPool

    public init(pool: ComfyUIPool) { self.pool = pool }

    /// Runs `request` to its end.
    public func run(_ request: RunRequest, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async throws -> RunOutcome {
        let prepared = try await prepare(request, onEvent: onEvent)
        let started = try await start(prepared, onEvent: onEvent)
        return try await finish(started)
    }

    /// Picks the server, uploads the images, fills the template and checks the graph. Throws
    /// `invalid_input` (a template that cannot be filled as asked) or `graph_rejected` (a graph
    /// the server cannot run: a missing model, an unknown node…) before anything is queued.
    public func prepare(_ request: RunRequest, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async throws -> PreparedRun {
        let client = try await pool.pick()
        onEvent(.serverChosen(client.baseURL))
        let graph: [String: JSONValue], values: [String: JSONValue]
        var uploaded: Set<NodeInput> = []
        switch request.source {
        case .graph(let plain):
            guard request.uploads.isEmpty, request.folders.isEmpty else {
                throw ComfyUIError(.invalidInput, "uploads need a template that names their inputs")
            }
            (graph, values) = (plain, [:])
        case .template(let template, var given):
            for (input, upload) in request.uploads.sorted(by: { $0.key < $1.key }) {
                guard template.inputs[input]?.type == .image else {
                    throw ComfyUIError(.invalidInput, "'\(input)' is not an image input of template '\(template.name)'")
                }
                let name = try await client.upload(upload.data, filename: upload.filename)
                onEvent(.uploaded(input: input, name: name))
                given[input] = .string(name)
                if let declared = template.inputs[input] { uploaded.insert(NodeInput(node: declared.node, input: declared.input)) }
            }
            for (input, folder) in request.folders.sorted(by: { $0.key < $1.key }) {
                guard let declared = template.inputs[input], declared.type == .folder else {
                    throw ComfyUIError(.invalidInput, "'\(input)' is not a folder input of template '\(template.name)'")
                }
                guard Self.isPlainName(folder.name), folder.files.allSatisfy({ Self.isPlainName($0.filename) }) else {
                    throw ComfyUIError(.invalidInput, "the folder '\(folder.name)' and its files need plain names (no slashes, no '..')")
                }
                for file in folder.files {
                    let name = try await client.upload(file.data, filename: file.filename, subfolder: folder.name, overwrite: true)
                    guard name == file.filename else {
                        throw ComfyUIError(.badResponse, "the server stored \(file.filename) of folder \(folder.name) as \(name)")
                    }
                    onEvent(.uploaded(input: input, name: "\(folder.name)/\(name)"))
                }
                given[input] = .string(folder.name)
                uploaded.insert(NodeInput(node: declared.node, input: declared.input))
            }
            let filled = try template.filled(with: given)
            (graph, values) = (filled.graph, filled.values)
        }
        try await check(graph, on: client, uploaded: uploaded)
        return PreparedRun(client: client, graph: graph, values: values, request: request)
    }

    /// Checks that `template`, filled with `values`, fits a server of the pool, without
    /// uploading or queuing anything: the form a caller checks before it reserves anything for
    /// a run. Image inputs not given are filled with a placeholder and not checked (their files
    /// are uploaded when the run starts), nor are folder inputs (the run always uploads them).
    /// Throws `graph_rejected` naming every problem: a node class the server does not have (one
    /// from a custom node pack not installed), a model it lacks, a value out of range.
    public func check(_ template: WorkflowTemplate, values: [String: JSONValue]) async throws {
        let client = try await pool.pick()
        var given = values, exempt: Set<NodeInput> = []
        for (name, input) in template.inputs where input.type == .folder || (input.type == .image && given[name] == nil) {
            if given[name] == nil { given[name] = .string(input.type == .image ? "darkroom-placeholder.png" : "darkroom-placeholder") }
            exempt.insert(NodeInput(node: input.node, input: input.input))
        }
        try await check(try template.filled(with: given).graph, on: client, uploaded: exempt)
    }

    /// Opens the WebSocket and submits. A refusal by the server (`validation_failed`) also drops
    /// the kept `/object_info` of that server, which did not foresee it.
    public func start(_ prepared: PreparedRun, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async throws -> StartedRun {
        let client = prepared.client, request = prepared.request
        let follower = try await client.startFollowing(clientID: request.clientID, previewMetadata: request.previewMetadata,
                                                       onEvent: onEvent, connectWithin: min(.seconds(5), request.deadline))
        let submittedAt = client.clock.now
        let submission: Submission
        do { submission = try await client.submit(prepared.graph, clientID: request.clientID) } catch {
            follower.stop()
            if case ComfyUIError.Code.validationFailed = error { await pool.forgetObjectInfo(of: client.baseURL) }
            throw error
        }
        let ticket = JobTicket(server: client.baseURL, promptID: submission.promptID, clientID: request.clientID,
                               droppedBranches: submission.droppedBranches.map(\.description))
        return StartedRun(ticket: ticket, prepared: prepared, follower: follower, submittedAt: submittedAt)
    }

    /// Follows a started run to its end and fetches its images. Cancelling the task interrupts
    /// the prompt on the server.
    public func finish(_ started: StartedRun) async throws -> RunOutcome {
        defer { started.follower.stop() }
        let client = started.prepared.client
        let record = try await started.follower.follow(started.ticket.promptID, until: started.submittedAt + started.prepared.request.deadline)
        let result = try await client.result(of: record, graphNodes: Set(started.prepared.graph.keys),
                                             waited: client.clock.now - started.submittedAt)
        return RunOutcome(ticket: started.ticket, values: started.prepared.values, result: result)
    }

    /// Watches a run submitted earlier (by this process or one that stopped) until it ends, and
    /// fetches its images.
    public func resume(_ ticket: JobTicket, deadline: Duration) async throws -> RunResult {
        let client = await pool.client(for: ticket.server)
        let record = try await client.waitForRun(ticket.promptID, deadline: deadline)
        return try await client.result(of: record)
    }

    /// Checks `graph` against the kept `/object_info`; when it finds problems, fetches it again
    /// once (a model may have been installed since) before refusing. A file this run uploaded is
    /// not yet in any `/object_info` the run fetched before: its input is not checked.
    private func check(_ graph: [String: JSONValue], on client: ComfyUIClient, uploaded: Set<NodeInput>) async throws {
        func problems() async throws -> [GraphProblem] {
            GraphChecker(objectInfo: try await pool.objectInfo(of: client)).problems(in: graph).filter { problem in
                !(problem.code == GraphChecker.Code.notInList && uploaded.contains(NodeInput(node: problem.node, input: problem.input ?? "")))
            }
        }
        guard try await !problems().isEmpty else { return }
        await pool.forgetObjectInfo(of: client.baseURL)
        let remaining = try await problems()
        guard remaining.isEmpty else {
            throw ComfyUIError(.graphRejected, "the graph does not fit the server at \(client.baseURL.absoluteString)", problems: remaining)
        }
    }

    /// A file or folder name that stays where it is put: one path component, not `.` or `..`.
    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\\") && !name.contains("\0")
    }

    /// One input of one node.
    private struct NodeInput: Hashable {
        var node: String
        var input: String
    }
}
