import Hummingbird
import NIOCore

/// The stand-in's request context: Hummingbird's basic one, plus the connection, which a
/// "network drop" closes without answering.
struct StandInContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
