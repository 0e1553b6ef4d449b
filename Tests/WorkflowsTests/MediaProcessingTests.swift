import ComfyUITestSupport
import Foundation
import Media
import Studio
import StudioTestSupport
import Testing
import TestSupport
import Vips
import Workflows

/// The mediaProcessing workflow end to end: local operations free and stored as derived media;
/// upscaling through the ComfyUI test server, tiled and seamless, charged on its run time;
/// refusals before anything is held; nothing charged when ComfyUI fails.
@Suite(.onTestThreads) struct MediaProcessingTests {
    let photo: Data

    init() throws {
        photo = try TestImages.photo(width: 300, height: 200).data(format: .png)
    }

    @Test func localOperationsAreFreeAndStoredAsDerivedMedia() async throws {
        let fixture = try await MediaProcessingFixture()
        let first = try await fixture.run(.resize(width: 150, height: nil, fit: .fit), on: .upload(photo))
        #expect((first.output.width, first.output.height) == (150, 100) && first.cost == 0 && first.runs == 0)
        #expect(first.output.derivedFrom == first.input.id && first.input.source == "upload")
        let input = MediaInput.stored(first.input.id)
        let cases: [(MediaOperation, Int, Int, String)] = [
            (.thumbnail(size: 64, crop: .centre), 64, 64, "png"),
            (.format(OutputSpec(format: .webp, quality: 70)), 300, 200, "webp"),
            (.crop(x: 10, y: 10, width: 100, height: 50), 100, 50, "png"),
            (.smartCrop(width: 80, height: 80, strategy: .attention), 80, 80, "png"),
            (.rotate(degrees: 270), 200, 300, "png"),
            (.flip(.vertical), 300, 200, "png"),
            (.watermark(text: "© darkroom", position: .bottomRight, opacity: 0.5), 300, 200, "png"),
            (.plan(try TransformPlan(parsing: "resize:100x100:fill/format:jpeg")), 100, 100, "jpeg"),
        ]
        for (operation, width, height, format) in cases {
            let result = try await fixture.run(operation, on: input)
            #expect((result.output.width, result.output.height, result.output.format) == (width, height, format), "\(operation)")
            let stored = try await fixture.media.data(result.output.id, owner: fixture.user).data
            let header = try Image(data: stored).header
            #expect((header.width, header.height, header.format?.rawValue) == (width, height, format))
        }
        #expect(try await fixture.ledger().isEmpty, "local operations cost nothing")
        #expect(try await fixture.requests("POST /prompt") == 0)
    }

    /// On the test server, or on a real one when `COMFYUI_URL` is set (ImageScaleBy is core ComfyUI).
    @Test func aLargeImageUpscalesInTilesSeamlesslyAndIsChargedOnRunTime() async throws {
        try await ComfyUITarget.with { target in
            try await upscalesInTiles(try await MediaProcessingFixture(comfyUI: target.isRealServer ? target.url : nil,
                                                                        runDeadline: target.runDeadline))
        }
    }

    func upscalesInTiles(_ fixture: MediaProcessingFixture) async throws {
        let tiled = try await fixture.run(.upscale(scale: 2, template: "upscale-small-tiles"), on: .upload(photo))
        #expect((tiled.output.width, tiled.output.height, tiled.output.format) == (600, 400, "png"))
        #expect(tiled.runs == 6, "300×200 in 128-pixel tiles overlapping by 16 is 3 × 2 tiles")
        #expect(tiled.output.derivedFrom == tiled.input.id && tiled.output.source == "comfyui:upscale-small-tiles")
        let whole = try await fixture.run(.upscale(scale: 2, template: "upscale-whole"), on: .stored(tiled.input.id))
        #expect(whole.runs == 1)
        let tiledImage = try Image(data: try await fixture.media.data(tiled.output.id, owner: fixture.user).data)
        let wholeImage = try Image(data: try await fixture.media.data(whole.output.id, owner: fixture.user).data)
        let difference = try tiledImage.difference(to: wholeImage)
        #expect(difference.maximum <= 2 && difference.mean < 0.05, "seams: \(difference)")
        // Charged what the server's run time says, at the policy's rate, once per request.
        let expected = fixture.database.points.policy.cost(runSeconds: tiled.runSeconds)
        #expect(tiled.cost == expected && tiled.runSeconds > 0)
        #expect(try await fixture.ledger() == [.settle, .hold, .settle, .hold])
    }

    @Test func aTemplateTheServerCannotRunIsRefusedBeforeAnythingIsHeld() async throws {
        let fixture = try await MediaProcessingFixture()
        do {
            _ = try await fixture.run(.removeBackground(template: nil), on: .upload(photo))
            Issue.record("background removal ran on a server without its node")
        } catch let error as WorkflowError {
            #expect(error.code == .templateUnavailable)
            #expect(error.problems.contains { $0.contains("RMBG") }, "\(error.problems)")
        }
        do {
            _ = try await fixture.run(.upscale(scale: 4, template: "upscale-model"), on: .upload(photo))
            Issue.record("an upscale model the server lacks was not refused")
        } catch let error as WorkflowError {
            #expect(error.code == .templateUnavailable)
            #expect(error.problems.contains { $0.contains("RealESRGAN_x4plus.pth") }, "\(error.problems)")
        }
        #expect(try await fixture.ledger().isEmpty)
        let (prompts, uploads) = (try await fixture.requests("POST /prompt"), try await fixture.requests("POST /upload/image"))
        #expect(prompts == 0 && uploads == 0)
    }

    @Test func nothingIsChargedWhenComfyUIFails() async throws {
        let fixture = try await MediaProcessingFixture(runDeadline: .seconds(1))
        let before = try await fixture.database.points.balance(of: fixture.user)
        let server = try #require(fixture.server)
        await server.setBehaviour(.failSubmissions)
        let refused = await fixture.code { _ = try await fixture.run(.upscale(scale: 2, template: nil), on: .upload(photo)) }
        #expect(refused == "generation_failed")
        await server.setBehaviour(.stall)
        #expect(await fixture.code { _ = try await fixture.run(.upscale(scale: 2, template: nil), on: .upload(photo)) } == "generation_timeout")
        let after = try await fixture.database.points.balance(of: fixture.user)
        #expect(after.available == before.available && after.held == 0 && after.exp == 0)
        #expect(try await fixture.ledger() == [.release, .hold, .release, .hold])
        let stored = try await fixture.media.list(owner: fixture.user)
        #expect(stored.count == 2 && stored.allSatisfy { $0.source == "upload" }, "only the two inputs were stored")
    }

    @Test func badRequestsGetTheirCodes() async throws {
        let fixture = try await MediaProcessingFixture()
        let stored = try await fixture.run(.flip(.horizontal), on: .upload(photo)).input
        #expect(await fixture.code { _ = try await fixture.run(.upscale(scale: 2, template: "nope"), on: .stored(stored.id)) } == "unknown_template")
        #expect(await fixture.code { _ = try await fixture.run(.upscale(scale: 2, template: "text2img"), on: .stored(stored.id)) } == "invalid_params")
        #expect(await fixture.code { _ = try await fixture.run(.upscale(scale: 9, template: nil), on: .stored(stored.id)) } == "invalid_params")
        #expect(await fixture.code { _ = try await fixture.run(.upscale(scale: 2, template: nil), on: .stored(MediaRecord.newID())) } == "media_not_found")
        #expect(await fixture.code { _ = try await fixture.run(.crop(x: 290, y: 0, width: 50, height: 50), on: .stored(stored.id)) } == "invalid_params")
        #expect(await fixture.code { _ = try await fixture.run(.flip(.horizontal), on: .upload(Data("not an image".utf8))) } == "unsupported_media")
        #expect(await fixture.code { _ = try await fixture.run(.flip(.horizontal), on: .url(URL(string: "http://169.254.169.254/latest")!)) } == "fetch_refused")
        let bomb = BadInputs.png(photo, claimingWidth: 40_000, height: 40_000)
        #expect(await fixture.code { _ = try await fixture.run(.flip(.horizontal), on: .upload(bomb)) } == "media_too_large")
        let big = BadInputs.png(photo, claimingWidth: 4_000, height: 3_000)
        #expect(await fixture.code { _ = try await fixture.run(.upscale(scale: 4, template: nil), on: .upload(big)) } == "media_too_large")
        #expect(try await fixture.ledger().isEmpty)
    }

    @Test func notEnoughPointsStopsTheRunBeforeItStarts() async throws {
        let fixture = try await MediaProcessingFixture()
        let available = try await fixture.database.points.balance(of: fixture.user).available
        try await fixture.database.points.hold(user: fixture.user, job: "other", estimate: available)
        #expect(await fixture.code { _ = try await fixture.run(.upscale(scale: 2, template: nil), on: .upload(photo)) } == "not_enough_points")
        #expect(try await fixture.requests("POST /prompt") == 0)
    }

    @Test func aComfyUIThatIsDownIsReportedBeforeAnythingIsHeld() async throws {
        let fixture = try await MediaProcessingFixture(comfyUI: URL(string: "http://127.0.0.1:9")!)
        #expect(await fixture.code { _ = try await fixture.run(.upscale(scale: 2, template: nil), on: .upload(photo)) } == "comfyui_unavailable")
        #expect(try await fixture.ledger().isEmpty)
    }
}
