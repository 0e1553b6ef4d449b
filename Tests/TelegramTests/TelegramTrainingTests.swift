import ComfyUITestSupport
import Foundation
import Studio
import StudioTestSupport
import Telegram
import TelegramTestSupport
import Testing
import TestSupport
import Vips
import Workflows

/// A model trained from chat: a dataset put together from photos and captions, submitted at its
/// price, reviewed, trained on the ComfyUI test server's training nodes, or cancelled with its
/// points given back. Through the Bot API stand-in, on a real SQLite file.
@Suite(.onTestThreads, .serialized, .timeLimit(.minutes(4))) struct TelegramTrainingTests {
    let alice = TelegramFixture.alice
    /// Twenty photos and their answers are not about the pace: a tenth of a second a message.
    static let pace = Duration.milliseconds(100)

    /// Sends a photo (with `caption`) and presses "Add to …" under the offer; returns the answer.
    private func addPhoto(_ seed: UInt64, caption: String?, fixture: TelegramFixture) async throws -> String? {
        let bytes = try TestImages.photo(width: 120, height: 90, seed: seed).data(format: .jpeg)
        await fixture.front.handle(await fixture.api.sendPhoto(bytes, width: 120, height: 90, from: alice, caption: caption))
        let data = try await fixture.button(matching: "slot:[0-9a-f]{8}:m_[0-9a-f]{24}", to: alice)
        let press = try #require(await fixture.api.press(data, from: alice))
        await fixture.front.handle(press)
        return await fixture.api.calls("answerCallbackQuery").last?.parameters["text"]
    }

    @Test func aDatasetIsPutTogetherSubmittedReviewedAndTrainedInChat() async throws {
        let fixture = try await TelegramFixture.start(perChat: Self.pace)
        defer { fixture.stop() }
        let user = TelegramFront.user(alice)
        await fixture.front.handle(await fixture.api.send("/datasets", from: alice))
        #expect(await fixture.lastText(to: alice)?.hasPrefix("No datasets yet.") == true)
        await fixture.front.handle(await fixture.api.send("/dataset Rex", from: alice))
        #expect(await fixture.lastText(to: alice)?.hasPrefix("Name it and give it a trigger word") == true)
        await fixture.front.handle(await fixture.api.send("/dataset Rex the dog rexdog", from: alice))
        #expect(await fixture.lastText(to: alice)?.hasPrefix("Started Rex the dog (trigger word rexdog).") == true)

        // Nine photos with captions, the tenth without: each goes into the next slot.
        for index in 1...9 {
            #expect(try await addPhoto(UInt64(index), caption: "a photo of rexdog, pose \(index)", fixture: fixture) == "Added as image \(index).")
        }
        #expect(await fixture.lastText(to: alice)?.hasPrefix("Added to Rex the dog as image 9, captioned “a photo of rexdog, pose 9”. 9 of 20 images; 1 more to go.") == true)
        // The same button pressed again adds nothing.
        let again = try await fixture.button(matching: "slot:[0-9a-f]{8}:m_[0-9a-f]{24}", to: alice)
        await fixture.front.handle(try #require(await fixture.api.press(again, from: alice)))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"] == "Already image 9 of Rex the dog.")
        #expect(try await addPhoto(10, caption: nil, fixture: fixture) == "Added as image 10.")
        #expect(await fixture.lastText(to: alice) == "Added to Rex the dog as image 10. 10 of 20 images; without a caption: 10 (/caption 10 …).")
        await fixture.front.handle(await fixture.api.send("/submit", from: alice))
        #expect(await fixture.lastText(to: alice)?.hasPrefix("Rex the dog is not ready yet") == true)
        await fixture.front.handle(await fixture.api.send("/caption 10 a photo of rexdog asleep", from: alice))
        #expect(await fixture.lastText(to: alice) == "Image 10 of Rex the dog is captioned. 10 of 20 images; ready: /submit.")
        let draft = try #require(try await fixture.trainModel.datasets(of: user).first)
        #expect(draft.slots.prefix(10).map(\.caption) == (1...9).map { "a photo of rexdog, pose \($0)" } + ["a photo of rexdog asleep"])

        // The price is shown, and nothing is held before the press.
        _ = try await fixture.database.points.addCredits(100_000, to: user, key: "gift")
        let before = try await fixture.database.points.balance(of: user).available
        let price = try await fixture.trainModel.price(for: user).amount
        await fixture.front.handle(await fixture.api.send("/submit", from: alice))
        #expect(await fixture.lastText(to: alice)?.hasPrefix("Training Rex the dog costs \(price) points") == true)
        #expect(try await fixture.database.points.balance(of: user).held == 0)
        await fixture.front.handle(try #require(await fixture.api.press(try await fixture.button(matching: "submit:[0-9a-f]{8}", to: alice), from: alice)))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"] == "Submitted.")
        #expect(await fixture.lastText(to: alice)?.hasPrefix("Rex the dog is submitted (\(price) points held) and waits for a reviewer") == true)
        #expect(try await fixture.database.points.balance(of: user).held == price)
        await fixture.front.handle(await fixture.api.send("/train", from: alice))
        #expect(await fixture.lastText(to: alice) == "Rex the dog still waits for a reviewer.")

        // Approved elsewhere (an admin, through the API); /datasets offers to train it.
        _ = try await fixture.trainModel.review(draft.id, reviewer: "admin", approve: true)
        await fixture.front.handle(await fixture.api.send("/datasets", from: alice))
        #expect(await fixture.lastText(to: alice)?.contains("• Rex the dog (rexdog): approved: /train starts it.") == true)
        // Its "Train" button under /datasets starts it.
        let trainButton = try await fixture.button(matching: "train:[0-9a-f]{8}", to: alice)
        await fixture.front.handle(try #require(await fixture.api.press(trainButton, from: alice)))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"] == "Training starts.")
        #expect(await fixture.lastText(to: alice) == "Training Rex the dog: sending its 10 images to a server…")
        try await fixture.waitUntil("the trained model") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"]?.contains("is trained") == true }
        }
        let trained = try #require(try await fixture.trainModel.datasets(of: user).first)
        #expect(trained.state == .completed && trained.loraName != nil)
        let final = await fixture.api.calls("editMessageText").last { $0.parameters["text"]?.contains("is trained") == true }
        #expect(final?.parameters["text"] == "Rex the dog is trained as \(trained.loraName ?? ""): \(price) points. Its trigger word is rexdog.")
        let balance = try await fixture.database.points.balance(of: user)
        #expect(balance.held == 0 && balance.available == before - price, "\(balance)")
    }

    @Test func aTrainingStartedFromChatIsCancelledWithItsButtonAndItsPointsGivenBack() async throws {
        let fixture = try await TelegramFixture.start(trainingReview: false, perChat: Self.pace)
        defer { fixture.stop() }
        let user = TelegramFront.user(alice)
        _ = try await fixture.database.points.addCredits(100_000, to: user, key: "gift")
        let before = try await fixture.database.points.balance(of: user).available
        await fixture.front.handle(await fixture.api.send("/dataset Tabby tabbycat", from: alice))
        for index in 1...10 {
            _ = try await addPhoto(UInt64(20 + index), caption: "tabbycat \(index)", fixture: fixture)
        }
        // Held on the server until cancelled, however loaded the machine is.
        await fixture.comfyui.setBehaviour(.hold)
        await fixture.front.handle(await fixture.api.send("/submit", from: alice))
        await fixture.front.handle(try #require(await fixture.api.press(try await fixture.button(matching: "submit:[0-9a-f]{8}", to: alice), from: alice)))
        // With the review off, a submission trains at once.
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"] == "Submitted; training starts.")
        try await fixture.waitUntil("the training run") { await !fixture.comfyui.activePrompts().isEmpty }
        #expect(try await fixture.database.points.balance(of: user).held > 0)
        // Followed in its chat by this process: nothing to pick up.
        #expect(await fixture.front.followUnfinishedWork(checkEvery: .milliseconds(100)).isEmpty)
        let cancel = try await fixture.button(matching: "untrain:[0-9a-f]{8}", to: alice)
        await fixture.front.handle(try #require(await fixture.api.press(cancel, from: alice)))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"] == "Cancelled; your points are back.")
        try await fixture.waitUntil("the status's end") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"] == "Cancelled. Nothing was charged." }
        }
        await fixture.comfyui.setBehaviour(.normal)
        let dataset = try #require(try await fixture.trainModel.datasets(of: user).first)
        #expect(dataset.state == .failed && dataset.failure?.code == "cancelled")
        let balance = try await fixture.database.points.balance(of: user)
        #expect(balance.held == 0 && balance.available == before, "\(balance)")
        // A press of a button of another user's dataset finds nothing.
        await fixture.front.handle(await fixture.api.press(cancel, on: 1, from: TelegramFixture.bob))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"] == "That dataset is gone.")
    }

    @Test func aTrainingWhoseProcessStoppedIsToldInItsChatWhenItEnds() async throws {
        let fixture = try await TelegramFixture.start(trainingReview: false, perChat: Self.pace)
        defer { fixture.stop() }
        let user = TelegramFront.user(alice)
        _ = try await fixture.database.points.addCredits(100_000, to: user, key: "gift")
        var dataset = try await fixture.trainModel.createDataset(owner: user, name: "Tabby", triggerWord: "tabbycat")
        for slot in 1...10 {
            dataset = try await fixture.trainModel.setSlot(slot, of: dataset.id, owner: user,
                                                           image: .upload(try TestImages.photo(width: 80, height: 60, seed: UInt64(slot)).data(format: .jpeg)),
                                                           caption: "tabbycat \(slot)")
        }
        dataset = try await fixture.trainModel.submit(dataset.id, owner: user)
        // A process started the training from the chat and stopped: the run goes on (resumed
        // elsewhere; here, run directly) with nobody telling the chat.
        await fixture.comfyui.setBehaviour(.hold)
        let (train, id) = (fixture.trainModel, dataset.id)
        let training = Task { try await train.train(id, owner: user) }
        try await fixture.waitUntil("the training run") { await !fixture.comfyui.activePrompts().isEmpty }
        let taken = await fixture.front.followUnfinishedWork(checkEvery: .milliseconds(100))
        #expect(taken == ["telegram:7000000001:training:\(dataset.id)"])
        #expect(await fixture.front.followUnfinishedWork(checkEvery: .milliseconds(100)).isEmpty, "followed once")
        try await fixture.waitUntil("the announcement") { await fixture.lastText(to: alice) == "Still training Tabby after a restart…" }
        await fixture.comfyui.setBehaviour(.normal)
        let trained = try await training.value
        try await fixture.waitUntil("the end told") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"]?.hasPrefix("Tabby is trained as \(trained.loraName ?? "?")") == true }
        }
    }
}
