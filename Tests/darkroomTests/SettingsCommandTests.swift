import ComfyUITestSupport
import Foundation
import Testing
import TestSupport

/// `darkroom settings …` as a user runs it, on a data folder of its own and the ComfyUI test server's lists.
@Suite(.onTestThreads) struct SettingsCommandTests {
    let folder = TemporaryDirectory("settings-cli")

    func settings(_ arguments: [String], server: URL) async throws -> Command.Output {
        try await DarkroomBinary.run(["settings"] + arguments + ["--data", folder.path("data"), "--templates", MakeCommandTests.templates,
                                                                "--server", server.absoluteString, "--user", "telegram:5472638766"])
    }

    @Test func showChangeAllOrNothingAndReset() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let shown = try await settings([], server: server.url)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("width           1024                    64 … 1024, multiples of 8"), "\(shown.stdout)")
        #expect(shown.stdout.contains("watermark       on                      on (off needs standing 200000)"))

        let changed = try await settings(["set", "width=768", "sampler=dpmpp_2m", "--json"], server: server.url)
        #expect(changed.status == 0, "\(changed.stderr)")
        let view = try #require(try JSONSerialization.jsonObject(with: changed.stdoutData) as? [String: Any])
        let values = try #require(view["settings"] as? [String: Any])
        #expect(values["width"] as? Int == 768 && values["sampler"] as? String == "dpmpp_2m")
        #expect((view["choices"] as? [String: Any])?["samplers"] as? [String] != nil)

        let refused = try await settings(["set", "steps=20", "height=13", "scheduler=sometimes"], server: server.url)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("height") && refused.stderr.contains("13") && refused.stderr.contains("scheduler")
                && refused.stderr.contains("\"sometimes\""), "\(refused.stderr)")
        let kept = try await settings(["get"], server: server.url)
        #expect(kept.stdout.contains("steps           30 ") && kept.stdout.contains("width           768 "), "\(kept.stdout)")

        let reset = try await settings(["reset"], server: server.url)
        #expect(reset.status == 0 && reset.stdout.contains("width           1024 ") && reset.stdout.contains("sampler         euler "))
        let malformed = try await settings(["set", "width"], server: server.url)
        #expect(malformed.status == 64 && malformed.stderr.contains("expected name=value"))
    }
}
