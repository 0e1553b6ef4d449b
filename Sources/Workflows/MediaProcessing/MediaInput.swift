#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import Media
public import Studio

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

extension MediaService {
    /// The record `input` names for `owner`: a stored id looked up, an upload or a URL stored first.
    public func stored(_ input: MediaInput, owner: UserID) async throws -> MediaRecord {
        switch input {
        case .stored(let id): try await record(id, owner: owner)
        case .upload(let data): try await add(data, owner: owner)
        case .url(let url): try await add(from: url, owner: owner)
        }
    }
}
