import Foundation
import Media
import Studio
import StudioSQLite
import StudioTestSupport
import Testing
import TestSupport
import Vips
import Workflows

/// trainModel's datasets, submission and review for user 5472638766, on a real SQLite file, a
/// content folder and real libvips: the rules of a dataset, the refusals before anything is
/// held, images prepared for training, the price held, rejection releasing it.
@Suite(.onTestThreads) struct TrainModelTests {
    let fixture: TrainModelFixture
    var user: UserID { fixture.user }
    var database: TestDatabase { fixture.database }
    var media: MediaService { fixture.media }

    init() async throws { fixture = try await TrainModelFixture() }

    func workflow(reviewRequired: Bool = true) -> TrainModel { fixture.workflow(reviewRequired: reviewRequired) }
    func photo(_ seed: UInt64) throws -> Data { try fixture.photo(seed) }
    func draft(_ train: TrainModel, images: Int, uncaptioned: Int = 0) async throws -> TrainingDataset {
        try await fixture.draft(train, images: images, uncaptioned: uncaptioned)
    }
    func code(_ body: () async throws -> Void) async -> String? { await workflowErrorCode(body) }

    @Test func aDatasetKeepsItsRulesWhileDrafting() async throws {
        let train = workflow()
        #expect(await code { _ = try await train.createDataset(owner: user, name: "", triggerWord: "two words") } == "invalid_params")
        let dataset = try await train.createDataset(owner: user, name: "my cat", triggerWord: "mycat")
        #expect(dataset.state == .draft && dataset.slots.count == 20 && dataset.imageCount == 0)
        #expect(await code { _ = try await train.setSlot(21, of: dataset.id, owner: user, caption: "x") } == "invalid_params")
        #expect(await code { _ = try await train.setSlot(1, of: dataset.id, owner: UserID("web:alice")!, caption: "x") } == "dataset_not_found")
        var changed = try await train.setSlot(3, of: dataset.id, owner: user, image: .upload(try photo(3)), caption: "  mycat asleep ")
        #expect(changed.slots[2].caption == "mycat asleep" && changed.imageCount == 1)
        changed = try await train.clearSlot(3, of: dataset.id, owner: user)
        #expect(changed.imageCount == 0 && changed.slots[2].isEmpty)
        #expect(try await train.datasets(of: user).map(\.id) == [dataset.id])
        try await train.deleteDataset(dataset.id, owner: user)
        #expect(try await train.datasets(of: user).isEmpty)
    }

    @Test func tooFewImagesOrAMissingCaptionIsRefusedBeforeAnythingIsHeld() async throws {
        let train = workflow()
        let short = try await draft(train, images: 9)
        #expect(await code { _ = try await train.submit(short.id, owner: user) } == "insufficient_images")
        let uncaptioned = try await draft(train, images: 10, uncaptioned: 2)
        do {
            _ = try await train.submit(uncaptioned.id, owner: user)
            Issue.record("a dataset with images without captions was submitted")
        } catch let error as WorkflowError {
            #expect(error.code.rawValue == "missing_captions" && error.message.contains("slots 11, 12"), "\(error)")
        }
        #expect(try await database.points.ledger(of: user).isEmpty)
        #expect(try await train.dataset(uncaptioned.id, owner: user).state == .draft)
    }

    @Test func aSubmissionPreparesTheImagesAndHoldsThePrice() async throws {
        let train = workflow()
        _ = try await database.points.addCredits(100_000, to: user, key: "gift")
        let dataset = try await draft(train, images: 10)
        let price = try await train.price(for: user)
        let submitted = try await train.submit(dataset.id, owner: user)
        #expect(submitted.state == .submitted && submitted.price == price.amount && submitted.prepared.count == 10)
        #expect(try await database.points.balance(of: user).held == price.amount)
        for (index, id) in submitted.prepared.enumerated() {
            let record = try await media.record(id, owner: user)
            #expect(record.derivedFrom == submitted.slots[index].image && record.source == "training:\(dataset.id)")
            let image = try Image(data: try await media.data(id, owner: user).data)
            #expect(image.header.format == .png && image.width == TrainModelFixture.side && image.height == TrainModelFixture.side)
            #expect(image.header.orientation == 1 && image.header.exif.isEmpty)
        }
        #expect(await code { _ = try await train.setSlot(1, of: dataset.id, owner: user, caption: "late") } == "dataset_state_conflict")
        #expect(await code { _ = try await train.deleteDataset(dataset.id, owner: user) } == "dataset_state_conflict")
    }

    @Test func aRejectionReleasesTheHoldAndAnApprovalKeepsIt() async throws {
        let train = workflow()
        _ = try await database.points.addCredits(200_000, to: user, key: "gift")
        let rejected = try await train.submit(try await draft(train, images: 10).id, owner: user)
        database.clock.advance(by: 1)
        let approved = try await train.submit(try await draft(train, images: 10).id, owner: user)
        #expect(try await train.pendingReview().map(\.id) == [rejected.id, approved.id])
        let refused = try await train.review(rejected.id, reviewer: "admin:1", approve: false, note: "blurry")
        #expect(refused.state == .rejected && refused.failure?.message.contains("blurry") == true)
        let accepted = try await train.review(approved.id, reviewer: "admin:1", approve: true)
        #expect(accepted.state == .approved && accepted.review?.reviewer == "admin:1")
        #expect(try await database.points.balance(of: user).held == approved.price)
        #expect(await code { _ = try await train.review(approved.id, reviewer: "admin:1", approve: false) } == "dataset_state_conflict")
        #expect(try await train.pendingReview().isEmpty)
    }

    @Test func withTheReviewOffASubmissionIsApprovedAtOnce() async throws {
        let train = workflow(reviewRequired: false)
        _ = try await database.points.addCredits(100_000, to: user, key: "gift")
        let submitted = try await train.submit(try await draft(train, images: 10).id, owner: user)
        #expect(submitted.state == .approved && submitted.review?.reviewer == "automatic")
        #expect(try await train.pendingReview().isEmpty)
    }

    @Test func aSubmissionThatFailsAfterTheHoldReleasesItAndASecondOneHoldsAnew() async throws {
        let train = workflow()
        _ = try await database.points.addCredits(100_000, to: user, key: "gift")
        var dataset = try await draft(train, images: 10)
        // An image the preparation cannot read: its bytes are gone from the store.
        try await media.delete(try #require(dataset.slots[4].image), owner: user)
        #expect(await code { _ = try await train.submit(dataset.id, owner: user) } == "media_not_found")
        #expect(try await database.points.balance(of: user).held == 0)
        #expect(try await train.dataset(dataset.id, owner: user).state == .draft)
        dataset = try await train.setSlot(5, of: dataset.id, owner: user, image: .upload(try photo(55)))
        let submitted = try await train.submit(dataset.id, owner: user)
        #expect(submitted.state == .submitted && submitted.holdKey?.hasPrefix("\(dataset.id):") == true)
        #expect(try await database.points.balance(of: user).held == submitted.price)
        #expect(try await database.points.ledger(of: user).map(\.kind).prefix(3) == [.hold, .release, .hold])
    }

    @Test func notEnoughPointsLeavesTheDraftAsItWas() async throws {
        let train = workflow()
        let dataset = try await draft(train, images: 10)
        let stored = try await media.list(owner: user).count
        #expect(await code { _ = try await train.submit(dataset.id, owner: user) } == "not_enough_points")
        #expect(try await train.dataset(dataset.id, owner: user).state == .draft)
        #expect(try await media.list(owner: user).count == stored)
    }
}
