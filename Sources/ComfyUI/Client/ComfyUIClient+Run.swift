public import ComfyUIModel
import Foundation

extension ComfyUIClient {
    /// Runs a graph to completion without a WebSocket: submits it, polls `/history` until the run
    /// is recorded, and fetches every output image. ``runFollowingEvents(_:clientID:deadline:previewMetadata:onEvent:)``
    /// is the usual way; this one serves callers that want no events.
    ///
    /// Throws `execution_failed` (node, exception type and message), `interrupted`,
    /// `removed_from_queue`, or `timed_out` after `deadline` — having interrupted the prompt and
    /// removed it from the queue, so nothing of ours keeps running.
    public func runPollingHistory(_ graph: [String: JSONValue], clientID: String = ClientID.new(),
                                  deadline: Duration = .seconds(600)) async throws -> RunResult {
        let start = clock.now
        let submission = try await submit(graph, clientID: clientID)
        let record = try await waitForRun(submission.promptID, deadline: deadline)
        return try await result(of: record, graphNodes: Set(graph.keys), waited: clock.now - start)
    }

    /// Waits until `promptID` has a history entry (it may have been submitted by an earlier
    /// process: this is how a restarted process resumes watching a job). Polls quickly at first
    /// (10 ms, doubling), then at most once a second; about once a second it also makes sure the prompt is still
    /// queued, so one deleted before it ran ends in `removed_from_queue` instead of the deadline.
    public func waitForRun(_ promptID: String, deadline: Duration = .seconds(600)) async throws -> RunRecord {
        let end = clock.now + deadline
        var interval = Duration.milliseconds(10)
        var lastQueueCheck = clock.now
        while true {
            if let record = try await history(of: promptID) { return record }
            guard clock.now < end else {
                try? await interrupt(promptID)
                try? await deletePending([promptID])
                throw ComfyUIError(.timedOut, "prompt \(promptID) did not finish within \(deadline); it was interrupted")
            }
            if clock.now - lastQueueCheck >= .seconds(1) {
                if let record = try await recordUnlessQueued(promptID) { return record }
                lastQueueCheck = clock.now
            }
            try await clock.sleep(for: min(interval, end - clock.now))
            interval = min(interval * 2, .seconds(1))
        }
    }

    /// `nil` while `promptID` runs or waits; its history once it has finished; and
    /// `removed_from_queue` when it is in neither (it was deleted before it ran).
    func recordUnlessQueued(_ promptID: String) async throws -> RunRecord? {
        if try await queue().contains(promptID) { return nil }
        // It may have finished between the two questions: history is written before it leaves the queue.
        if let record = try await history(of: promptID) { return record }
        throw ComfyUIError(.removedFromQueue,
                           "prompt \(promptID) was removed from the queue of \(baseURL.absoluteString) before it ran")
    }

    /// The images of a finished run, fetched with `/view`, by node id; or the run's failure.
    /// `waited` (what the caller measured from submission) bounds the run time the server
    /// claims, which is what points are charged on.
    public func result(of record: RunRecord, graphNodes: Set<String>? = nil, waited: Duration? = nil) async throws -> RunResult {
        switch record.outcome {
        case .failed(let failure):
            throw ComfyUIError(.executionFailed,
                "node \(failure.node) (\(failure.nodeType)) failed: \(failure.exceptionType): \(failure.exceptionMessage.trimmingCharacters(in: .whitespacesAndNewlines))",
                problems: [GraphProblem(node: failure.node, classType: failure.nodeType, input: nil, message: failure.exceptionMessage)])
        case .interrupted(let node):
            throw ComfyUIError(.interrupted, "prompt \(record.promptID) was interrupted" + (node.map { " at node \($0)" } ?? ""))
        case .success:
            var images: [RunResult.Image] = []
            var total = 0
            for (node, files) in record.outputs.sorted(by: { $0.key < $1.key }) {
                for file in files {
                    guard images.count < Self.maxOutputImages else {
                        throw ComfyUIError(.responseTooLarge, "prompt \(record.promptID) lists more than \(Self.maxOutputImages) output images")
                    }
                    let bytes = try await image(file)
                    total += bytes.count
                    guard total <= maxRunBytes else {
                        throw ComfyUIError(.responseTooLarge, "the outputs of prompt \(record.promptID) add up to more than \(maxRunBytes / (1024 * 1024)) MiB")
                    }
                    images.append(RunResult.Image(node: node, file: file, bytes: bytes))
                }
            }
            let cached = graphNodes.map { !$0.isEmpty && $0.isSubset(of: Set(record.cachedNodes)) } ?? false
            var seconds = record.runSeconds ?? 0
            if let waited { seconds = min(seconds, Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18) }
            return RunResult(promptID: record.promptID, images: images, runSeconds: seconds, cached: cached)
        }
    }

    /// The most output images one run may list (a batch of 6 on 16 SaveImage nodes is 96).
    public static let maxOutputImages = 256
}
