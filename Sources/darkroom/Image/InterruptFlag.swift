import CommandSupport
import Dispatch
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by the first Ctrl-C (SIGINT): a batch then stops starting files. A second Ctrl-C exits
/// at once. While it exists, SIGINT no longer kills the process.
final class InterruptFlag {
    private let interrupted = NIOLockedValueBox(false)
    private let source: any DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [interrupted] in
            let second = interrupted.withLockedValue { value -> Bool in
                defer { value = true }
                return value
            }
            if second { Glibc.exit(Failure.Status.interrupted.rawValue) }
            Console.errorLine("\ndarkroom: interrupted — finishing the files in progress (Ctrl-C again to stop now)")
        }
        source.resume()
    }

    var isSet: Bool { interrupted.withLockedValue { $0 } }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
