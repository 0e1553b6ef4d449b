#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The body of a fetch and how it was reached. The type the server claimed is kept for the
/// record only: what the bytes are is sniffed from them.
public struct FetchedMedia: Sendable {
    public var data: Data
    /// The address the body came from, after redirects.
    public var url: URL
    /// Every address asked, the first included.
    public var hops: [URL]
    /// What the server said the body is; never trusted.
    public var claimedType: String?
}
