#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The client ids darkroom submits with. Each starts with ``prefix``, which is how
/// ``QueueState/Entry/isOurs`` (and `queue --clear`) tell our prompts from other people's on a
/// shared server.
public enum ClientID {
    /// The start of every client id of ours.
    public static let prefix = "darkroom-"

    /// A fresh client id of ours: `darkroom-<purpose>-<uuid>`.
    public static func new(_ purpose: String = "run") -> String {
        "\(prefix)\(purpose)-\(UUID().uuidString.lowercased())"
    }

    /// Whether `id` is one of ours.
    public static func isOurs(_ id: String?) -> Bool { id?.hasPrefix(prefix) == true }
}
