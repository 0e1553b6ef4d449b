import ComfyUI
import Foundation
import Testing
import TestSupport
import Vips

/// The client against the ComfyUI test server on 127.0.0.1.
@Suite struct ComfyUIClientTests {
    /// EmptyImage → ImageScale → SaveImage, as in the captured samples.
    static func imageGraph(colour: Int = 0x3366CC, prefix: String = "capture/w1") -> [String: JSONValue] {
        [
            "1": .object(["class_type": .string("EmptyImage"), "inputs": .object([
                "width": .integer(64), "height": .integer(48), "batch_size": .integer(1), "color": .integer(Int64(colour))])]),
            "2": .object(["class_type": .string("ImageScale"), "inputs": .object([
                "image": .array([.string("1"), .integer(0)]), "upscale_method": .string("bilinear"),
                "width": .integer(32), "height": .integer(24), "crop": .string("disabled")])]),
            "3": .object(["class_type": .string("SaveImage"), "inputs": .object([
                "images": .array([.string("2"), .integer(0)]), "filename_prefix": .string(prefix)])]),
        ]
    }

    func withServer(_ body: (ComfyUITestServer, ComfyUIClient) async throws -> Void) async throws {
        let server = try await ComfyUITestServer.start()
        do { try await body(server, server.client()) } catch { await server.stop(); throw error }
        await server.stop()
    }

    @Test func anImageGraphRunsAndItsPictureComesBack() async throws {
        try await withServer { _, client in
            let result = try await client.run(Self.imageGraph())
            let image = try #require(result.images.first)
            #expect(result.images.count == 1 && image.node == "3")
            #expect(image.file == OutputImage(filename: "w1_00001_.png", subfolder: "capture", type: "output"))
            let picture = try Image(data: image.bytes)
            #expect(picture.width == 32 && picture.height == 24 && picture.header.format == .png)
            #expect(try picture.pixel(x: 10, y: 10) == [0x33, 0x66, 0xCC])
            #expect(result.runSeconds >= 0 && result.runSeconds < 30 && !result.cached)
        }
    }

    @Test func anIdenticalResubmissionIsCachedWithTheSameFiles() async throws {
        try await withServer { _, client in
            let first = try await client.run(Self.imageGraph())
            let again = try await client.run(Self.imageGraph())
            let changed = try await client.run(Self.imageGraph(colour: 0xFF0000))
            #expect(!first.cached && again.cached && !changed.cached)
            #expect(again.images.map(\.file) == first.images.map(\.file))
            #expect(changed.images.first?.file.filename == "w1_00002_.png")
        }
    }

    @Test func anUploadedImageIsLoadedByName() async throws {
        try await withServer { _, client in
            let png = try TestImages.solid(width: 20, height: 10, [10, 200, 30]).data(format: .png)
            let name = try await client.upload(png, filename: "in.png")
            let other = try TestImages.solid(width: 20, height: 10, [1, 2, 3]).data(format: .png)
            #expect(try await client.upload(png, filename: "in.png") == "in.png")
            #expect(try await client.upload(other, filename: "in.png") == "in (1).png")
            let graph: [String: JSONValue] = [
                "1": .object(["class_type": .string("LoadImage"), "inputs": .object(["image": .string(name)])]),
                "2": .object(["class_type": .string("ImageInvert"), "inputs": .object(["image": .array([.string("1"), .integer(0)])])]),
                "3": .object(["class_type": .string("SaveImage"), "inputs": .object(["images": .array([.string("2"), .integer(0)]), "filename_prefix": .string("inv")])]),
            ]
            let result = try await client.run(graph)
            #expect(try Image(data: #require(result.images.first).bytes).pixel(x: 5, y: 5) == [245, 55, 225])
        }
    }

    @Test func aRefusedGraphListsEveryNodeError() async throws {
        try await withServer { _, client in
            let graph = try JSONDecoder().decode([String: JSONValue].self,
                                                 from: ComfyUISamples.data("post_prompt_error_value_below_min.json", at: ["request", "body", "prompt"]))
            do {
                _ = try await client.submit(graph, clientID: "test")
                Issue.record("the refused graph was accepted")
            } catch let error as ComfyUIError {
                #expect(error.code == .validationFailed && error.message == "Prompt outputs failed validation")
                #expect(error.problems.map(\.node) == ["1"] && error.problems.first?.input == "width")
                #expect(error.problems.first?.classType == "EmptyImage")
            }
        }
    }

    @Test func aRunTimeFailureNamesTheNodeAndTheException() async throws {
        try await withServer { _, client in
            let name = try await client.upload(Data("not an image".utf8), filename: "bad.png")
            let graph: [String: JSONValue] = [
                "10": .object(["class_type": .string("LoadImage"), "inputs": .object(["image": .string(name)])]),
                "11": .object(["class_type": .string("SaveImage"), "inputs": .object(["images": .array([.string("10"), .integer(0)]), "filename_prefix": .string("x")])]),
            ]
            do {
                _ = try await client.run(graph)
                Issue.record("a corrupt input ran")
            } catch let error as ComfyUIError {
                #expect(error.code == .executionFailed)
                #expect(error.message.hasPrefix("node 10 (LoadImage) failed: PIL.UnidentifiedImageError: cannot identify image file"))
            }
        }
    }

    @Test func theBotsTextToImageGraphRuns() async throws {
        try await withServer { _, client in
            let graph = try JSONDecoder().decode([String: JSONValue].self,
                                                 from: ComfyUISamples.data("post_prompt_bot_txt2img.json", at: ["request", "body", "prompt"]))
            let result = try await client.run(graph)
            #expect(result.images.count == 1 && result.images.first?.node == "9")
            let picture = try Image(data: #require(result.images.first).bytes)
            #expect(picture.width == 256 && picture.height == 256)
        }
    }

    @Test func serverInformationDecodes() async throws {
        try await withServer { _, client in
            let info = try await client.objectInfo()
            #expect(info.classes["KSampler"] != nil && info.classes.count >= 496)
            let stats = try await client.systemStats()
            #expect(stats.system.comfyuiVersion == "0.3.64" && stats.devices.first?.type == "cpu")
            #expect(try await client.queue() == QueueState.empty)
        }
    }

    @Test func anUnreachableServerIsSaidSo() async throws {
        let client = ComfyUIClient(baseURL: URL(string: "http://127.0.0.1:9")!, requestTimeout: .seconds(2))
        do { _ = try await client.systemStats(); Issue.record("reached a closed port") }
        catch { #expect(ComfyUIError.Code.serverUnreachable ~= error, "\(error)") }
    }

    @Test func aStalledRunTimesOutAndLeavesNothingQueued() async throws {
        try await withServer { server, client in
            await server.setBehaviour(.stall)
            let submission = try await client.submit(Self.imageGraph(), clientID: "test")
            #expect(await server.activePrompts() == [submission.promptID])
            do {
                _ = try await client.waitForRun(submission.promptID, deadline: .milliseconds(300))
                Issue.record("a stalled run finished")
            } catch { #expect(ComfyUIError.Code.timedOut ~= error) }
            #expect(await server.activePrompts().isEmpty)
        }
    }

    @Test func aFailingOrSlowServerGivesTypedErrors() async throws {
        try await withServer { server, client in
            await server.setBehaviour(.failSubmissions)
            do { _ = try await client.submit(Self.imageGraph(), clientID: "t"); Issue.record("accepted") }
            catch { #expect(ComfyUIError.Code.badResponse ~= error) }
            await server.setBehaviour(.slow(.seconds(2)))
            let impatient = server.client(requestTimeout: .milliseconds(300))
            do { _ = try await impatient.queue(); Issue.record("answered in time") }
            catch { #expect(ComfyUIError.Code.timedOut ~= error, "\(error)") }
        }
    }
}

@Suite struct PartialValidationTests {
    @Test func aPartlyValidGraphRunsItsGoodBranchAndReportsTheOther() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let graph = try JSONDecoder().decode([String: JSONValue].self,
                                             from: ComfyUISamples.data("post_prompt_partial_invalid.json", at: ["request", "body", "prompt"]))
        let client = server.client()
        let submission = try await client.submit(graph, clientID: "partial")
        #expect(submission.droppedBranches.map(\.node) == ["4"] && submission.droppedBranches.first?.input == "upscale_method")
        let result = try await client.result(of: client.waitForRun(submission.promptID))
        #expect(result.images.map(\.node) == ["3"] && result.images.first?.file.filename == "partial_ok_00001_.png")
    }
}
