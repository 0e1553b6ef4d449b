import Foundation

extension ComfyUIClient {
    /// Runs a graph to completion: submits it, waits for its history (polling `/history`, the
    /// fallback of every run), and fetches every output image.
    ///
    /// Throws `execution_failed` (node, exception type and message), `interrupted`, or
    /// `timed_out` after `deadline` — having interrupted the prompt and removed it from the queue,
    /// so nothing of ours keeps running.
    public func run(_ graph: [String: JSONValue], clientID: String = ComfyUIClient.newClientID(),
                    deadline: Duration = .seconds(600), pollInterval: Duration = .milliseconds(25)) async throws -> RunResult {
        let submission = try await submit(graph, clientID: clientID)
        let record = try await waitForRun(submission.promptID, deadline: deadline, pollInterval: pollInterval)
        return try await result(of: record, graphNodes: Set(graph.keys))
    }

    /// Waits until `promptID` has a history entry (it may have been submitted by an earlier
    /// process: this is how a restarted process resumes watching a job).
    public func waitForRun(_ promptID: String, deadline: Duration = .seconds(600),
                           pollInterval: Duration = .milliseconds(25)) async throws -> RunRecord {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while true {
            if let record = try await history(of: promptID) { return record }
            guard clock.now < end else {
                try? await interrupt(promptID)
                try? await deletePending([promptID])
                throw ComfyUIError(.timedOut, "prompt \(promptID) did not finish within \(deadline); it was interrupted")
            }
            try await Task.sleep(for: min(pollInterval, end - clock.now))
        }
    }

    /// The images of a finished run, fetched with `/view`, by node id; or the run's failure.
    public func result(of record: RunRecord, graphNodes: Set<String>? = nil) async throws -> RunResult {
        switch record.outcome {
        case .failed(let failure):
            throw ComfyUIError(.executionFailed,
                "node \(failure.node) (\(failure.nodeType)) failed: \(failure.exceptionType): \(failure.exceptionMessage.trimmingCharacters(in: .whitespacesAndNewlines))",
                problems: [GraphProblem(node: failure.node, classType: failure.nodeType, input: nil, message: failure.exceptionMessage)])
        case .interrupted(let node):
            throw ComfyUIError(.interrupted, "prompt \(record.promptID) was interrupted" + (node.map { " at node \($0)" } ?? ""))
        case .success:
            var images: [RunResult.Image] = []
            for (node, files) in record.outputs.sorted(by: { $0.key < $1.key }) {
                for file in files { images.append(RunResult.Image(node: node, file: file, bytes: try await image(file))) }
            }
            let cached = graphNodes.map { !$0.isEmpty && $0.isSubset(of: Set(record.cachedNodes)) } ?? false
            return RunResult(promptID: record.promptID, images: images, runSeconds: record.runSeconds ?? 0, cached: cached)
        }
    }
}
