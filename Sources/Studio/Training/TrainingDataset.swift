#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A LoRA to be trained: its images with their captions, and where its training stands.
///
/// States: `draft → submitted → (approved | rejected) → training → completed | failed`; with the
/// review switched off a submission is approved at once. Each submission holds the price under a
/// key of its own (``holdKey``), so a draft submitted again after a failed submission holds anew.
public struct TrainingDataset: Sendable, Codable, Equatable, Identifiable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Being put together; slots can change.
        case draft
        /// Submitted: the price is held, the prepared images frozen; waiting for review.
        case submitted
        case approved
        /// Refused by a reviewer; the hold is released.
        case rejected
        case training
        case completed
        case failed

        /// The states in which slots may change.
        public static let editable: Set<State> = [.draft]
        /// The states that hold points and may need picking up after a restart.
        public static let open: Set<State> = [.submitted, .approved, .training]
    }

    /// One slot: a stored image and its caption, either of which may be missing while drafting.
    public struct Slot: Sendable, Codable, Equatable {
        public var image: String?
        public var caption: String?

        public init(image: String? = nil, caption: String? = nil) {
            self.image = image
            self.caption = caption
        }

        public var isEmpty: Bool { image == nil && (caption ?? "").isEmpty }
    }

    /// A reviewer's decision.
    public struct Review: Sendable, Codable, Equatable {
        public var reviewer: String
        public var approved: Bool
        public var note: String?
        public var at: Date

        public init(reviewer: String, approved: Bool, note: String?, at: Date) {
            self.reviewer = reviewer
            self.approved = approved
            self.note = note
            self.at = at
        }
    }

    /// Most slots a dataset has.
    public static let slotCount = 20
    /// Fewest images a submission needs.
    public static let minimumImages = 10

    public var id: String
    public var owner: UserID
    public var name: String
    /// The word the captions and prompts use for what the LoRA learns.
    public var triggerWord: String
    /// Exactly ``slotCount`` slots, numbered from 1 where people see them.
    public var slots: [Slot]
    public var state: State
    /// Points held at submission (the price of the owner at that moment), and the points key they
    /// are held under.
    public var price: Int?
    public var holdKey: String?
    /// The prepared images (media ids, slot order) frozen at submission.
    public var prepared: [String]
    public var review: Review?
    /// The training run, once training started.
    public var run: TrainingRun?
    /// The trained LoRA, stored as the owner's model media, and the name `LoraLoader` knows it
    /// by on the server that trained it (`nil` when that server does not list it).
    public var model: String?
    public var loraName: String?
    public var failure: JobFailure?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String = TrainingDataset.newID(), owner: UserID, name: String, triggerWord: String, createdAt: Date) {
        self.id = id
        self.owner = owner
        self.name = name
        self.triggerWord = triggerWord
        slots = Array(repeating: Slot(), count: Self.slotCount)
        state = .draft
        prepared = []
        self.createdAt = createdAt
        updatedAt = createdAt
    }

    /// A fresh id: `ds-` and a lowercase UUID.
    public static func newID() -> String { "ds-\(UUID().uuidString.lowercased())" }

    /// Slots that hold an image.
    public var imageCount: Int { slots.count { $0.image != nil } }

    enum CodingKeys: String, CodingKey {
        case id, owner, name, slots, state, price, prepared, review, run, model, failure
        case triggerWord = "trigger_word", loraName = "lora_name", holdKey = "hold_key", createdAt = "created_at", updatedAt = "updated_at"
    }
}
