import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport

/// Following runs on the WebSocket when the test server misbehaves on purpose (closes the socket
/// itself, never runs the prompt).
@Suite(.onTestThreads) struct RunFollowingTests {
    func botGraph(steps: Int = 4) throws -> [String: JSONValue] {
        var graph = try JSONDecoder().decode([String: JSONValue].self,
                                             from: ComfyUISamples.data("post_prompt_bot_txt2img.json", at: ["request", "body", "prompt"]))
        guard case .object(var sampler) = graph["3"], case .object(var inputs) = sampler["inputs"] else { return graph }
        inputs["steps"] = .integer(Int64(steps))
        sampler["inputs"] = .object(inputs)
        graph["3"] = .object(sampler)
        return graph
    }

    @Test func aSocketTheServerClosesIsReopenedAndHistoryDecidesTheEnd() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        await server.setBehaviour(.dropSocket)
        let log = EventLog()
        // The socket must be open before the prompt starts for its drop to mean anything; on a
        // busy machine opening it can take longer than the client's usual 5 s.
        let result = try await server.client().runFollowingEvents(try botGraph(steps: 3), clientID: "reconnecting",
                                                                  connectWithin: .seconds(60)) { log.append($0) }
        let events = log.all
        let drop = try #require(events.firstIndex(of: .socketDropped))
        // Progress goes on over the reopened socket after the drop.
        #expect(events[drop...].contains(.executing(node: "9")))
        #expect(await server.connections(of: "reconnecting") == 2)
        #expect(result.images.first?.node == "9")
    }
}

@Suite(.onTestThreads) struct ServerChecksTests {
    @Test func aTemplateIsCheckedAgainstTheServerBeforeQueueing() async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let client = server.client()
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates/text2img.json")
        let template = try JSONDecoder().decode(WorkflowTemplate.self, from: Data(contentsOf: file))
        // The template's default checkpoint and LoRA are not installed on this server.
        let filled = try template.filled(with: ["prompt": .string("a lighthouse")])
        do {
            try await client.check(filled.graph)
            Issue.record("an uninstalled checkpoint passed")
        } catch let error as ComfyUIError {
            #expect(error.code == .graphRejected)
            #expect(error.problems.map { "\($0.node) \($0.input ?? "")" } == ["4 ckpt_name", "10 lora_name"])
            #expect(error.problems.first?.description.contains("not available on this server (choose one of tiny-random-sd15.safetensors)") == true)
        }
        #expect(await server.activePrompts().isEmpty)
        let installed = try await client.models(in: "checkpoints")
        let fixed = try template.filled(with: ["prompt": .string("a lighthouse"), "checkpoint": .string(installed[0]),
                                               "lora": .string(try await client.models(in: "loras")[0]),
                                               "width": .integer(128), "height": .integer(128), "steps": .integer(2)])
        try await client.check(fixed.graph)
        do { _ = try await client.models(in: "nosuchfolder"); Issue.record("found a missing folder") }
        catch { #expect(ComfyUIError.Code.invalidInput ~= error) }
    }

}

@Suite(.onTestThreads) struct PreviewTests {
    @Test(arguments: [true, false])
    func samplerPreviewsArriveInTheNegotiatedLayout(metadata: Bool) async throws {
        let server = try await ComfyUITestServer.start()
        defer { Task { await server.stop() } }
        let log = EventLog()
        let result = try await server.client().runFollowingEvents(try RunFollowingTests().botGraph(steps: 3), previewMetadata: metadata) { log.append($0) }
        let jpeg = try ComfyUISamples.binary("bot_prev_frame1.jpg")
        let previews = log.all.compactMap { event -> BinaryFrame? in if case .preview(let frame) = event { frame } else { nil } }
        #expect(previews.count == 3)
        let expected: BinaryFrame = metadata
            ? .previewImageWithMetadata(node: "3", promptID: result.promptID, format: .jpeg, bytes: jpeg)
            : .previewImage(format: .jpeg, bytes: jpeg)
        #expect(previews.allSatisfy { $0 == expected })
    }
}
