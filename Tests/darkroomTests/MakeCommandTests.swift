import ComfyUITestSupport
import Foundation
import Testing
import TestSupport
import Vips

/// `darkroom make …` run as a user would, against the ComfyUI test server, on a data folder of its own.
@Suite(.onTestThreads) struct MakeCommandTests {
    let folder = TemporaryDirectory("make-cli")
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates").path

    /// `darkroom make …` against `server`, whose answers may be slow while the whole test run
    /// shares two cores (the test server lives in the test process): 60 s per request.
    func make(_ arguments: [String], server: URL) async throws -> Command.Output {
        try await DarkroomBinary.run(["make"] + arguments + ["--data", folder.path("data"), "--templates", Self.templates,
                                                            "--server", server.absoluteString, "--request-timeout", "60"])
    }

    @Test func aPromptBecomesSavedImagesWithSeedAndPoints() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let models = ["--set", "checkpoint=tiny-random-sd15.safetensors", "--set", "lora=tiny-random-lora.safetensors"]
        let made = try await make(["a lighthouse at dusk", "--set", "width=128", "--set", "height=96", "--set", "steps=4",
                                   "--set", "seed=77", "--format", "webp", "--out", folder.path("renders"), "--json"] + models, server: server.url)
        #expect(made.status == 0, "\(made.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: made.stdoutData) as? [String: Any])
        #expect(report["seed"] as? Int == 77 && (report["cost"] as? Int ?? -1) >= 0)
        let images = try #require(report["images"] as? [[String: Any]])
        let path = try #require(images.first?["path"] as? String)
        let header = try Image(contentsOfFile: path).header
        #expect(images.count == 1 && header.format == .webp && header.width == 128 && header.height == 96)
        #expect(made.stderr.contains("points held") && made.stderr.contains("queued"))

        let refused = try await make(["x", "--set", "width=13"] + models, server: server.url)
        #expect(refused.status == 65 && refused.stderr.contains("width: expected a multiple of 8"))
        let unknown = try await make(["x", "--set", "bogus=1"], server: server.url)
        #expect(unknown.status == 64 && unknown.stderr.contains("'bogus' is neither a setting nor an input"))
        let unrunnable = try await make(["x"], server: server.url)
        #expect(unrunnable.status == 65 && unrunnable.stderr.contains("sd15.safetensors"))
        let resumed = try await make(["--resume"], server: server.url)
        #expect(resumed.status == 0 && resumed.stdout.contains("no open jobs"))

        let job = try #require(report["job"] as? String)
        let listed = try await jobs(["list"])
        #expect(listed.status == 0 && listed.stdout.hasPrefix("\(job)  completed  text2img  1 image  "), "\(listed.stdout)\(listed.stderr)")
        let shown = try await jobs(["show", job])
        #expect(shown.status == 0 && shown.stdout.contains("seed=77") && shown.stdout.contains("server    \(server.url.absoluteString)"))
        let cancelled = try await jobs(["cancel", job])
        #expect(cancelled.status == 0 && cancelled.stdout == "\(job) had already ended: completed\n")
        let theirs = try await jobs(["show", job, "--user", "web:alice"])
        #expect(theirs.status == 65 && theirs.stderr.contains("there is no job '\(job)' of web:alice"), "\(theirs.stderr)")
    }

    @Test func aMissingTemplateSaysHowToSeedTheCatalogue() async throws {
        let made = try await DarkroomBinary.run(["make", "a cat", "--data", folder.path("empty"), "--server", "http://127.0.0.1:9"],
                                                in: folder)
        #expect(made.status == 65, "\(made.stderr)")
        #expect(made.stderr.contains("there is no template called 'text2img'; the catalogue is empty"))
        #expect(made.stderr.contains("seed it with --templates DIR or DARKROOM_TEMPLATES"), "\(made.stderr)")
    }

    func jobs(_ arguments: [String]) async throws -> Command.Output {
        try await DarkroomBinary.run(["jobs"] + arguments + ["--data", folder.path("data")])
    }
}
