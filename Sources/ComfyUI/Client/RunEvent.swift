/// What happens during a run, as the WebSocket tells it.
public enum RunEvent: Sendable, Equatable {
    /// The server took the prompt.
    case queued(promptID: String)
    case started
    /// Nodes served from the cache.
    case cached(nodes: [String])
    /// A node starts.
    case executing(node: String)
    /// Step `value` of `max` in `node` (a sampler's steps).
    case progress(node: String?, value: Int, max: Int)
    /// A preview image (sampler previews, SaveImageWebsocket).
    case preview(BinaryFrame)
    /// The socket closed before the run ended; the client polls `/history` instead.
    case socketDropped
}
