/// Storage for training datasets. Narrow and async; every change is guarded by the state it
/// expects, so a submission, a review and a training run cannot overtake one another.
public protocol DatasetStore: Sendable {
    /// Records a new dataset. With `maxPerOwner`, refused with `too_many_datasets` when the owner
    /// already has that many; the count and the insert are one transaction. `duplicate_id`
    /// when one with that id exists.
    func insert(_ dataset: TrainingDataset, maxPerOwner: Int?) async throws
    /// The dataset with `id`.
    func dataset(id: String) async throws -> TrainingDataset?
    /// Writes `dataset` only if its stored state is one of `expected`; returns whether it did.
    func update(_ dataset: TrainingDataset, expecting expected: Set<TrainingDataset.State>) async throws -> Bool
    /// The owner's datasets, newest first.
    func datasets(of owner: UserID) async throws -> [TrainingDataset]
    /// Every dataset in one of `states`, oldest first: the review queue, what a restart picks up.
    func datasets(in states: Set<TrainingDataset.State>) async throws -> [TrainingDataset]
    /// Removes a dataset still in `draft`; returns whether it did.
    func deleteDraft(id: String) async throws -> Bool
}
