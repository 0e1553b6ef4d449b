import ComfyUIModel
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

/// Collections from chat: one started, a generated image and a sent photo kept in it, its contact
/// sheet shown, and a series cooked with its status and buttons. Through the Bot API stand-in,
/// the ComfyUI test server and a real SQLite file.
@Suite(.onTestThreads, .serialized, .timeLimit(.minutes(4))) struct TelegramCollectionsTests {
    let alice = TelegramFixture.alice
    static let pace = Duration.milliseconds(100)

    private func answer(_ fixture: TelegramFixture) async -> String? {
        await fixture.api.calls("answerCallbackQuery").last?.parameters["text"]
    }

    @Test func imagesAreKeptInACollectionAndItsSheetShown() async throws {
        let fixture = try await TelegramFixture.start(perChat: Self.pace)
        defer { fixture.stop() }
        let user = TelegramFront.user(alice)
        await fixture.front.handle(await fixture.api.send("/collections", from: alice))
        #expect(await fixture.lastText(to: alice)?.hasPrefix("No collections yet.") == true)

        // Keep with no collection says how to start one.
        await fixture.front.handle(await fixture.api.send("a lighthouse at dusk", from: alice))
        _ = try await fixture.waitForFinalStatus(number: 1)
        let keep = try await fixture.button(matching: "keep:tg-[0-9]+-[0-9]+", to: alice)
        await fixture.front.handle(try #require(await fixture.api.press(keep, from: alice)))
        #expect(await answer(fixture) == "No collection yet.")

        await fixture.front.handle(await fixture.api.send("/collection Beach days", from: alice))
        #expect(await fixture.lastText(to: alice)?.hasPrefix("Started the collection Beach days.") == true)
        await fixture.front.handle(try #require(await fixture.api.press(keep, from: alice)))
        #expect(await fixture.lastText(to: alice) == "Keep it in which collection?")
        let into = try await fixture.button(matching: "into:[0-9a-f]{8}:tg-[0-9]+-[0-9]+", to: alice)
        #expect(into.utf8.count <= 64)
        await fixture.front.handle(try #require(await fixture.api.press(into, from: alice)))
        #expect(await answer(fixture) == "Kept in Beach days (1 now).")

        // A photo sent to the bot is kept the same way.
        let bytes = try TestImages.photo(width: 160, height: 120, seed: 3).data(format: .jpeg)
        await fixture.front.handle(await fixture.api.sendPhoto(bytes, width: 160, height: 120, from: alice))
        let keepPhoto = try await fixture.button(matching: "keep:m_[0-9a-f]{24}", to: alice)
        await fixture.front.handle(try #require(await fixture.api.press(keepPhoto, from: alice)))
        await fixture.front.handle(try #require(await fixture.api.press(try await fixture.button(matching: "into:[0-9a-f]{8}:m_[0-9a-f]{24}", to: alice),
                                                                        from: alice)))
        #expect(await answer(fixture) == "Kept in Beach days (2 now).")
        let collection = try #require(try await fixture.collections.collections(of: user).first)
        let generated = try #require(try await fixture.makeImage.job(String(keep.dropFirst("keep:".count)), user: user).media.first)
        #expect(try await fixture.collections.detail(collection.id, owner: user).items.map(\.media) == [generated, String(keepPhoto.dropFirst("keep:".count))])

        // Shown by name, in any case: its contact sheet with what it holds.
        await fixture.front.handle(await fixture.api.send("/collection beach DAYS", from: alice))
        let sheet = try #require(await fixture.api.calls("sendPhoto").last)
        #expect(sheet.parameters["caption"] == "Beach days: 2 items" && (sheet.files["photo"] ?? 0) > 100)
        await fixture.front.handle(await fixture.api.send("/collections", from: alice))
        #expect(await fixture.lastText(to: alice) == "Your collections:\n• Beach days: 2 items")
        // Another user's press of the same button finds nothing of theirs.
        await fixture.front.handle(await fixture.api.press(into, on: 1, from: TelegramFixture.bob))
        #expect(await answer(fixture) == "That collection is gone.")
    }

    @Test func aSeriesIsCookedFromChatWithItsStatusAndStoppedWithItsButton() async throws {
        let fixture = try await TelegramFixture.start(perChat: Self.pace)
        defer { fixture.stop() }
        let user = TelegramFront.user(alice)
        let series = GenerativeSeries(supply: 2, settings: ["checkpoint": .string("tiny-random-sd15.safetensors"), "width": .int(64),
                                                            "height": .int(64), "steps": .int(4)],
                                      inputs: ["lora": .string("tiny-random-lora.safetensors")],
                                      prompt: "a [[colour]] cat", traits: [
                                          TraitType(name: "colour", values: [.init(name: "red", prompt: "red", weight: 1),
                                                                             .init(name: "blue", prompt: "blue", weight: 1)]),
                                      ], seed: 5)
        let collection = try await fixture.collections.create(owner: user, name: "Cats", series: series)
        await fixture.front.handle(await fixture.api.send("/cook cats", from: alice))
        try await fixture.waitUntil("the cook's end") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"] == "Cats is cooked. /collection Cats shows it." }
        }
        let detail = try await fixture.collections.detail(collection.id, owner: user)
        #expect(detail.pieces.made == 2 && detail.items.count == 2 && detail.collection.cook.state == .finished)
        // The status showed the pieces on the way, with pause and stop buttons.
        let edits = await fixture.api.calls("editMessageText").compactMap { $0.parameters["text"] }
        #expect(edits.contains { $0.hasPrefix("Cooking Cats: piece") }, "\(edits)")
        #expect(await fixture.api.calls("sendMessage").last { $0.parameters["text"] == "Cooking Cats…" }?.parameters["reply_markup"]?
            .contains("stop:\(collection.id.dropFirst(4).prefix(8))") == true)

        // A cook stopped with its button: the piece under way is cancelled, its points given back.
        var longer = series
        longer.supply = 3
        let dogs = try await fixture.collections.create(owner: user, name: "Dogs", series: longer)
        await fixture.comfyui.setBehaviour(.hold)
        await fixture.front.handle(await fixture.api.send("/cook Dogs", from: alice))
        try await fixture.waitUntil("a piece running") { await !fixture.comfyui.activePrompts().isEmpty }
        let stop = "stop:\(dogs.id.dropFirst(4).prefix(8))"
        await fixture.front.handle(try #require(await fixture.api.press(stop, from: alice)))
        #expect(await answer(fixture) == "Stopped; the piece under way is cancelled and its points are back.")
        try await fixture.waitUntil("the stopped status") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"]?.hasPrefix("Dogs stopped") == true }
        }
        await fixture.comfyui.setBehaviour(.normal)
        let stopped = try await fixture.collections.detail(dogs.id, owner: user)
        #expect(stopped.collection.cook.state == .stopped && stopped.pieces.made == 0 && stopped.items.isEmpty)
        #expect(try await fixture.database.points.balance(of: user).held == 0)
        // A collection without a series is not cooked.
        _ = try await fixture.collections.create(owner: user, name: "Keepsakes")
        await fixture.front.handle(await fixture.api.send("/cook Keepsakes", from: alice))
        #expect(await fixture.lastText(to: alice) == "Keepsakes has no series to cook; it holds what you keep in it")
    }
}
