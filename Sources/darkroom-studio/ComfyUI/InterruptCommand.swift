import CommandSupport
import ArgumentParser
import ComfyUI
import ComfyUIModel
import Foundation

/// `darkroom comfyui interrupt ID`: stop one prompt, wherever it runs or waits.
struct InterruptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interrupt",
        abstract: "Stop one prompt: interrupt it if it runs, remove it if it waits.",
        discussion: Help.discussion("""
            Finds the prompt on the servers. A running prompt is interrupted (only that one:
            nothing else on the server is touched) and the command waits until the server has
            stopped it; ComfyUI checks between nodes and at every sampler step, so a long node
            finishes first. A waiting prompt is removed from the queue. Exits 65 when the prompt
            is not running or waiting (and says whether it already finished), 75 when it is still
            running after --wait seconds.
            """, examples: [
            "darkroom comfyui interrupt 5adf7a3d-cb1c-4bbf-a544-f977747ae7b8",
            "darkroom comfyui interrupt 5adf7a3d-cb1c-4bbf-a544-f977747ae7b8 --server http://gpu1:8188 --wait 120",
        ])
    )

    @Argument(help: "The prompt id (as `run` and `queue` print it).") var promptID: String
    @Option(help: "Seconds to wait for the server to stop a running prompt.") var wait: Double = 30
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var serverOptions: ServerOptions

    /// What happened, as `--json` prints it.
    struct Report: Encodable {
        enum Outcome: String, Encodable {
            /// It was running and the server stopped it.
            case interrupted
            /// It was waiting and is no longer in the queue.
            case removed
            /// It ended some other way (finished or failed) before the interrupt took.
            case finished
        }
        var promptID: String
        var server: String
        var outcome: Outcome
        var node: String?
    }

    func run() async throws {
        do {
            let snapshot = try await QueueSnapshot.read(serverOptions)
            let report: Report
            switch snapshot.place(of: promptID) {
            case .running(let server): report = try await interrupt(on: server.client)
            case .pending(let server):
                try await server.client.deletePending([promptID])
                if try await server.client.queue().running.contains(where: { $0.promptID == promptID }) {
                    report = try await interrupt(on: server.client)
                } else {
                    report = Report(promptID: promptID, server: server.url, outcome: .removed)
                }
            case nil:
                throw Failure(.input, await snapshot.whereabouts(of: promptID))
            }
            if json { return JSONOutput.print(report) }
            switch report.outcome {
            case .interrupted: Console.line("interrupted \(promptID) on \(report.server)\(report.node.map { " at node \($0)" } ?? "")")
            case .removed: Console.line("removed \(promptID) from the queue of \(report.server) (it had not started)")
            case .finished: Console.line("\(promptID) ended on \(report.server) before the interrupt took effect")
            }
        }
    }

    /// Asks the server to stop the prompt, then waits until its history says how it ended.
    private func interrupt(on client: ComfyUIClient) async throws -> Report {
        try await client.interrupt(promptID)
        let record: RunRecord
        do {
            record = try await client.waitForRun(promptID, deadline: .milliseconds(Int64(max(0, min(wait, 86_400)) * 1000)))
        } catch let error as ComfyUIError where error.code == .timedOut {
            throw Failure(.timedOut, "\(client.baseURL.absoluteString) was asked to stop \(promptID) but it is still running after \(Format.decimal(wait, places: 0)) s; ComfyUI stops at the next node or sampler step")
        }
        if case .interrupted(let node) = record.outcome {
            return Report(promptID: promptID, server: client.baseURL.absoluteString, outcome: .interrupted, node: node)
        }
        return Report(promptID: promptID, server: client.baseURL.absoluteString, outcome: .finished)
    }
}
