#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One generation in a user's history.
public struct HistoryEntry: Sendable, Codable, Equatable {
    public var at: Date
    public var prompt: String
    public var template: String
    public var job: String
    /// Stored media ids of the images the job produced.
    public var media: [String]

    public init(at: Date, prompt: String, template: String, job: String, media: [String]) {
        self.at = at
        self.prompt = prompt
        self.template = template
        self.job = job
        self.media = media
    }
}
