import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport

@Suite(.onTestThreads) struct ObjectInfoTests {
    @Test func theFullObjectInfoDecodesWithBothComboShapesAndExactSeeds() throws {
        let info = try JSONDecoder().decode(ObjectInfo.self, from: ComfyUISamples.fullObjectInfo())
        #expect(info.classes.count == 496)
        let sampler = try #require(info.classes["KSampler"])
        #expect(sampler.spec(of: "seed")?.maximum == .unsigned(18_446_744_073_709_551_615))
        #expect(sampler.spec(of: "steps")?.kind == .int && sampler.spec(of: "model")?.kind == .link("MODEL"))
        if case .combo(let schedulers) = sampler.spec(of: "scheduler")?.kind { #expect(schedulers.contains("karras")) }
        else { Issue.record("scheduler is not a combo") }
        // A "v3" combo: ["COMBO", {"options": [...]}]
        let total = try #require(info.classes["ImageScaleToTotalPixels"])
        if case .combo(let methods) = total.spec(of: "upscale_method")?.kind { #expect(methods.contains("bilinear")) }
        else { Issue.record("v3 combo not decoded") }
        #expect(info.classes.values.contains { $0.displayName == nil })
        #expect(info.classes["SaveImage"]?.isOutputNode == true && info.classes["KSampler"]?.isOutputNode == false)
        #expect(info.classes["CheckpointLoaderSimple"]?.outputs == ["MODEL", "CLIP", "VAE"])
    }
}

@Suite(.onTestThreads) struct GraphCheckerTests {
    let checker: GraphChecker

    init() throws {
        // The server the bot samples ran on: the full object_info, with its tiny models installed.
        let decoder = JSONDecoder()
        let full = try decoder.decode(ObjectInfo.self, from: ComfyUISamples.fullObjectInfo())
        let checkpoint = try decoder.decode(ObjectInfo.self, from: ComfyUISamples.data("get_object_info_CheckpointLoaderSimple_tiny.json", at: ["response", "body"]))
        let lora = try decoder.decode(ObjectInfo.self, from: ComfyUISamples.data("get_object_info_LoraLoader_tiny.json", at: ["response", "body"]))
        checker = GraphChecker(objectInfo: full.merging(checkpoint).merging(lora))
    }

    func graph(_ sample: String) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: ComfyUISamples.data(sample, at: ["request", "body", "prompt"]))
    }

    @Test func theBotsGraphThatRanPassesClean() throws {
        #expect(checker.problems(in: try graph("post_prompt_bot_txt2img.json")) == [])
        #expect(checker.problems(in: try graph("post_prompt_ok.json")) == [])
    }

    /// Each graph the real server refused, and the node it named: we must refuse it too, there.
    @Test(arguments: [
        ("post_prompt_error_missing_input.json", "is required but missing"),
        ("post_prompt_error_unknown_class.json", "has no node class"),
        ("post_prompt_error_value_below_min.json", "is below the minimum"),
        ("post_prompt_error_value_above_max.json", "is above the maximum"),
        ("post_prompt_error_combo_not_in_list.json", "is not available on this server"),
        ("post_prompt_error_invalid_input_type.json", "expects a number, not \"wide\""),
        ("post_prompt_error_bad_link.json", "a link must be [node id, output slot]"),
        ("post_prompt_error_link_to_missing_node.json", "links to node 99, which is not in the graph"),
        ("post_prompt_error_type_mismatch.json", "expects IMAGE but output"),
        ("post_prompt_error_txt2img_missing_checkpoint.json", "is not available on this server"),
        ("post_prompt_error_missing_class_type.json", "has no class_type"),
        ("post_prompt_error_no_outputs.json", "has no output node"),
    ])
    func everyGraphTheServerRefusedIsRefusedHere(sample: String, message: String) throws {
        let problems = checker.problems(in: try graph(sample))
        #expect(problems.contains { $0.message.contains(message) }, "\(sample): \(problems)")
        let response = try ComfyUISamples.json(sample)["response"] as? [String: Any]
        let body = response?["body"] as? [String: Any]
        let refusedNodes = Set((body?["node_errors"] as? [String: Any] ?? [:]).keys)
        if !refusedNodes.isEmpty {
            #expect(refusedNodes.isSubset(of: Set(problems.map(\.node))), "\(sample): server named \(refusedNodes), we found \(problems)")
        }
    }

    @Test func problemsReadInOurWords() throws {
        var graph = try graph("post_prompt_bot_txt2img.json")
        var sampler = graph["3"]!.object!
        var inputs = sampler["inputs"]!.object!
        inputs["steps"] = .integer(0)
        inputs["sampler_name"] = .string("made_up")
        sampler["inputs"] = .object(inputs)
        graph["3"] = .object(sampler)
        let problems = checker.problems(in: graph).map(\.description)
        #expect(problems.contains("node 3 (KSampler) input 'steps': 0 is below the minimum 1"))
        #expect(problems.contains { $0.hasPrefix("node 3 (KSampler) input 'sampler_name': \"made_up\" is not available on this server (choose one of euler,") })
    }
}
