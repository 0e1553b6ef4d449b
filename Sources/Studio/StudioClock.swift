#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Where the Studio services read the time from. Points regenerate and caches expire by it, so
/// tests drive it by hand.
public protocol StudioClock: Sendable {
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: StudioClock {
    public init() {}
    public func now() -> Date { Date() }
}
