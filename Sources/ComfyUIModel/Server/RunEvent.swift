public import Foundation

/// What happens during a run: the steps of the run path, then what the WebSocket tells.
public enum RunEvent: Sendable, Equatable {
    /// The server the run goes to (the pool's pick).
    case serverChosen(URL)
    /// A local image was uploaded for template input `input`; the server named it `name`.
    case uploaded(input: String, name: String)
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
