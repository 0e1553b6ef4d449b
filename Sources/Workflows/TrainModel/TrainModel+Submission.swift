import Foundation
import Media
public import Studio
import Vips

extension TrainModel {
    /// Submits a draft: every image needs a caption, and there must be at least 10 images
    /// (`insufficient_images`, `missing_captions`, before anything is held). The images are
    /// prepared and stored, the owner's price held (`not_enough_points`), and the dataset waits
    /// for review (or is approved at once when the review is off). A failure after the hold
    /// releases it and removes what was prepared.
    public func submit(_ id: String, owner: UserID) async throws -> TrainingDataset {
        try await withWorkflowErrors {
            var dataset = try await draft(id, owner: owner)
            let filled = dataset.slots.enumerated().filter { $0.element.image != nil }
            guard filled.count >= TrainingDataset.minimumImages else {
                throw StudioError(.insufficientImages, "dataset \(id) has \(filled.count) image\(filled.count == 1 ? "" : "s"); training needs at least \(TrainingDataset.minimumImages)")
            }
            let uncaptioned = filled.filter { ($0.element.caption ?? "").isEmpty }.map { $0.offset + 1 }
            guard uncaptioned.isEmpty else {
                throw StudioError(.missingCaptions, "slot\(uncaptioned.count == 1 ? "" : "s") \(uncaptioned.map(String.init).joined(separator: ", ")) of dataset \(id) \(uncaptioned.count == 1 ? "has" : "have") an image but no caption")
            }
            let price = TrainingPrice(try await dependencies.points.balance(of: owner)).amount
            // A key per submission: a hold is idempotent by key, and an earlier failed submission's
            // key names a released hold.
            let key = "\(id):\(UUID().uuidString.lowercased())"
            _ = try await dependencies.points.hold(user: owner, job: key, estimate: price)
            var prepared: [String] = []
            do {
                for (_, slot) in filled {
                    prepared.append(try await prepare(slot.image ?? "", owner: owner, dataset: id).id)
                }
                dataset.prepared = prepared
                dataset.price = price
                dataset.holdKey = key
                dataset.state = dependencies.reviewRequired ? .submitted : .approved
                if !dependencies.reviewRequired {
                    dataset.review = .init(reviewer: "automatic", approved: true, note: "the review is switched off", at: dependencies.clock.now())
                }
                return try await save(dataset, expecting: [.draft])
            } catch {
                for media in prepared { try? await dependencies.media.delete(media, owner: owner) }
                await release(key)
                throw error
            }
        }
    }

    /// A reviewer's decision on a submitted dataset: approved, it waits for training; rejected,
    /// its hold is released. `dataset_state_conflict` when it is not waiting for review.
    public func review(_ id: String, reviewer: String, approve: Bool, note: String? = nil) async throws -> TrainingDataset {
        try await withWorkflowErrors {
            guard var dataset = try await dependencies.datasets.dataset(id: id) else {
                throw StudioError(.datasetNotFound, "there is no training dataset '\(id)'")
            }
            guard dataset.state == .submitted else {
                throw StudioError(.datasetStateConflict, "dataset \(id) is \(dataset.state.rawValue), not waiting for review")
            }
            dataset.review = .init(reviewer: reviewer, approved: approve, note: note, at: dependencies.clock.now())
            dataset.state = approve ? .approved : .rejected
            if !approve {
                dataset.failure = JobFailure(code: "rejected", message: note.map { "rejected by \(reviewer): \($0)" } ?? "rejected by \(reviewer)")
            }
            let saved = try await save(dataset, expecting: [.submitted])
            if !approve, let key = dataset.holdKey { await release(key) }
            return saved
        }
    }

    /// The datasets waiting for a reviewer, oldest first.
    public func pendingReview() async throws -> [TrainingDataset] {
        try await withWorkflowErrors { try await dependencies.datasets.datasets(in: [.submitted]) }
    }

    /// One image made ready for training: upright, an attention crop to the training square
    /// (enlarged when smaller), metadata stripped, PNG; stored as the owner's media derived
    /// from the original.
    private func prepare(_ media: String, owner: UserID, dataset: String) async throws -> MediaRecord {
        let (original, side, limits) = (try await dependencies.media.data(media, owner: owner).data, dependencies.trainingSide,
                                        dependencies.media.policy.limits)
        let prepared = try await dependencies.media.dependencies.workers.run {
            do {
                return try Image.thumbnail(data: original, width: side, options: ThumbnailOptions(height: side, crop: .attention),
                                           loading: LoadOptions(limits: limits))
                    .toSRGB()
                    .data(format: .png, options: SaveOptions(stripMetadata: true))
            } catch let error as VipsError {
                throw MediaError(vips: error)
            }
        }
        return try await dependencies.media.add(prepared, owner: owner, source: "training:\(dataset)", derivedFrom: media)
    }

    /// Releases the hold under `key` in a task of its own, so that a cancelled request still frees its points.
    func release(_ key: String) async {
        let points = dependencies.points
        await Task { _ = try? await points.release(job: key) }.value
    }
}
