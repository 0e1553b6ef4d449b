#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One piece of a generative collection: what was drawn for it, the job that made it, its image,
/// and its review.
public struct CollectionPiece: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Drawn and recorded, its job not yet started.
        case planned
        /// Its job is recorded (``job``) and running, or to be followed after a restart.
        case generating
        /// Its image is stored (``media``).
        case made
        /// Its job failed (``failure``); a later cook makes the number again.
        case failed
    }

    public enum Review: String, Sendable, Codable, CaseIterable {
        case pending, approved, rejected
    }

    public var collection: String
    /// 1-based number, unique in the collection: the `N` of the exported `N.png`.
    public var number: Int
    /// Trait name → drawn value name (an empty value's name too).
    public var traits: [String: String]
    public var prompt: String
    /// The generation seed the piece was made with.
    public var seed: Int64
    /// The series' ``GenerativeSeries/configHash`` when the piece was drawn.
    public var configHash: String
    public var state: State
    public var job: String?
    public var media: String?
    public var review: Review
    public var failure: JobFailure?
    public var createdAt: Date
    public var updatedAt: Date

    public init(collection: String, number: Int, traits: [String: String], prompt: String, seed: Int64, configHash: String,
                createdAt: Date) {
        self.collection = collection
        self.number = number
        self.traits = traits
        self.prompt = prompt
        self.seed = seed
        self.configHash = configHash
        state = .planned
        review = .pending
        self.createdAt = createdAt
        updatedAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case collection, number, traits, prompt, seed, state, job, media, review, failure
        case configHash = "config_hash", createdAt = "created_at", updatedAt = "updated_at"
    }
}
