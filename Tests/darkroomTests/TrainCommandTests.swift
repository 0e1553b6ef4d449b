import Foundation
import Testing
import TestSupport
import Vips

/// `darkroom train …` as a user runs it, on a data folder of its own.
@Suite struct TrainCommandTests {
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
}
