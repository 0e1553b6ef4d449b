import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport

@Suite(.onTestThreads) struct TemplateFillingTests {
    let template: WorkflowTemplate

    init() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates/text2img.json")
        template = try JSONDecoder().decode(WorkflowTemplate.self, from: Data(contentsOf: file))
    }

    func input(_ graph: [String: JSONValue], _ node: String, _ name: String) -> JSONValue? {
        graph[node]?.object?["inputs"]?.object?[name]
    }

    @Test func onlyTheDeclaredInputsChange() throws {
        var generator = SplitMix64(seed: 7)
        let filled = try template.filled(with: ["prompt": .string("a lighthouse at dusk"), "width": .integer(512), "seed": .integer(42)],
                                         using: &generator)
        #expect(input(filled.graph, "6", "text") == .string("a lighthouse at dusk"))
        #expect(input(filled.graph, "5", "width") == .integer(512) && input(filled.graph, "5", "height") == .integer(1024))
        #expect(input(filled.graph, "3", "seed") == .integer(42))
        #expect(input(filled.graph, "3", "model") == .array([.string("10"), .integer(0)]))
        #expect(input(filled.graph, "9", "filename_prefix") == .string("darkroom/text2img"))
        // Nothing outside the declared inputs moved.
        var expected = template.graph
        for (name, declared) in template.inputs {
            guard case .object(var node) = expected[declared.node], case .object(var inputs) = node["inputs"] else { continue }
            inputs[declared.input] = filled.values[name] ?? inputs[declared.input]
            node["inputs"] = .object(inputs)
            expected[declared.node] = .object(node)
        }
        #expect(filled.graph == expected)
    }

    @Test func aSeedOfMinusOneIsDrawnAndRecorded() throws {
        var generator = SplitMix64(seed: 1)
        let first = try template.filled(with: ["prompt": .string("x")], using: &generator)
        let second = try template.filled(with: ["prompt": .string("x"), "seed": .integer(-1)], using: &generator)
        let seeds = [first.values["seed"], second.values["seed"]].compactMap { $0?.uint64 }
        #expect(seeds.count == 2 && seeds[0] != seeds[1])
        #expect(seeds.allSatisfy { WorkflowTemplate.drawnSeedRange.contains($0) })
        #expect(input(first.graph, "3", "seed") == first.values["seed"])
    }

    @Test func theLargestSeedSurvivesExactly() throws {
        let filled = try template.filled(with: ["prompt": .string("x"), "seed": .unsigned(UInt64.max)])
        let json = String(decoding: try JSONEncoder().encode(filled.graph), as: UTF8.self)
        #expect(json.contains("\"seed\":18446744073709551615"))
    }

    @Test func badValuesAreRefusedTogether() {
        do {
            _ = try template.filled(with: ["prompt": .string(""), "steps": .integer(99), "cfg": .string("high"), "colour": .string("red")])
            Issue.record("filled with bad values")
        } catch let error as ComfyUIError {
            #expect(error.code == .invalidInput)
            #expect(error.problems.map(\.description) == [
                "node - input 'colour': is not an input of template 'text2img' (inputs: batch, cfg, checkpoint, height, lora, lora_strength, negative_prompt, prompt, sampler, scheduler, seed, steps, width)",
                "node 3 input 'cfg': expected a number but received \"high\"",
                "node 6 input 'prompt': is required",
                "node 3 input 'steps': expected at most 48 but received 99",
            ])
        } catch { Issue.record("unexpected \(error)") }
    }
}
