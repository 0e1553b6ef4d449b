import ComfyUITestSupport
import Foundation
import Testing
import TestSupport
import Vips

/// `darkroom media …` run as an operator would, on a data folder of its own.
@Suite(.onTestThreads) struct MediaCommandTests {
    let folder = TemporaryDirectory("media-cli")
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates").path

    func media(_ arguments: [String], input: Data? = nil) async throws -> Command.Output {
        try await DarkroomBinary.run(["media"] + arguments + ["--data", folder.path("data"), "--templates", Self.templates],
                                     standardInput: input)
    }

    func json(_ output: Command.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: output.stdoutData) as? [String: Any], "\(output.stdout)")
    }

    @Test func addListInfoProcessGetDelete() async throws {
        let photo = try folder.write(try TestImages.photo(width: 320, height: 240).data(format: .jpeg), to: "photo.jpg")
        let added = try await media(["add", photo, "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        let id = try #require(try json(added)["id"] as? String)
        #expect(try json(added)["format"] as? String == "jpeg")
        let fromStdin = try await media(["add", "-"], input: try TestImages.photo(width: 20, height: 10).data(format: .png))
        #expect(fromStdin.status == 0 && fromStdin.stdout.contains("png  20×10"), "\(fromStdin.stderr)")

        let info = try await media(["info", id])
        #expect(info.status == 0 && info.stdout.contains("320×240, 3 bands, srgb"), "\(info.stdout)")

        let processed = try await media(["process", id, "resize", "--width", "100", "--height", "100", "--fit", "fill", "--json"])
        #expect(processed.status == 0, "\(processed.stderr)")
        let output = try #require(try json(processed)["output"] as? [String: Any])
        let cost = try json(processed)["cost"] as? Int
        #expect(output["width"] as? Int == 100 && output["derived_from"] as? String == id && cost == 0)
        let outputID = try #require(output["id"] as? String)

        let planned = try await media(["process", id, "plan", "--plan", "rotate:90/format:webp:q70"])
        #expect(planned.status == 0 && planned.stdout.contains("webp  240×320"), "\(planned.stderr)")

        let listing = try json(try await media(["list", "--json"]))
        #expect(listing["total"] as? Int == 4)

        let got = try await media(["get", outputID, folder.path("out.jpg")])
        #expect(got.status == 0)
        #expect(try Image(contentsOfFile: folder.path("out.jpg")).width == 100)

        #expect(try await media(["delete", outputID]).status == 0)
        let gone = try await media(["info", outputID])
        #expect(gone.status == 65 && gone.stderr.contains("there is no media"))
        // Another user sees none of it.
        let other = try await media(["info", id, "--user", "web:alice"])
        #expect(other.status == 65)
    }

    @Test func refusalsHaveTheirCodesAndExitStatus() async throws {
        let refused = try await media(["add", "http://169.254.169.254/latest/meta-data", "--json"])
        #expect(refused.status == 65 && refused.stderr.contains("link-local"))
        let error = try #require(try json(refused)["error"] as? [String: Any])
        #expect(error["code"] as? String == "fetch_refused")
        let notImage = try await media(["add", try folder.write(Data("hello".utf8), to: "note.png")])
        #expect(notImage.status == 65 && notImage.stderr.contains("darkroom:"))
        let usage = try await media(["process", "m_000000000000000000000000", "resize"])
        #expect(usage.status == 64 && usage.stderr.contains("resize needs --width, --height or both"))
        let badPlan = try await media(["process", "m_000000000000000000000000", "plan", "--plan", "resize:0"])
        #expect(badPlan.status == 64 && badPlan.stderr.contains("step 1 (resize): width must be 1 … 16384, not 0"))
    }

    @Test func upscaleRunsThroughComfyUIAndIsCharged() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let photo = try folder.write(try TestImages.photo(width: 64, height: 48).data(format: .png), to: "small.png")
        let id = try #require(try json(try await media(["add", photo, "--json"]))["id"] as? String)
        let upscaled = try await media(["process", id, "upscale", "--scale", "2", "--server", server.url.absoluteString, "--request-timeout", "60", "--json"])
        #expect(upscaled.status == 0, "\(upscaled.stderr)")
        let report = try json(upscaled)
        let output = try #require(report["output"] as? [String: Any])
        #expect(output["width"] as? Int == 128 && output["height"] as? Int == 96 && report["runs"] as? Int == 1)
        let unavailable = try await media(["process", id, "remove-background", "--server", server.url.absoluteString])
        #expect(unavailable.status == 65 && unavailable.stderr.contains("RMBG"), "\(unavailable.stderr)")
    }
}
