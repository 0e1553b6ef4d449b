import ComfyUITestSupport
import Foundation
import NIOHTTP1
import Testing
import TestSupport
import Vips
import ZIPFoundation

/// Collections over HTTP: a series created, cooked in the background and followed through its
/// events, reviewed, counted and exported as a zip; members; refusals that say where.
@Suite(.onTestThreads) struct CollectionAPITests {
    let user = "telegram:5472638766"
    var base: String { "/v1/users/\(user)/collections" }

    static let series = #"""
        {"supply": 2, "seed": 9, "prompt": "a cat[ wearing a [[hat]]]",
         "settings": {"checkpoint": "tiny-random-sd15.safetensors", "width": 64, "height": 64, "steps": 4},
         "inputs": {"lora": "tiny-random-lora.safetensors"},
         "traits": [{"name": "hat", "values": [{"name": "top hat", "prompt": "top hat"}, {"name": "none", "prompt": ""}]}]}
        """#

    @Test func aSeriesIsCookedInTheBackgroundFollowedReviewedAndExported() async throws {
        let comfyui = try await ComfyUITestServer.start()
        defer { Task { await comfyui.stop() } }
        let api = try await APIFixture.start(comfyui: [comfyui.url])
        defer { api.stop() }
        let key = try await api.clientKey()
        let created = try await api.request(.POST, base, key: key, body: #"{"name": "Cats", "description": "in hats", "series": \#(Self.series)}"#)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json?["id"] as? String)
        let started = try await api.request(.POST, "\(base)/\(id)/cook", key: key)
        #expect(started.status == 202 && started.json?["events"] as? String == "\(base)/\(id)/events", "\(started.text)")
        let stream = try await api.request(.GET, "\(base)/\(id)/events", key: key)
        let names = stream.text.components(separatedBy: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
        #expect(names.first == "piece" && names.filter { $0 == "made" }.count == 2 && names.suffix(2) == ["ended", "completed"], "\(names)")
        let again = try await api.request(.POST, "\(base)/\(id)/cook", key: key)
        #expect(again.status == 202, "a finished cook starts and ends at once: \(again.text)")

        let detail = try await api.request(.GET, "\(base)/\(id)", key: key)
        #expect((detail.json?["items"] as? [Any])?.count == 2, "\(detail.text)")
        let reviewed = try await api.request(.POST, "\(base)/\(id)/review", key: key, body: #"{"pieces": [1, 2], "approve": true}"#)
        #expect(reviewed.status == 200 && (reviewed.json?["pieces"] as? [[String: Any]])?.allSatisfy { $0["review"] as? String == "approved" } == true)
        let rarity = try await api.request(.GET, "\(base)/\(id)/rarity", key: key)
        #expect(rarity.json?["pieces"] as? Int == 2)
        let sheet = try await api.request(.GET, "\(base)/\(id)/sheet", key: key)
        let sheetImage = try Image(data: sheet.body)
        #expect(sheet.headers.first(name: "Content-Type") == "image/jpeg" && sheetImage.width == 64 * 2 + 8)

        let export = try await api.request(.GET, "\(base)/\(id)/export", key: key)
        #expect(export.status == 200 && export.headers.first(name: "Content-Type") == "application/zip", "\(export.text)")
        let archive = try Archive(data: export.body, accessMode: .read)
        #expect(Set(archive.map(\.path)).isSuperset(of: ["images/1.png", "images/2.png", "erc721/2.json", "metaplex/1.json", "rarity.png"]))
        let redo = try await api.request(.POST, "\(base)/\(id)/redo", key: key, body: #"{"pieces": [1]}"#)
        #expect(redo.status == 200 && (redo.json?["pieces"] as? [[String: Any]])?.first?["state"] as? String == "planned", "\(redo.text)")
        // Another platform's key does not see the collection exists.
        let web = try await api.clientKey("web")
        #expect(try await api.request(.GET, "\(base)/\(id)", key: web).status == 403)
        // A flag that is neither true nor false is refused, not read as false: nothing is deleted.
        let unclear = try await api.request(.DELETE, "\(base)/\(id)?delete_media=yes", key: key)
        #expect(unclear.status == 400 && unclear.code == "invalid_params" && unclear.text.contains("delete_media"), "\(unclear.text)")
        let deleted = try await api.request(.DELETE, "\(base)/\(id)", key: key)
        #expect(deleted.status == 200 && (deleted.json?["kept_media"] as? [String])?.count == 1, "\(deleted.text)")
        #expect(try await api.request(.GET, "\(base)/\(id)", key: key).code == "collection_not_found")
    }

    @Test func membersAndRefusals() async throws {
        let api = try await APIFixture.start()
        defer { api.stop() }
        let key = try await api.clientKey()
        let png = try TestImages.photo(width: 48, height: 32, seed: 4).data(format: .png)
        var media: [String] = []
        for _ in 0..<2 {
            let stored = try await api.request(.POST, "/v1/media?user=\(user)", key: key, bytes: png + Data([UInt8(media.count)]), contentType: "image/png")
            media.append(try #require(stored.json?["id"] as? String, "\(stored.text)"))
        }
        let created = try await api.request(.POST, base, key: key, body: #"{"name": "plain"}"#)
        let id = try #require(created.json?["id"] as? String)
        let added = try await api.request(.POST, "\(base)/\(id)/items", key: key, body: #"{"media": ["\#(media[0])", "\#(media[1])"]}"#)
        #expect((added.json?["items"] as? [[String: Any]])?.map { $0["media"] as? String } == media, "\(added.text)")
        let reordered = try await api.request(.PUT, "\(base)/\(id)/items", key: key, body: #"{"media": ["\#(media[1])", "\#(media[0])"]}"#)
        #expect((reordered.json?["items"] as? [[String: Any]])?.map { $0["media"] as? String } == media.reversed())
        let removed = try await api.request(.DELETE, "\(base)/\(id)/items/\(media[1])", key: key)
        #expect((removed.json?["items"] as? [[String: Any]])?.count == 1)
        let renamed = try await api.request(.PATCH, "\(base)/\(id)", key: key, body: #"{"name": "renamed"}"#)
        #expect(renamed.json?["name"] as? String == "renamed")

        let malformed = try await api.request(.POST, base, key: key,
                                              body: #"{"name": "x", "series": {"supply": 2, "prompt": "a [[crown]]", "traits": [{"name": "hat", "values": [{"name": "a", "prompt": "b"}]}]}}"#)
        #expect(malformed.status == 400 && malformed.code == "invalid_prompt", "\(malformed.text)")
        #expect((malformed.error?["message"] as? String)?.contains("line 1, column 5: unknown trait \"crown\"") == true, "\(malformed.text)")
        let wrongType = try await api.request(.POST, base, key: key, body: #"{"name": "x", "series": {"supply": "many"}}"#)
        #expect(wrongType.status == 400 && wrongType.code == "invalid_json" && (wrongType.error?["message"] as? String)?.contains("series.supply") == true,
                "\(wrongType.text)")
        let noSeries = try await api.request(.POST, "\(base)/\(id)/cook", key: key)
        #expect(noSeries.status == 409 && noSeries.code == "collection_state_conflict", "\(noSeries.text)")
        let plain = try await api.request(.GET, "\(base)/\(id)/export", key: key)
        let files = Set(try Archive(data: plain.body, accessMode: .read).map(\.path))
        #expect(plain.status == 200 && files == ["images/1.png", "erc721/1.json", "metaplex/1.json", "contact-sheet.jpg", "collection.json"])
        let empty = try #require(try await api.request(.POST, base, key: key, body: #"{"name": "empty"}"#).json?["id"] as? String)
        let nothing = try await api.request(.GET, "\(base)/\(empty)/export", key: key)
        #expect(nothing.status == 409 && nothing.code == "collection_state_conflict", "\(nothing.text)")
        #expect(try await api.request(.GET, "\(base)/col-none", key: key).status == 404)
    }
}
