import ComfyUITestSupport
import Foundation
import Testing
import TestSupport
import Vips

/// `darkroom train …` as a user runs it, on a data folder of its own.
@Suite(.onTestThreads) struct TrainCommandTests {
    let folder = TemporaryDirectory("train-cli")

    func train(_ arguments: [String], environment: [String: String] = [:]) async throws -> Command.Output {
        try await DarkroomBinary.run(["train"] + arguments + ["--data", folder.path("data"), "--user", "telegram:5472638766"],
                                     environment: environment)
    }

    @Test func aDatasetIsPutTogetherPricedAndRefusedWithoutThePoints() async throws {
        let created = try await train(["create", "my cat", "--trigger", "mycat", "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require((try JSONSerialization.jsonObject(with: created.stdoutData) as? [String: Any])?["id"] as? String)
        for slot in 1...10 {
            let photo = try folder.write(try TestImages.photo(width: 96, height: 64, seed: UInt64(slot)).data(format: .jpeg), to: "cat\(slot).jpg")
            let set = try await train(["set", id, "\(slot)", "--image", photo] + (slot < 10 ? ["--caption", "a photo of mycat \(slot)"] : []))
            #expect(set.status == 0, "\(set.stderr)")
        }
        let uncaptioned = try await train(["submit", id])
        #expect(uncaptioned.status == 65 && uncaptioned.stderr.contains("slot 10 of dataset \(id) has an image but no caption"), "\(uncaptioned.stderr)")
        #expect(try await train(["set", id, "10", "--caption", "a photo of mycat asleep"]).status == 0)
        let price = try await train(["price"])
        #expect(price.status == 0 && price.stdout.hasPrefix("86400 points"), "\(price.stdout)")
        let poor = try await train(["submit", id])
        #expect(poor.status == 65 && poor.stderr.contains("86400"), "\(poor.stderr)")
        let shown = try await train(["show", id])
        #expect(shown.stdout.hasPrefix("\(id)  draft  \"my cat\" (mycat)  10 images") && shown.stdout.contains("\"a photo of mycat asleep\""),
                "\(shown.stdout)")
        #expect(try await train(["review"]).stdout == "nothing waits for review\n")
        let listed = try await train([])
        #expect(listed.status == 0 && listed.stdout.contains(id))
        #expect(try await train(["set", id, "21", "--caption", "x"]).status == 65)
        #expect(try await train(["set", id, "1"]).status == 64)
        let deleted = try await train(["delete", id])
        #expect(deleted.status == 0 && deleted.stdout == "deleted \(id)\n")
        let gone = try await train(["show", id])
        #expect(gone.status == 65 && gone.stderr.contains("there is no training dataset"))
    }

    @Test func anApprovedDatasetTrainsFromTheCommandLineAndAnotherIsCancelled() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let off = ["DARKROOM_TRAINING_REVIEW": "off", "DARKROOM_TEMPLATES": MakeCommandTests.templates]
        let granted = try await DarkroomBinary.run(["points", "grant", "200000", "--key", "beta", "--data", folder.path("data"),
                                                    "--user", "telegram:5472638766"])
        #expect(granted.status == 0 && granted.stdout.hasPrefix("granted 200000 credits to telegram:5472638766"), "\(granted.stderr)")
        var ids: [String] = []
        for name in ["first", "second"] {
            let created = try await train(["create", name, "--trigger", "mycat", "--json"], environment: off)
            let id = try #require((try JSONSerialization.jsonObject(with: created.stdoutData) as? [String: Any])?["id"] as? String)
            for slot in 1...10 {
                let photo = try folder.write(try TestImages.photo(width: 96, height: 64, seed: UInt64(slot)).data(format: .jpeg), to: "cat\(slot).jpg")
                #expect(try await train(["set", id, "\(slot)", "--image", photo, "--caption", "mycat \(slot)"], environment: off).status == 0)
            }
            let submitted = try await train(["submit", id], environment: off)
            #expect(submitted.status == 0 && submitted.stdout.contains("\(id)  approved"), "\(submitted.stdout)\(submitted.stderr)")
            ids.append(id)
        }
        let started = try await train(["start", ids[0], "--set", "checkpoint=tiny-random-sd15.safetensors", "--set", "steps=3",
                                       "--set", "training_dtype=fp32", "--server", server.url.absoluteString], environment: off)
        #expect(started.status == 0, "\(started.stderr)")
        #expect(started.stdout.contains("\(ids[0])  completed") && started.stdout.contains("  model     "), "\(started.stdout)")
        #expect(started.stdout.contains("(LoraLoader: darkroom-\(ids[0])-"), "\(started.stdout)")
        let unknown = try await train(["start", ids[1], "--set", "bogus=1", "--server", server.url.absoluteString], environment: off)
        #expect(unknown.status == 64 && unknown.stderr.contains("'bogus' is not an input of template 'lora_train'"), "\(unknown.stderr)")
        let cancelled = try await train(["cancel", ids[1]], environment: off)
        #expect(cancelled.status == 0 && cancelled.stdout.contains("\(ids[1])  failed") && cancelled.stdout.contains("[cancelled]"), "\(cancelled.stdout)")
        let points = try await DarkroomBinary.run(["points", "--data", folder.path("data"), "--user", "telegram:5472638766", "--json"])
        let balance = (try JSONSerialization.jsonObject(with: points.stdoutData) as? [String: Any])?["balance"] as? [String: Any]
        #expect(balance?["held"] as? Int == 0, "\(points.stdout)")
        let again = try await train(["start", ids[1], "--server", server.url.absoluteString], environment: off)
        #expect(again.status == 65 && again.stderr.contains("only an approved dataset can start training"), "\(again.stderr)")
    }
}
