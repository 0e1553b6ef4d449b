public import ComfyUIModel

/// One prompt followed on a WebSocket (see ``ComfyUIClient/startFollowing(clientID:previewMetadata:onEvent:connectWithin:)``).
public struct RunFollower: Sendable {
    let client: ComfyUIClient
    let watcher: RunWatcher
    let socket: SocketTask
    let url: String
    let previewMetadata: Bool

    /// Follows `promptID` until it ends (its history record), `removed_from_queue`, or
    /// `timed_out` at `end` (a value of the client's clock), interrupting and unqueueing it then.
    /// Cancelling the calling task interrupts the prompt on the server and unqueues it.
    public func follow(_ promptID: String, until end: Duration) async throws -> RunRecord {
        let clock = client.clock
        await watcher.setPromptID(promptID)
        let finished = try await withTaskCancellationHandler {
            try await waitForTheEnd(of: promptID, until: end)
        } onCancel: {
            Task { [client] in
                try? await client.interrupt(promptID)
                try? await client.deletePending([promptID])
                await watcher.cancelled()
            }
        }
        try Task.checkCancellation()
        guard finished else {
            try? await client.interrupt(promptID)
            try? await client.deletePending([promptID])
            throw ComfyUIError(.timedOut, "prompt \(promptID) did not finish within the deadline; it was interrupted")
        }
        return try await client.waitForRun(promptID, deadline: max(.zero, end - clock.now))
    }

    /// Ends the watch and closes the socket.
    public func stop() { socket.cancel() }

    /// Whether the run ended (or the socket gave way to polling) before `end`. While the socket
    /// is quiet, asks once a second whether the prompt is still queued.
    private func waitForTheEnd(of promptID: String, until end: Duration) async throws -> Bool {
        let clock = client.clock
        // No socket (it could not open): history polling decides, with its own queue checks.
        if await watcher.isClosed { return true }
        while clock.now < end {
            switch await watcher.ending(within: min(.seconds(1), end - clock.now)) {
            case .finished?:
                return true
            case .socketDropped?:
                // The old socket has finished closing (follow returns only then), so reconnecting
                // with the same clientId is safe; progress resumes on it while history decides.
                socket.replace(with: Task { [url, previewMetadata, watcher] in
                    await ComfyUIClient.reconnect(url, previewMetadata: previewMetadata, watcher: watcher)
                })
                return true
            case nil:
                if try await client.recordUnlessQueued(promptID) != nil { return true }
            }
        }
        return false
    }
}
