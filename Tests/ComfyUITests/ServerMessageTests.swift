import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport

@Suite(.onTestThreads) struct ServerMessageTests {
    static let webSocketSamples = (try? FileManager.default.contentsOfDirectory(atPath: ComfyUISamples.folder.path))?
        .filter { $0.hasPrefix("ws_") && $0.hasSuffix(".json") }.sorted() ?? []

    /// The text frames of a WebSocket sample, decoded.
    func messages(_ sample: String) throws -> [ServerMessage] {
        let frames = try ComfyUISamples.json(sample)["frames"] as? [[String: Any]] ?? []
        return try frames.filter { $0["kind"] as? String == "text" }.map { frame in
            try JSONDecoder().decode(ServerMessage.self, from: JSONSerialization.data(withJSONObject: frame["data"]!))
        }
    }

    @Test func everyCapturedTextFrameDecodes() throws {
        #expect(Self.webSocketSamples.count >= 10)
        var others = Set<String>()
        for sample in Self.webSocketSamples {
            for case .other(let type) in try messages(sample) { others.insert(type) }
        }
        #expect(others.isSubset(of: ["progress_state", "feature_flags"]), "\(others)")
    }

    @Test func aSuccessfulRunReadsInTheCapturedOrder() throws {
        let run = try messages("ws_run_success.json")
        let prompt = try #require(ComfyUISamples.json("ws_run_success.json")["prompt_id"] as? String)
        guard case .status(1, _) = run.first else { Issue.record("starts with \(String(describing: run.first))"); return }
        #expect(run.contains { if case .executionStart(prompt, _) = $0 { true } else { false } })
        #expect(run.contains { if case .executed(prompt, _, let images) = $0 { !images.isEmpty } else { false } })
        #expect(run.last == .executing(promptID: prompt, node: nil))
        #expect(run.compactMap(\.promptID).allSatisfy { $0 == prompt })
    }

    @Test func progressCountsTheSamplersSteps() throws {
        let steps = try messages("ws_bot_txt2img_no_preview.json").compactMap { message -> (Int, Int)? in
            if case .progress(_, "3", let value, let max) = message { (value, max) } else { nil }
        }
        #expect(steps.map(\.0) == Array(1...steps.count) && steps.allSatisfy { $0.1 == steps.count })
    }

    @Test func failuresAndInterruptionsCarryTheNode() throws {
        let failure = try messages("ws_run_execution_error.json").compactMap { message -> ExecutionFailure? in
            if case .executionError(let failure) = message { failure } else { nil }
        }.first
        #expect(failure?.exceptionType == "PIL.UnidentifiedImageError" && failure?.nodeType == "LoadImage")
        #expect(failure?.exceptionMessage.isEmpty == false && failure?.traceback.isEmpty == false)
        let interrupted = try messages("ws_run_interrupted.json").contains {
            if case .executionInterrupted(_, let node, _, _) = $0 { node != nil } else { false }
        }
        #expect(interrupted)
    }

    @Test func theFirstStatusCarriesTheSessionID() throws {
        let first = try messages("ws_connect_initial.json").first
        guard case .status(0, let sid?) = first else { Issue.record("\(String(describing: first))"); return }
        #expect(!sid.isEmpty)
    }
}

@Suite(.onTestThreads) struct BinaryFrameTests {
    func frame(_ header: [UInt32], _ payload: Data) -> Data {
        var data = Data()
        for value in header { withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) } }
        return data + payload
    }

    @Test func aLegacyPreviewFrameCarriesItsImage() throws {
        let png = try ComfyUISamples.binary("ws_plain_frame1.png")
        #expect(BinaryFrame(frame([1, 2], png)) == .previewImage(format: .png, bytes: png))
        let jpeg = try ComfyUISamples.binary("bot_prev_frame1.jpg")
        #expect(BinaryFrame(frame([1, 1], jpeg)) == .previewImage(format: .jpeg, bytes: jpeg))
    }

    @Test func aPreviewWithMetadataNamesItsNodeAndPrompt() throws {
        let frames = try ComfyUISamples.json("ws_run_binary_images_metadata.json")["frames"] as? [[String: Any]] ?? []
        let captured = try #require(frames.first { $0["event_type"] as? Int == 4 })
        let metadata = try JSONSerialization.data(withJSONObject: captured["metadata"]!)
        let image = try ComfyUISamples.binary(captured["image_saved_as"] as! String)
        let parsed = BinaryFrame(frame([4, UInt32(metadata.count)], metadata + image))
        let expectedPrompt = (captured["metadata"] as? [String: Any])?["prompt_id"] as? String
        #expect(parsed == .previewImageWithMetadata(node: "51", promptID: expectedPrompt, format: .png, bytes: image))
    }

    @Test func aTextFrameCarriesItsNodeAndText() {
        let text = Data("width: 96, height: 64\n batch size: 2".utf8)
        #expect(BinaryFrame(frame([3, 1], Data("2".utf8) + text)) == .text(node: "2", text: "width: 96, height: 64\n batch size: 2"))
    }

    @Test func shortOrUnknownFramesAreHandled() {
        #expect(BinaryFrame(Data([0, 0])) == nil)
        #expect(BinaryFrame(frame([1, 9], Data())) == nil)
        #expect(BinaryFrame(frame([4, 500], Data("{}".utf8))) == nil)
        #expect(BinaryFrame(frame([7], Data())) == .unknown(event: 7))
    }
}
