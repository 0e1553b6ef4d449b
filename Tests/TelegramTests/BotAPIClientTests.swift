import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Telegram
import TelegramTestSupport
import TestSupport
import Testing

/// The Bot API client against the stand-in: the Bot API's shapes both ways, its limits checked
/// before anything is sent, and every failure a typed error with what it asks for.
@Suite(.onTestThreads) struct BotAPIClientTests {
    let alice = User(id: 5_472_638_766, firstName: "Alice")

    func code(_ body: () async throws -> Void) async -> BotAPIError.Code? {
        do { try await body(); return nil } catch let error as BotAPIError { return error.code } catch { return nil }
    }

    @Test func aTokenIsCheckedAndAWrongOneIsUnauthorized() async throws {
        let api = try await BotAPIStandIn.start()
        defer { api.stop() }
        #expect(try await api.client().getMe().username == "darkroom_test_bot")
        let wrong = BotAPIClient(token: "7000000001:wrong", baseURL: api.url)
        do { _ = try await wrong.getMe(); Issue.record("a wrong token was accepted") } catch {
            #expect(error.code == .unauthorized && error.status == 401 && !error.description.contains("wrong"), "\(error)")
        }
    }

    @Test func updatesComeAfterTheOffsetAndALongPollWaitsForOne() async throws {
        let api = try await BotAPIStandIn.start()
        defer { api.stop() }
        let client = api.client()
        let first = await api.send("/start", from: alice)
        let second = await api.send("a lighthouse at dusk", from: alice)
        #expect(try await client.getUpdates(offset: nil, timeout: 0).map(\.updateID) == [first.updateID, second.updateID])
        // An offset acknowledges every update before it: they are not delivered again.
        #expect(try await client.getUpdates(offset: second.updateID, timeout: 0).map(\.updateID) == [second.updateID])
        #expect(try await client.getUpdates(offset: second.updateID + 1, timeout: 0).isEmpty)
        // A long poll returns as soon as an update arrives.
        async let waited = client.getUpdates(offset: second.updateID + 1, timeout: 20)
        try await Task.sleep(for: .milliseconds(300))
        let third = await api.send("/balance", from: alice)
        let started = ContinuousClock.now
        let got = try await waited
        #expect(got.map(\.updateID) == [third.updateID] && got.first?.message?.text == "/balance")
        #expect(ContinuousClock.now - started < .seconds(10))
        // While a webhook is set, polling is refused as the real API refuses it.
        try await client.setWebhook(url: "https://bot.example/telegram", secretToken: "s3cret")
        #expect(await code { _ = try await client.getUpdates(offset: nil, timeout: 0) } == .conflict)
        #expect(await api.webhook()?.secret == "s3cret")
        try await client.deleteWebhook()
        #expect(try await client.getUpdates(offset: third.updateID + 1, timeout: 0).isEmpty)
    }

    @Test func limitsAreCheckedBeforeAnythingIsSent() async throws {
        let api = try await BotAPIStandIn.start()
        defer { api.stop() }
        let client = api.client()
        let chat = alice.id
        #expect(await code { _ = try await client.sendMessage(chat: chat, text: String(repeating: "x", count: 4_097)) } == .overLimit)
        #expect(await code { _ = try await client.sendMessage(chat: chat, text: "") } == .overLimit)
        let long = InlineKeyboardMarkup([[InlineKeyboardButton("resize", data: String(repeating: "r", count: 65))]])
        #expect(await code { _ = try await client.sendMessage(chat: chat, text: "what now?", keyboard: long) } == .overLimit)
        let big = Data(count: BotAPILimits.photoBytes + 1)
        #expect(await code { _ = try await client.sendPhoto(chat: chat, photo: big, fileName: "a.jpg") } == .overLimit)
        #expect(await code { _ = try await client.sendPhoto(chat: chat, photo: Data(count: 10), fileName: "a.jpg",
                                                             caption: String(repeating: "c", count: 1_025)) } == .overLimit)
        #expect(await code { _ = try await client.sendMediaGroup(chat: chat, photos: [(Data(count: 10), "a.jpg", nil)]) } == .overLimit)
        #expect(await code {
            _ = try await client.sendMediaGroup(chat: chat, photos: Array(repeating: (Data(count: 10), "a.jpg", nil), count: 11))
        } == .overLimit)
        #expect(await api.calls().isEmpty, "nothing over a limit reached the API")
        // The stand-in refuses it too when something sends it anyway.
        var raw = HTTPClientRequest(url: api.url.absoluteString + "/bot\(api.token)/sendMessage")
        raw.method = .POST
        raw.headers.add(name: "Content-Type", value: "application/json")
        raw.body = .bytes(ByteBuffer(string: #"{"chat_id": 1, "text": "x", "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "\#(String(repeating: "d", count: 65))"}]]}}"#))
        let refused = try await HTTPClient.shared.execute(raw, timeout: .seconds(30))
        let body = try JSONDecoder().decode(BotAPIResponse<Bool>.self, from: Data(try await refused.body.collect(upTo: 1 << 16).readableBytesView))
        #expect(refused.status.code == 400 && body.ok == false && body.errorCode == 400 && body.description == "Bad Request: BUTTON_DATA_INVALID")
    }

    @Test func messagesPhotosAlbumsAndEditsGoThroughInTheirShapes() async throws {
        let api = try await BotAPIStandIn.start()
        defer { api.stop() }
        let client = api.client()
        let keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("cancel", data: "cancel:job-1"), InlineKeyboardButton("again", data: "reroll:job-1")]])
        let status = try await client.sendMessage(chat: alice.id, text: "queued: position 2", keyboard: keyboard)
        _ = try await client.editMessageText(chat: alice.id, message: status.messageID, text: "running: step 3 of 20", keyboard: keyboard)
        #expect(await api.text(of: status.messageID, in: alice.id) == "running: step 3 of 20")
        // An edit that changes nothing is refused, as the real API refuses it.
        do { _ = try await client.editMessageText(chat: alice.id, message: status.messageID, text: "running: step 3 of 20", keyboard: keyboard) } catch {
            #expect(error.code == .refused && error.message.contains("not modified"))
        }
        let photo = try await client.sendPhoto(chat: alice.id, photo: Data(repeating: 1, count: 2_000), fileName: "image.jpg",
                                               caption: "seed 42, 20 steps")
        #expect(photo.photo?.isEmpty == false && photo.caption == "seed 42, 20 steps")
        let document = try await client.sendDocument(chat: alice.id, document: Data(repeating: 2, count: 3_000), fileName: "image.png")
        #expect(document.document?.fileSize == 3_000)
        let album = try await client.sendMediaGroup(chat: alice.id, photos: (1...3).map { (Data(repeating: UInt8($0), count: 500), "\($0).jpg", "image \($0)") })
        #expect(album.count == 3)
        let uploads = await api.calls("sendMediaGroup")
        #expect(uploads.first?.files.count == 3 && uploads.first?.parameters["media"]?.contains("attach://photo2") == true)
        try await client.answerCallbackQuery("cq-1", text: "cancelling")
        #expect(await api.calls("answerCallbackQuery").first?.parameters["text"] == "cancelling")
    }

    @Test func aUsersPhotoIsDownloadedWithinTheLimit() async throws {
        let api = try await BotAPIStandIn.start()
        defer { api.stop() }
        let client = api.client()
        let bytes = Data((0..<50_000).map { UInt8($0 % 251) })
        let update = await api.sendPhoto(bytes, width: 200, height: 100, from: alice)
        let largest = try #require(update.message?.photo?.last)
        let file = try await client.getFile(largest.fileID)
        #expect(try await client.download(file) == bytes)
        #expect(await code { _ = try await client.download(file, limit: 1_000) } == .overLimit)
        var announced = file
        announced.fileSize = BotAPILimits.downloadBytes + 1
        #expect(await code { _ = try await client.download(announced) } == .overLimit)
        #expect(await code { _ = try await client.getFile("no-such-file") } == .refused)
    }

    @Test func aRateLimitSaysHowLongToWaitAndADroppedConnectionIsUnreachable() async throws {
        let api = try await BotAPIStandIn.start()
        defer { api.stop() }
        let client = api.client()
        await api.rateLimit("sendMessage", retryAfter: 3)
        do { _ = try await client.sendMessage(chat: alice.id, text: "hello"); Issue.record("the 429 was not reported") } catch {
            #expect(error.code == .rateLimited && error.retryAfter == 3 && error.status == 429)
        }
        await api.drop("sendMessage")
        #expect(await code { _ = try await client.sendMessage(chat: alice.id, text: "hello") } == .unreachable)
        #expect(try await client.sendMessage(chat: alice.id, text: "hello").text == "hello")
        await api.refuse("sendMessage", status: 403, description: "Forbidden: bot was blocked by the user")
        #expect(await code { _ = try await client.sendMessage(chat: alice.id, text: "hello") } == .forbidden)
        let stopped = BotAPIClient(token: api.token, baseURL: URL(string: "http://127.0.0.1:9")!, requestTimeout: .seconds(2))
        #expect(await code { _ = try await stopped.getMe() } == .unreachable)
    }
}
