import ComfyUI
import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Media
import Studio
import StudioSQLite
import StudioTestSupport
import TestSupport
import Vips
import Workflows

/// trainModel over a real SQLite file, a content folder, real libvips and the shipped templates,
/// training on `server` (none: a runner whose pool has no server, for tests that never train).
struct TrainModelFixture {
    let user = UserID.telegramTester
    let database: TestDatabase
    let folder: TemporaryDirectory
    let media: MediaService
    let catalogue: WorkflowCatalogue
    let server: URL?
    /// The prepared images' side: small, so that a real CPU-only server trains in seconds.
    static let side = 64

    init(server: URL? = nil, database: TestDatabase? = nil, folder: TemporaryDirectory? = nil) async throws {
        self.database = try database ?? TestDatabase()
        self.folder = folder ?? TemporaryDirectory("train-model")
        self.server = server
        media = MediaService(.init(records: self.database.database.media,
                                   content: try LocalContentStore(folder: self.folder.url.appendingPathComponent("media")),
                                   clock: self.database.clock))
        catalogue = WorkflowCatalogue(store: self.database.database.templates)
        let report = try await catalogue.seed(from: MediaProcessingFixture.shippedTemplates)
        precondition(report.rejected.isEmpty, "\(report.rejected)")
    }

    /// The runner on the fixture's server, patient as a real server needs.
    var runner: ComfyUIRunner {
        ComfyUIRunner(pool: ComfyUIPool(servers: server.map { [$0] } ?? [], failureThreshold: 1, requestTimeout: .seconds(60)))
    }

    func workflow(reviewRequired: Bool = true, values: [String: JSONValue] = [:], deadline: Duration = .seconds(600),
                  trainer: ((ComfyUIRunner) -> any ModelTraining)? = nil) -> TrainModel {
        TrainModel(.init(media: media, points: database.points, datasets: database.database.datasets, catalogue: catalogue,
                         trainer: trainer?(runner) ?? runner, clock: database.clock, reviewRequired: reviewRequired,
                         trainingSide: Self.side, trainingValues: values, trainingDeadline: deadline))
    }

    /// A photo-like JPEG of `width`×`height` with an EXIF orientation of 6 (shown turned).
    func photo(_ seed: UInt64, width: Int = 300, height: Int = 200) throws -> Data {
        var image = try TestImages.photo(width: width, height: height, seed: seed)
        image = try image.settingOrientation(6)
        return try image.data(format: .jpeg)
    }

    /// A draft with `images` captioned images (and `uncaptioned` more without a caption).
    func draft(_ train: TrainModel, images: Int, uncaptioned: Int = 0) async throws -> TrainingDataset {
        var dataset = try await train.createDataset(owner: user, name: "my cat", triggerWord: "mycat")
        for slot in 1...(images + uncaptioned) {
            dataset = try await train.setSlot(slot, of: dataset.id, owner: user, image: .upload(try photo(UInt64(slot))),
                                              caption: slot <= images ? "a photo of mycat, pose \(slot)" : nil)
        }
        return dataset
    }

    /// A dataset of 10 captioned images, submitted with the review off: approved, its price held.
    func approved(_ train: TrainModel) async throws -> TrainingDataset {
        _ = try await database.points.addCredits(100_000, to: user, key: "gift-\(UUID().uuidString)")
        return try await train.submit(try await draft(train, images: 10).id, owner: user)
    }

    func code(_ body: () async throws -> Void) async -> String? { await workflowErrorCode(body) }
}
