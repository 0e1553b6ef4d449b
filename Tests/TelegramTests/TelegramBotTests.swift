import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Studio
import StudioSQLite
import StudioTestSupport
import Telegram
import TelegramTestSupport
import TestSupport
import Testing
import Vips
import Workflows

/// The bot as part of a process: of several instances over one database one polls at a time, and
/// another takes over at the stored offset when it stops; the webhook takes only posts that carry
/// its secret.
@Suite(.onTestThreads, .serialized, .timeLimit(.minutes(4))) struct TelegramBotTests {
    let alice = TelegramFixture.alice

    @Test func oneInstancePollsAndAnotherTakesOverWhereItStopped() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        let store = fixture.database.database.leases
        let bots = ["a", "b"].map { instance in
            TelegramBot(client: fixture.api.client(), front: fixture.front, offset: fixture.offset,
                        leases: JobLeases(instance: instance, store: store, duration: .seconds(2)), pollSeconds: 1)
        }
        var polling = bots.map { bot in Task { try await bot.poll() } }
        defer { polling.forEach { $0.cancel() } }
        await fixture.api.send("/balance", from: alice)
        try await fixture.waitUntil("the answer") { await fixture.texts(to: alice).count == 1 }
        let holder = try #require(try await store.lease(of: bots[0].pollingKey)?.owner)
        // Past the lease: still one answer, and the holder kept its lease by renewing it.
        try await Task.sleep(for: .seconds(3))
        #expect(await fixture.texts(to: alice).count == 1)
        #expect(try await store.lease(of: bots[0].pollingKey)?.owner == holder, "the holder renews its lease")
        // The holder stops (its lease given back); the other takes over at the stored offset.
        let index = holder == "a" ? 0 : 1
        polling[index].cancel()
        _ = try? await polling[index].value
        await fixture.api.send("/help", from: alice)
        try await fixture.waitUntil("the second answer") { await fixture.texts(to: alice).count == 2 }
        #expect(try await store.lease(of: bots[0].pollingKey)?.owner == (holder == "a" ? "b" : "a"))
        try await Task.sleep(for: .seconds(2))
        #expect(await fixture.texts(to: alice).count == 2, "nothing answered twice")
        #expect(try await fixture.offset.load() == 102, "the offset after the two updates (100, 101) is in the database")
        polling[1 - index].cancel()
        polling = []
    }

    @Test func aRunWhoseProcessStoppedIsBroughtToItsChat() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        await fixture.comfyui.setBehaviour(.hold)
        // A process started this bot's job and stopped before bringing it to the chat: the job
        // runs on (it is resumed elsewhere; here, run directly), with no front of its own.
        let job = "tg-7000000001-555"
        let request = MakeImage.Request(user: TelegramFront.user(alice), prompt: "a lighthouse at dusk",
                                        inputs: ["lora": .string("tiny-random-lora.safetensors")], format: .jpeg, job: job)
        let running = Task { try await fixture.makeImage.run(request) }
        try await fixture.waitUntil("the job on the server") {
            [.submitted, .running].contains((try? await fixture.makeImage.job(job))?.state)
        }
        let taken = await fixture.front.followUnfinishedRuns(checkEvery: .milliseconds(100))
        #expect(taken == [job])
        #expect(await fixture.front.followUnfinishedRuns(checkEvery: .milliseconds(100)).isEmpty, "picked up once")
        try await fixture.waitUntil("the status") { await fixture.texts(to: alice).contains { $0.hasPrefix("Still on it after a restart") } }
        await fixture.comfyui.setBehaviour(.normal)
        _ = try await running.value
        try await fixture.waitUntil("the photo") { await fixture.api.calls("sendPhoto").count == 1 }
        #expect(await fixture.api.calls("sendPhoto").first?.parameters["caption"]?.contains("job \(job)") == true)
        try await fixture.waitUntil("the final status") {
            await fixture.api.calls("editMessageText").contains { $0.parameters["text"]?.hasPrefix("Done in") == true }
        }
        // Its own runs a front leaves alone.
        #expect(await fixture.front.followUnfinishedRuns().isEmpty)
    }

    @Test func theWebhookTakesOnlyPostsWithItsSecret() async throws {
        let fixture = try await TelegramFixture.start()
        defer { fixture.stop() }
        let secret = TelegramWebhook.secret(forToken: "7000000001:test-token")
        #expect(TelegramWebhook.isValidSecret(secret) && secret.count == 64)
        #expect(secret == TelegramWebhook.secret(forToken: "7000000001:test-token") && secret != TelegramWebhook.secret(forToken: "7000000001:other"))
        #expect(!TelegramWebhook.isValidSecret("has space") && !TelegramWebhook.isValidSecret("") && TelegramWebhook.isValidSecret("a_B-9"))
        let webhook = TelegramWebhook(front: fixture.front, secret: secret)
        let update = await fixture.api.send("/balance", from: alice)
        let body = try JSONEncoder().encode(update)
        #expect(await webhook.receive(secretToken: nil, body: body) == .refused)
        #expect(await webhook.receive(secretToken: String(secret.dropLast()) + "0", body: body) == .refused)
        #expect(await fixture.texts(to: alice).isEmpty, "a refused post is not handled")
        guard case .malformed = await webhook.receive(secretToken: secret, body: Data("{\"update\": 1".utf8)) else {
            Issue.record("a body that is not an update is not said to be malformed")
            return
        }
        #expect(await webhook.receive(secretToken: secret, body: body) == .handled)
        let texts = await fixture.texts(to: alice)
        #expect(texts.count == 1 && texts.first?.contains("points available") == true, "\(texts)")
        #expect(TelegramBot.id(ofToken: "7000000001:test-token") == 7_000_000_001)
        #expect(TelegramBot.id(ofToken: "bot7000000001") == nil && TelegramBot.id(ofToken: "12:has space") == nil)
    }
}
