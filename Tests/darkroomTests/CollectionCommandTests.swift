import ComfyUITestSupport
import Foundation
import Testing
import TestSupport
import Vips

/// `darkroom collection …` run as a user would: a series from a file, cooked against the ComfyUI
/// test server, reviewed, counted and exported; bad files and prompts refused with where.
@Suite(.onTestThreads) struct CollectionCommandTests {
    let folder = TemporaryDirectory("collection-cli")

    func collection(_ arguments: [String], server: URL? = nil) async throws -> Command.Output {
        try await DarkroomBinary.run(["collection"] + arguments + ["--data", folder.path("data"), "--templates", MakeCommandTests.templates]
            + (server.map { ["--server", $0.absoluteString, "--request-timeout", "60"] } ?? []))
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aSeriesIsCookedReviewedAndExported() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let series = try write("cats.json", """
            {"supply": 2, "seed": 5, "prompt": "a cat[ wearing a [[hat]]]{glasses}[ with [[glasses]]]",
             "settings": {"checkpoint": "tiny-random-sd15.safetensors", "width": 64, "height": 64, "steps": 4},
             "inputs": {"lora": "tiny-random-lora.safetensors"},
             "traits": [{"name": "hat", "values": [{"name": "top hat", "prompt": "top hat"}, {"name": "none", "prompt": "", "weight": 2}]},
                        {"name": "glasses", "values": [{"name": "round", "prompt": "round glasses"}, {"name": "none", "prompt": ""}]}]}
            """)
        let created = try await collection(["create", "Cats", "--series", series, "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require((try JSONSerialization.jsonObject(with: created.stdoutData) as? [String: Any])?["id"] as? String)
        let cooked = try await collection(["cook", id], server: server.url)
        #expect(cooked.status == 0 && cooked.stdout.contains("cook finished"), "\(cooked.stdout)\(cooked.stderr)")
        #expect(cooked.stderr.contains("piece 1 (0 of 2 made)") && cooked.stderr.contains("made piece 2") && cooked.stderr.contains("cook finished"))
        let reviewed = try await collection(["review", id, "1", "2", "--approve"])
        #expect(reviewed.status == 0 && reviewed.stdout.split(separator: "\n").count == 2 && reviewed.stdout.contains("made  approved"), "\(reviewed.stdout)")
        let rarity = try await collection(["rarity", id])
        #expect(rarity.status == 0 && rarity.stdout.contains("hat") && rarity.stdout.hasSuffix("2 approved pieces\n"), "\(rarity.stdout)")
        let zip = folder.path("cats.zip")
        let exported = try await collection(["export", id, "--out", zip])
        #expect(exported.status == 0 && exported.stdout.hasPrefix("wrote \(zip): 2 images"), "\(exported.stdout)\(exported.stderr)")
        let shown = try await collection(["show", id, "--pieces"])
        #expect(shown.stdout.contains("2 made of 2 (2 approved") && shown.stdout.contains("#2  made  approved"), "\(shown.stdout)")
        let sheet = try await collection(["sheet", id, "--out", folder.path("sheet.jpg")])
        #expect(sheet.status == 0)
        #expect(try Image(contentsOfFile: folder.path("sheet.jpg")).header.format == .jpeg)
    }

    @Test func badSeriesFilesAndPromptsAreRefusedWithWhere() async throws {
        let wrongType = try write("bad.json", #"{"supply": 2, "prompt": "x", "traits": [{"name": "hat", "values": [{"name": "a", "prompt": "b", "weight": "heavy"}]}]}"#)
        let refused = try await collection(["create", "Bad", "--series", wrongType])
        #expect(refused.status == 65 && refused.stderr.contains("traits[0].values[0].weight has the wrong type"), "\(refused.stderr)")
        let unclosed = try write("unclosed.json", #"{"supply": 2, "prompt": "a [[hat]", "traits": [{"name": "hat", "values": [{"name": "a", "prompt": "b"}]}]}"#)
        let grammar = try await collection(["create", "Bad", "--series", unclosed])
        #expect(grammar.status == 65 && grammar.stderr.contains("line 1, column 3: the trait slot opened here is never closed with \"]]\"\n  a [[hat]\n    ^"),
                "\(grammar.stderr)")
        // A server that does not answer stops the cook with its own exit code.
        let fine = try write("fine.json", #"{"supply": 1, "prompt": "a [[hat]]", "traits": [{"name": "hat", "values": [{"name": "a", "prompt": "b"}]}]}"#)
        let created = try await collection(["create", "Fine", "--series", fine, "--json"])
        let id = try #require((try JSONSerialization.jsonObject(with: created.stdoutData) as? [String: Any])?["id"] as? String)
        let down = try await collection(["cook", id], server: URL(string: "http://127.0.0.1:9")!)
        #expect(down.status == 69 && down.stderr.contains("cook again when a server answers"), "\(down.stderr)")
    }
}
