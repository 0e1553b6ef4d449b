public import Foundation
public import Media
public import Studio

/// The collections workflow: a user's named sets of images and models, and generative series
/// cooked from a trait grammar through makeImage.
///
/// Membership: any of the owner's stored media (generated, processed, uploaded; a trained LoRA
/// is model media, and a completed dataset's id adds its model), in an order the owner sets.
/// Deleting a collection never deletes media another collection, the history (what a job or a
/// processing made) or a training dataset still uses; with `deleteMedia` it deletes the rest.
/// The cook (``cook(_:owner:onProgress:)``), review and export live in the extensions.
public struct Collections: Sendable {
    /// What the workflow is built on; the composition root picks the implementations.
    public struct Dependencies: Sendable {
        public var collections: any CollectionStore
        public var media: MediaService
        public var makeImage: MakeImage
        public var datasets: any DatasetStore
        public var clock: any StudioClock
        public var maxCollectionsPerUser: Int
        /// Most members one collection holds.
        public var maxItems: Int
        /// Failures in a row after which a cook stops.
        public var maxFailuresInARow: Int
        /// How often a piece's job, followed after a restart, is looked at.
        public var jobPollInterval: Duration

        public init(collections: any CollectionStore, media: MediaService, makeImage: MakeImage, datasets: any DatasetStore,
                    clock: any StudioClock = SystemClock(), maxCollectionsPerUser: Int = 50, maxItems: Int = 10_000,
                    maxFailuresInARow: Int = 3, jobPollInterval: Duration = .seconds(1)) {
            self.collections = collections
            self.media = media
            self.makeImage = makeImage
            self.datasets = datasets
            self.clock = clock
            self.maxCollectionsPerUser = maxCollectionsPerUser
            self.maxItems = maxItems
            self.maxFailuresInARow = maxFailuresInARow
            self.jobPollInterval = jobPollInterval
        }
    }

    /// A collection with its members and where its pieces stand.
    public struct Detail: Sendable, Codable {
        public var collection: MediaCollection
        public var items: [CollectionItem]
        public var pieces: PieceCounts
        /// The series' current configuration hash; pieces with another were made under another.
        public var configHash: String?

        enum CodingKeys: String, CodingKey {
            case collection, items, pieces
            case configHash = "config_hash"
        }
    }

    /// How many pieces are in each state and review.
    public struct PieceCounts: Sendable, Codable, Equatable {
        public var planned = 0, generating = 0, made = 0, failed = 0
        public var approved = 0, rejected = 0, pending = 0
        /// Made pieces drawn under another configuration than the series' current one.
        public var stale = 0

        init(_ pieces: [CollectionPiece], configHash: String?) {
            for piece in pieces {
                switch piece.state {
                case .planned: planned += 1
                case .generating: generating += 1
                case .made: made += 1
                case .failed: failed += 1
                }
                guard piece.state == .made else { continue }
                switch piece.review {
                case .approved: approved += 1
                case .rejected: rejected += 1
                case .pending: pending += 1
                }
                if let configHash, piece.configHash != configHash { stale += 1 }
            }
        }
    }

    /// What a deletion did.
    public struct Deletion: Sendable, Codable {
        public var collection: String
        /// Media deleted with the collection (only with `deleteMedia`).
        public var deletedMedia: [String]
        /// Media the collection held that stays, because another collection, the history or a dataset uses it.
        public var keptMedia: [String]

        enum CodingKeys: String, CodingKey {
            case collection
            case deletedMedia = "deleted_media", keptMedia = "kept_media"
        }
    }

    public let dependencies: Dependencies

    public init(_ dependencies: Dependencies) { self.dependencies = dependencies }

    /// Creates a collection, generative when `series` is given (its grammar and traits checked first).
    public func create(owner: UserID, name: String, description: String = "", series: GenerativeSeries? = nil) async throws -> MediaCollection {
        try await withWorkflowErrors {
            try Self.check(name: name, description: description)
            if let series { _ = try Self.parse(series) }
            let collection = MediaCollection(owner: owner, name: name, description: description, series: series, createdAt: dependencies.clock.now())
            try await dependencies.collections.insert(collection, maxPerOwner: dependencies.maxCollectionsPerUser)
            return collection
        }
    }

    /// The owner's collections, newest first.
    public func collections(of owner: UserID) async throws -> [MediaCollection] {
        try await withWorkflowErrors { try await dependencies.collections.collections(of: owner) }
    }

    /// The owner's collection `id`; `collection_not_found` for another user's or an unknown one.
    public func collection(_ id: String, owner: UserID) async throws -> MediaCollection {
        try await withWorkflowErrors {
            guard let collection = try await dependencies.collections.collection(id: id), collection.owner == owner else {
                throw StudioError(.collectionNotFound, "\(owner) has no collection \(id)")
            }
            return collection
        }
    }

    /// The collection with its members and its pieces counted.
    public func detail(_ id: String, owner: UserID) async throws -> Detail {
        let collection = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            let hash = collection.series?.configHash
            return Detail(collection: collection, items: try await dependencies.collections.items(of: id),
                          pieces: PieceCounts(try await dependencies.collections.pieces(of: id), configHash: hash), configHash: hash)
        }
    }

    /// Renames, describes, or gives the collection a new series (not while it cooks: pause it first).
    /// Pieces already made keep the configuration hash they were drawn under.
    public func update(_ id: String, owner: UserID, name: String? = nil, description: String? = nil,
                       series: GenerativeSeries? = nil) async throws -> MediaCollection {
        _ = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            if let series { _ = try Self.parse(series) }
            // Written only over the cook state it was read with, read afresh when a cook moved on
            // meanwhile, so that neither the change nor the cook's is lost.
            for _ in 0..<5 {
                guard var collection = try await dependencies.collections.collection(id: id) else { break }
                if let name { collection.name = name }
                if let description { collection.description = description }
                try Self.check(name: collection.name, description: collection.description)
                if let series {
                    guard collection.cook.state != .cooking else {
                        throw StudioError(.collectionStateConflict, "collection \(id) is cooking; pause or stop it before changing its series")
                    }
                    collection.series = series
                }
                collection.updatedAt = dependencies.clock.now()
                if try await dependencies.collections.update(collection, expecting: [collection.cook.state]) { return collection }
            }
            throw StudioError(.collectionStateConflict, "collection \(id) keeps changing; try again")
        }
    }

    /// Deletes the collection; its pieces go with it. With `deleteMedia`, the media it held that no
    /// other collection, no history entry and no dataset uses are deleted too.
    public func delete(_ id: String, owner: UserID, deleteMedia: Bool = false) async throws -> Deletion {
        let collection = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            guard collection.cook.state != .cooking else {
                throw StudioError(.collectionStateConflict, "collection \(id) is cooking; stop it before deleting it")
            }
            let members = try await dependencies.collections.items(of: id).map(\.media)
            guard let alone = try await dependencies.collections.delete(id: id) else {
                throw StudioError(.collectionNotFound, "\(owner) has no collection \(id)")
            }
            guard deleteMedia else { return Deletion(collection: id, deletedMedia: [], keptMedia: members) }
            let inDatasets = Set(try await dependencies.datasets.datasets(of: owner).flatMap { dataset in
                dataset.slots.compactMap(\.image) + dataset.prepared + [dataset.model].compactMap { $0 }
            })
            var deleted: [String] = []
            for media in alone where !inDatasets.contains(media) {
                guard let record = try? await dependencies.media.record(media, owner: owner), !Self.isHistory(record) else { continue }
                try await dependencies.media.delete(media, owner: owner)
                deleted.append(media)
            }
            return Deletion(collection: id, deletedMedia: deleted, keptMedia: members.filter { !deleted.contains($0) })
        }
    }

    /// Adds the owner's media (or a completed dataset's model, by the dataset's id) at the end, in
    /// the order given; one already a member stays where it is.
    public func add(_ ids: [String], to id: String, owner: UserID) async throws -> [CollectionItem] {
        _ = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            var members: [(id: String, kind: MediaRecord.Kind)] = []
            var datasets: [TrainingDataset]?  // read once, when a dataset id is given
            for media in ids {
                if media.hasPrefix("ds-") {
                    if datasets == nil { datasets = try await dependencies.datasets.datasets(of: owner) }
                    guard let dataset = datasets?.first(where: { $0.id == media }), let model = dataset.model else {
                        throw StudioError(.datasetNotFound, "\(owner) has no trained model from dataset \(media)")
                    }
                    members.append((model, .model))
                } else {
                    let record = try await dependencies.media.record(media, owner: owner)
                    members.append((record.id, record.kind))
                }
            }
            let count = try await dependencies.collections.items(of: id).count
            guard count + members.count <= dependencies.maxItems else {
                throw StudioError(.invalidParams, "a collection holds at most \(dependencies.maxItems) items; it has \(count)")
            }
            return try await dependencies.collections.add(members, to: id, at: dependencies.clock.now())
        }
    }

    /// Takes `media` out of the collection (the media itself stays).
    public func remove(_ media: String, from id: String, owner: UserID) async throws -> [CollectionItem] {
        _ = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            guard try await dependencies.collections.remove(media, from: id) else {
                throw StudioError(.collectionNotFound, "collection \(id) does not hold \(media)")
            }
            return try await dependencies.collections.items(of: id)
        }
    }

    /// Puts the members in the order of `media`, which must name each member exactly once.
    public func reorder(_ id: String, owner: UserID, as media: [String]) async throws -> [CollectionItem] {
        _ = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            guard try await dependencies.collections.reorder(id, as: media) else {
                throw StudioError(.invalidParams, "the new order must name every member of \(id) exactly once")
            }
            return try await dependencies.collections.items(of: id)
        }
    }

    /// The series' master prompt, parsed; grammar errors become `invalid_prompt` with the spot.
    static func parse(_ series: GenerativeSeries) throws -> MasterPrompt {
        do { return try series.masterPrompt() } catch let error as PromptGrammarError {
            throw StudioError(.invalidPrompt, error.description)
        }
    }

    static func check(name: String, description: String) throws {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, name.count <= MediaCollection.maximumNameLength else {
            throw StudioError(.invalidParams, "a collection's name must be 1…\(MediaCollection.maximumNameLength) characters")
        }
        guard description.count <= MediaCollection.maximumDescriptionLength else {
            throw StudioError(.invalidParams, "a collection's description must be at most \(MediaCollection.maximumDescriptionLength) characters")
        }
    }

    /// Whether the history uses a record: generation and processing outputs are what the history lists.
    static func isHistory(_ record: MediaRecord) -> Bool {
        record.source.hasPrefix("comfyui:") || record.source.hasPrefix("process:") || record.derivedFrom != nil
    }
}
