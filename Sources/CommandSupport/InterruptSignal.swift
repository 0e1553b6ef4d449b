import Dispatch
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C (SIGINT) while a command works: the first one runs `onFirst` (stop starting files,
/// interrupt the prompt on the server…) and the command finishes cleanly; a second one exits at
/// once with 130. While it is watching, SIGINT no longer kills the process.
public final class InterruptSignal {
    private let received = NIOLockedValueBox(false)
    private var source: (any DispatchSourceSignal)?

    /// Starts watching.
    public init(onFirst: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        self.source = source
        source.setEventHandler { [received] in
            let second = received.withLockedValue { value -> Bool in
                defer { value = true }
                return value
            }
            if second { exit(Failure.Status.interrupted.rawValue) }
            onFirst()
        }
        source.resume()
    }

    /// Whether Ctrl-C was pressed.
    public var isSet: Bool { received.withLockedValue { $0 } }

    /// Stops watching: SIGINT kills the process again.
    public func stop() {
        guard let source else { return }
        source.cancel()
        self.source = nil
        signal(SIGINT, SIG_DFL)
    }

    deinit { stop() }
}
