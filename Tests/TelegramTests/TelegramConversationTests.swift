import ComfyUITestSupport
import Foundation
import Studio
import StudioSQLite
import StudioTestSupport
import Telegram
import TelegramTestSupport
import Testing
import TestSupport
import Vips
import Workflows

/// Conversations with the bot through the Bot API stand-in and the ComfyUI test server, as its
/// users have them.
@Suite(.onTestThreads, .serialized, .timeLimit(.minutes(4))) struct TelegramConversationTests {
    let alice = TelegramFixture.alice, bob = TelegramFixture.bob

    @Test func fromStartToADeliveredImage() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        let polling = Task { try await fixture.poller().run() }
        defer { polling.cancel() }
        await fixture.api.send("/start", from: alice)
        try await fixture.waitUntil("the welcome") { await fixture.texts(to: alice).contains { $0.hasPrefix("Welcome to Darkroom") } }
        #expect(await fixture.texts(to: alice).first?.contains("You have 370 points") == true)
        await fixture.api.send("a lighthouse at dusk", from: alice)
        try await fixture.waitUntil("the photo") { await !fixture.api.calls("sendPhoto").isEmpty }
        let photo = try #require(await fixture.api.calls("sendPhoto").first)
        #expect(photo.parameters["chat_id"] == String(alice.id) && (photo.files["photo"] ?? 0) > 100)
        // The seed, the size and the settings it was made with.
        let caption = photo.parameters["caption"] ?? ""
        #expect(caption.hasPrefix("seed ") && caption.contains(" · 64×64 · steps 4 · cfg ") && caption.contains(" · tiny-random-sd15 · job tg-"), "\(caption)")
        // One status message, edited as the job went, ending with the charge and an "again" button.
        #expect(await fixture.api.calls("sendMessage").contains { $0.parameters["text"] == "Working on it…" })
        try await fixture.waitUntil("the final status") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"]?.hasPrefix("Done in") == true }
        }
        let edits = await fixture.api.calls("editMessageText").compactMap { $0.parameters["text"] }
        // Edits are latest-wins at one a second: what the status said on the way depends on the pace.
        let onTheWay = ["points held", "In the queue", "Next in line", "Making it", "Finishing"]
        #expect(edits.dropLast().allSatisfy { edit in onTheWay.contains { edit.contains($0) } } && edits.last?.hasPrefix("Done in") == true,
                "\(edits)")
        #expect(await fixture.api.calls("editMessageText").last?.parameters["reply_markup"]?.contains("again:tg-7000000001-") == true)
        // Calls to the chat a second apart. They are timed as they arrive, and on a loaded machine
        // one may arrive late and the next on time: the pace is checked over the whole run.
        let times = await fixture.api.calls().filter { $0.parameters["chat_id"] == String(alice.id) }.map(\.at)
        if let first = times.first, let last = times.last, times.count > 2 {
            #expect(last - first >= .milliseconds(900) * (times.count - 1), "\(times.count) calls in \(last - first)")
        }
        // The history has it; the balance shows the charge.
        await fixture.api.send("/history", from: alice)
        try await fixture.waitUntil("the history") { await fixture.texts(to: alice).contains { $0.hasPrefix("Lately:") } }
        #expect(await fixture.texts(to: alice).last?.contains("a lighthouse at dusk") == true)
        let balance = try await fixture.database.points.balance(of: TelegramFront.user(alice))
        #expect(balance.held == 0 && balance.used > 0)
    }

    @Test func aGenerationIsCancelledWithItsButtonAndItsPointsReleased() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        await fixture.comfyui.setBehaviour(.hold)
        let update = await fixture.api.send("a lighthouse at dusk", from: alice)
        await fixture.front.handle(update)
        let job = "tg-7000000001-\(update.updateID)"
        #expect(try await fixture.makeImage.job(job).state.isOpen)
        try await fixture.waitUntil("the run") { await !fixture.comfyui.activePrompts().isEmpty }
        await fixture.front.handle(await fixture.api.press("cancel:\(job)", on: 1, from: alice))
        let answer = try #require(await fixture.api.calls("answerCallbackQuery").first)
        #expect(answer.parameters["text"] == "Cancelled; your points are back.")
        try await fixture.waitUntil("the status to say so") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"] == "Cancelled. Nothing was charged." }
        }
        #expect(try await fixture.makeImage.job(job).state == .cancelled)
        #expect(try await fixture.database.points.balance(of: TelegramFront.user(alice)).held == 0)
        // Bob cannot cancel Alice's job: the button tells him so, and nothing changes.
        await fixture.front.handle(await fixture.api.press("cancel:\(job)", on: 1, from: bob))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"]?.isEmpty == false)
    }

    @Test func aRateLimitIsWaitedOutForAsLongAsItSays() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        await fixture.api.rateLimit("sendMessage", retryAfter: 2)
        await fixture.front.handle(await fixture.api.send("/balance", from: alice))
        let calls = await fixture.api.calls("sendMessage")
        #expect(calls.count == 2, "refused once, then sent")
        #expect(calls[1].at - calls[0].at >= .seconds(2))
        #expect(calls[1].parameters["text"]?.hasPrefix("370 points available") == true)
    }

    @Test func thePollerRidesOutDroppedConnectionsAndServerErrors() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        // The network drops twice, then the Bot API answers 502 once: the poller asks again
        // (1 s, 2 s, 4 s apart), and the update waiting meanwhile is answered, once.
        await fixture.api.drop("getUpdates", times: 2)
        await fixture.api.refuse("getUpdates", status: 502, description: "Bad Gateway")
        await fixture.api.send("/balance", from: alice)
        let polling = Task { try await fixture.poller().run() }
        defer { polling.cancel() }
        try await fixture.waitUntil("the answer") { await fixture.texts(to: alice).count == 1 }
        #expect(await fixture.api.calls("getUpdates").count >= 4, "two drops and a 502 before the answer")
        try await Task.sleep(for: .seconds(2))
        #expect(await fixture.texts(to: alice).count == 1, "answered once")
        #expect(try await fixture.offset.load() == 101)
    }

    @Test func aRestartNeitherLosesNorRepeatsAnUpdate() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        await fixture.api.send("/balance", from: alice)
        await fixture.api.send("/help", from: alice)
        let first = Task { try await fixture.poller().run() }
        try await fixture.waitUntil("both answers") { await fixture.texts(to: alice).count == 2 }
        first.cancel()
        _ = try? await first.value
        // Stopped; an update arrives meanwhile; a new poller over the same offset gets it, and only it.
        await fixture.api.send("/history", from: alice)
        let second = Task { try await fixture.poller().run() }
        defer { second.cancel() }
        try await fixture.waitUntil("the third answer") { await fixture.texts(to: alice).count == 3 }
        try await Task.sleep(for: .seconds(2))
        let answers = await fixture.texts(to: alice)
        #expect(answers.count == 3, "nothing answered twice: \(answers)")
        // A prompt handled twice (stopped between handling it and storing the offset) makes one job, one hold.
        let prompt = await fixture.api.send("a lighthouse at dusk", from: bob)
        await fixture.front.handle(prompt)
        await fixture.front.handle(prompt)
        try await fixture.waitUntil("the photo") { await !fixture.api.calls("sendPhoto").isEmpty }
        let ledger = try await fixture.database.points.ledger(of: TelegramFront.user(bob)).map(\.kind)
        #expect(ledger.filter { $0 == .hold }.count == 1 && ledger.contains(.settle) && !ledger.contains(.release))
        #expect(await fixture.api.calls("sendPhoto").count == 1)
    }

    @Test func twoUsersGenerateAtOnce() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        let polling = Task { try await fixture.poller().run() }
        defer { polling.cancel() }
        await fixture.api.send("a lighthouse at dusk", from: alice)
        await fixture.api.send("a cat in a hat", from: bob)
        try await fixture.waitUntil("both photos") { await fixture.api.calls("sendPhoto").count == 2 }
        let chats = Set(await fixture.api.calls("sendPhoto").compactMap { $0.parameters["chat_id"] })
        #expect(chats == [String(alice.id), String(bob.id)])
        for user in [alice, bob] {
            #expect(try await fixture.database.sessions.history(of: TelegramFront.user(user)).count == 1)
        }
    }

    @Test func anErrorBecomesAShortHumanMessage() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        // Everything but 5 points held elsewhere: the prompt is refused for points, in words.
        let user = TelegramFront.user(alice)
        let available = try await fixture.database.points.balance(of: user).available
        try await fixture.database.points.hold(user: user, job: "elsewhere", estimate: available - 5)
        await fixture.front.handle(await fixture.api.send("a lighthouse at dusk", from: alice))
        try await fixture.waitUntil("the refusal") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"]?.hasPrefix("Not enough points: this needs") == true }
        }
        await fixture.front.handle(await fixture.api.send("/frobnicate", from: alice))
        #expect(await fixture.texts(to: alice).last?.hasPrefix("I do not know /frobnicate.") == true)
    }
}

/// The settings keyboard and the photo keyboard.
@Suite(.onTestThreads, .serialized, .timeLimit(.minutes(4))) struct TelegramKeyboardTests {
    let alice = TelegramFixture.alice

    @Test func settingsAreShownWithTheirLimitsAndChangedThroughTheKeyboard() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        await fixture.front.handle(await fixture.api.send("/settings", from: alice))
        let shown = try #require(await fixture.api.calls("sendMessage").last)
        #expect(shown.parameters["text"]?.contains("Steps 4 (up to") == true, "\(shown.parameters)")
        let keyboard = try #require(shown.parameters["reply_markup"])
        #expect(keyboard.contains("set:steps=20") && keyboard.contains("set:reset"))
        #expect(keyboard.utf8.count < 4_000)
        let messageID = await fixture.api.calls("sendMessage").count
        await fixture.front.handle(await fixture.api.press("set:steps=20", on: messageID, from: alice))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"] == "Saved.")
        let view = try await fixture.front.dependencies.settings.get(TelegramFront.user(alice))
        #expect(view.settings.steps == 20)
        try await fixture.waitUntil("the edited settings") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"]?.contains("Steps 20") == true }
        }
        // A value past the user's limits is refused whole, in the button's answer, and nothing changes.
        await fixture.front.handle(await fixture.api.press("set:size=4096", on: messageID, from: alice))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"]?.hasPrefix("Not allowed") == true)
        let after = try await fixture.front.dependencies.settings.get(TelegramFront.user(alice))
        #expect(after.settings.width == 64 && after.settings.steps == 20)
    }

    @Test func againMakesANewImageAndAnAgainOfAnAgainStillFitsItsButton() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        await fixture.front.handle(await fixture.api.send("a lighthouse at dusk", from: alice))
        for round in 1...3 {
            // The final status of the last run carries its "again" button (the stand-in refuses
            // callback data over 64 bytes, as Telegram does: the status would never say "Done").
            try await fixture.waitUntil("photo \(round)") { await fixture.api.calls("sendPhoto").count == round }
            let final = try await fixture.waitForFinalStatus(number: round)
            guard round < 3 else { break }
            let markup = try #require(final.parameters["reply_markup"])
            let data = try #require(markup.firstMatch(of: /again:[^"]+/).map { String($0.output) })
            #expect(data.utf8.count <= 64, "\(data)")
            let message = try #require(final.parameters["message_id"].flatMap { Int($0) })
            await fixture.front.handle(await fixture.api.press(data, on: message, from: alice))
        }
        let jobs = try await fixture.makeImage.jobs(of: TelegramFront.user(alice))
        #expect(jobs.count == 3 && jobs.allSatisfy { $0.state == .completed && $0.prompt == "a lighthouse at dusk" })
    }

    @Test func aPhotoIsStoredOfferedOperationsAndProcessed() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        let bytes = try TestImages.photo(width: 200, height: 100).data(format: .png)
        await fixture.front.handle(await fixture.api.sendPhoto(bytes, width: 200, height: 100, from: alice))
        let offer = try #require(await fixture.api.calls("sendMessage").last)
        #expect(offer.parameters["text"] == "Got it (200×100). What should I do with it?")
        let markup = try #require(offer.parameters["reply_markup"])
        let media = try #require(try await fixture.database.database.media.records(of: TelegramFront.user(alice), limit: 5, offset: 0).first)
        #expect(markup.contains("proc:\(media.id):jpeg") && markup.contains("proc:\(media.id):rmbg"))
        await fixture.front.handle(await fixture.api.press("proc:\(media.id):jpeg", on: 1, from: alice))
        #expect(await fixture.api.calls("answerCallbackQuery").last?.parameters["text"] == "Working on it…")
        try await fixture.waitUntil("the converted photo") { await !fixture.api.calls("sendPhoto").isEmpty }
        #expect(await fixture.api.calls("sendPhoto").last?.parameters["caption"] == "200×100 jpeg")
        // Work on ComfyUI gets a status message that follows it to the end, then the result.
        await fixture.front.handle(await fixture.api.press("proc:\(media.id):up2", on: 1, from: alice))
        try await fixture.waitUntil("the upscaled image") { await !fixture.api.calls("sendDocument").isEmpty }
        #expect(await fixture.api.calls("sendDocument").last?.parameters["caption"] == "400×200 png")
        #expect(await fixture.texts(to: alice).contains("Upscaling 2×: starting…"))
        try await fixture.waitUntil("the upscale's final status") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"]?.hasPrefix("Upscaling 2×: done 400×200 in ") == true }
        }
        // Something that is not an image is refused in words.
        await fixture.front.handle(await fixture.api.sendPhoto(Data("not an image".utf8), width: 10, height: 10, from: alice))
        #expect(await fixture.texts(to: alice).last == "That is not an image I can read.")
    }
}
