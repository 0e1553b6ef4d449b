#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Where the image of a mediaProcessing request comes from. Uploads and URLs are stored first
/// (as the user's media), so the result can name what it was derived from.
public enum MediaInput: Sendable, Equatable {
    /// A media id the user owns.
    case stored(String)
    /// Bytes sent with the request.
    case upload(Data)
    /// An http(s) address, fetched under the Media service's limits.
    case url(URL)
}
