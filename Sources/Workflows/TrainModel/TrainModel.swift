public import ComfyUIModel
import Foundation
public import Media
public import Studio

/// The trainModel workflow: a dataset of images and captions becomes a LoRA trained on ComfyUI.
///
/// A dataset is put together in `draft` (up to 20 slots of an image and a caption), then
/// submitted: at least 10 images, a caption for each; the images are prepared with the library
/// (upright, an attention crop to a square, resized to the training side, metadata stripped, PNG)
/// and the price is held (``TrainingPrice``). A reviewer approves or rejects it (rejection
/// releases the hold); with the review switched off a submission is approved at once. An
/// approved dataset trains on ComfyUI (``train(_:owner:onEvent:)``): its images and captions go
/// to an input subfolder of a server, a `lora_train` template runs, the saved LoRA is fetched
/// and stored as the owner's model, and the hold is settled at the price (released on failure).
public struct TrainModel: Sendable {
    /// What the workflow is built on; the composition root picks the implementations.
    public struct Dependencies: Sendable {
        public var media: MediaService
        public var points: PointsService
        public var datasets: any DatasetStore
        /// Where the `lora_train` template comes from.
        public var catalogue: WorkflowCatalogue
        /// The servers that train.
        public var trainer: any ModelTraining
        public var clock: any StudioClock
        /// Whether a submission waits for a reviewer (the default) or is approved at once.
        public var reviewRequired: Bool
        /// The side of the square training images, in pixels.
        public var trainingSide: Int
        /// Most datasets a user may have.
        public var maxDatasetsPerUser: Int
        /// The `lora_train` template to run, by name; `nil`: the catalogue's first of that kind.
        public var trainingTemplate: String?
        /// Values for the template's inputs (checkpoint, steps, rank, learning rate…), over its
        /// defaults; the workflow fills `images` and `lora_prefix` itself.
        public var trainingValues: [String: JSONValue]
        /// Longest a training run may take from submission.
        public var trainingDeadline: Duration
        /// The leases under which this process follows training runs (one per process, shared).
        public var leases: JobLeases

        public init(media: MediaService, points: PointsService, datasets: any DatasetStore, catalogue: WorkflowCatalogue,
                    trainer: any ModelTraining, clock: any StudioClock = SystemClock(), reviewRequired: Bool = true,
                    trainingSide: Int = 512, maxDatasetsPerUser: Int = 10, trainingTemplate: String? = nil,
                    trainingValues: [String: JSONValue] = [:], trainingDeadline: Duration = .seconds(4 * 3_600),
                    leases: JobLeases = JobLeases()) {
            self.leases = leases
            self.media = media
            self.points = points
            self.datasets = datasets
            self.catalogue = catalogue
            self.trainer = trainer
            self.clock = clock
            self.reviewRequired = reviewRequired
            self.trainingSide = trainingSide
            self.maxDatasetsPerUser = maxDatasetsPerUser
            self.trainingTemplate = trainingTemplate
            self.trainingValues = trainingValues
            self.trainingDeadline = trainingDeadline
        }
    }

    /// Longest dataset name and trigger word, and caption, in characters.
    public static let maximumNameLength = 100
    public static let maximumTriggerLength = 50
    public static let maximumCaptionLength = 1_000

    public let dependencies: Dependencies

    public init(_ dependencies: Dependencies) { self.dependencies = dependencies }

    // MARK: Datasets

    /// A new, empty dataset of `owner`'s.
    public func createDataset(owner: UserID, name: String, triggerWord: String) async throws -> TrainingDataset {
        try await withWorkflowErrors {
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            let trigger = triggerWord.trimmingCharacters(in: .whitespacesAndNewlines)
            var problems: [String] = []
            if name.isEmpty || name.count > Self.maximumNameLength {
                problems.append("name: expected 1 … \(Self.maximumNameLength) characters, received \(name.count)")
            }
            if trigger.isEmpty || trigger.count > Self.maximumTriggerLength || trigger.contains(where: \.isWhitespace) {
                problems.append("trigger_word: expected one word of 1 … \(Self.maximumTriggerLength) characters, received \"\(trigger)\"")
            }
            guard problems.isEmpty else { throw WorkflowError(.invalidParams, problems.joined(separator: "; "), problems: problems) }
            let dataset = TrainingDataset(owner: owner, name: name, triggerWord: trigger, createdAt: dependencies.clock.now())
            try await dependencies.datasets.insert(dataset, maxPerOwner: dependencies.maxDatasetsPerUser)
            return dataset
        }
    }

    /// The owner's datasets, newest first.
    public func datasets(of owner: UserID) async throws -> [TrainingDataset] {
        try await withWorkflowErrors { try await dependencies.datasets.datasets(of: owner) }
    }

    /// The owner's dataset `id`; `dataset_not_found` for an unknown id or another user's.
    public func dataset(_ id: String, owner: UserID) async throws -> TrainingDataset {
        try await withWorkflowErrors {
            guard let dataset = try await dependencies.datasets.dataset(id: id), dataset.owner == owner else {
                throw StudioError(.datasetNotFound, "there is no training dataset '\(id)' of \(owner)")
            }
            return dataset
        }
    }

    /// Sets slot `slot` (1 … 20) of a draft: its image (stored as the owner's media first), its
    /// caption, or both; `nil` leaves that part as it is.
    public func setSlot(_ slot: Int, of id: String, owner: UserID, image: MediaInput? = nil, caption: String? = nil) async throws -> TrainingDataset {
        try await withWorkflowErrors {
            var dataset = try await draft(id, owner: owner)
            let index = try Self.index(of: slot)
            if let caption {
                let text = caption.trimmingCharacters(in: .whitespacesAndNewlines)
                guard text.count <= Self.maximumCaptionLength else {
                    throw WorkflowError(.invalidParams, "caption: expected at most \(Self.maximumCaptionLength) characters, received \(text.count)")
                }
                dataset.slots[index].caption = text.isEmpty ? nil : text
            }
            if let image {
                let record = try await dependencies.media.stored(image, owner: owner)
                guard record.kind == .image else { throw WorkflowError(.unsupportedMedia, "media \(record.id) is not an image") }
                dataset.slots[index].image = record.id
            }
            return try await save(dataset, expecting: [.draft])
        }
    }

    /// Empties slot `slot` of a draft (its image stays in the owner's media).
    public func clearSlot(_ slot: Int, of id: String, owner: UserID) async throws -> TrainingDataset {
        try await withWorkflowErrors {
            var dataset = try await draft(id, owner: owner)
            dataset.slots[try Self.index(of: slot)] = .init()
            return try await save(dataset, expecting: [.draft])
        }
    }

    /// Deletes a draft; a submitted dataset is kept (its hold and review are on record).
    public func deleteDataset(_ id: String, owner: UserID) async throws {
        try await withWorkflowErrors {
            _ = try await draft(id, owner: owner)
            guard try await dependencies.datasets.deleteDraft(id: id) else {
                throw StudioError(.datasetStateConflict, "dataset \(id) was submitted meanwhile; it is kept")
            }
        }
    }

    /// What training costs `owner` now.
    public func price(for owner: UserID) async throws -> TrainingPrice {
        try await withWorkflowErrors { TrainingPrice(try await dependencies.points.balance(of: owner)) }
    }

    // MARK: Helpers

    func draft(_ id: String, owner: UserID) async throws -> TrainingDataset {
        let dataset = try await dataset(id, owner: owner)
        guard TrainingDataset.State.editable.contains(dataset.state) else {
            throw StudioError(.datasetStateConflict, "dataset \(id) is \(dataset.state.rawValue); only a draft can change")
        }
        return dataset
    }

    /// Writes `dataset` (stamped now) if it is still in one of `expected`.
    func save(_ dataset: TrainingDataset, expecting expected: Set<TrainingDataset.State>) async throws -> TrainingDataset {
        var changed = dataset
        changed.updatedAt = dependencies.clock.now()
        guard try await dependencies.datasets.update(changed, expecting: expected) else {
            let now = try await dependencies.datasets.dataset(id: dataset.id)
            throw StudioError(.datasetStateConflict, "dataset \(dataset.id) changed meanwhile (it is \(now?.state.rawValue ?? "gone"))")
        }
        return changed
    }

    static func index(of slot: Int) throws -> Int {
        guard (1...TrainingDataset.slotCount).contains(slot) else {
            throw WorkflowError(.invalidParams, "slot: expected 1 … \(TrainingDataset.slotCount), received \(slot)")
        }
        return slot - 1
    }
}
