import Foundation
import ComfyUIModel
import Studio
import StudioSQLite
import Testing
import TestSupport
import StudioTestSupport

@Suite(.onTestThreads) struct WorkflowCatalogueTests {
    let db: TestDatabase
    let catalogue: WorkflowCatalogue
    let folder = TemporaryDirectory("templates")

    /// The repository's own template folder.
    static let shippedTemplates = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates")

    init() throws {
        db = try TestDatabase()
        catalogue = WorkflowCatalogue(store: db.database.templates)
    }

    /// The shipped text2img template with one edit to its JSON.
    func shipped(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        let data = try Data(contentsOf: Self.shippedTemplates.appendingPathComponent("text2img.json"))
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&json)
        return try JSONSerialization.data(withJSONObject: json)
    }

    @Test func theShippedTemplatesSeedCleanly() async throws {
        let report = try await catalogue.seed(from: Self.shippedTemplates)
        #expect(report.rejected.isEmpty, "\(report.rejected)")
        #expect(report.loaded == ["lora_train", "rmbg", "text2img", "upscale", "upscale-model"])
        #expect(try await catalogue.entries(of: .loraTrain).map(\.name) == ["lora_train"])
        #expect(try await catalogue.entry(named: "upscale").tiling == TemplateTiling(size: 512, overlap: 32))
        #expect(try await catalogue.entry(named: "rmbg").tiling == nil)
        #expect(try await catalogue.entries(of: .upscale).map(\.name) == ["upscale", "upscale-model"])
        let entry = try await catalogue.entry(named: "text2img")
        let template = entry.template
        #expect(template.kind == .text2img && template.outputs == ["9"] && entry.pricing.pointsPerSecond == 2)
        #expect(template.inputs["prompt"] == TemplateInput(node: "6", input: "text", type: .string, defaultValue: .string(""), required: true))
        #expect(template.inputs["seed"]?.type == .seed && template.inputs["width"]?.max == 2048)
    }

    @Test func tilingIsValidatedNamingTheFile() async throws {
        try folder.write(try shipped { $0["tile"] = ["size": 512, "overlap": 300] }, to: "tiles.json")
        let report = try await catalogue.seed(from: folder.url)
        #expect(report.loaded.isEmpty)
        #expect(report.rejected.map(\.message) == ["tiles.json: tile overlap must be at least 0 and below half the size, not 300"])
    }

    @Test func templatesAreFoundByNameAndKind() async throws {
        try folder.write(try shipped { $0["name"] = "upscale-2x"; $0["kind"] = "upscale" }, to: "upscale.json")
        try folder.write(try shipped { _ in }, to: "text2img.json")
        let report = try await catalogue.seed(from: folder.url)
        #expect(report.loaded == ["text2img", "upscale-2x"])
        #expect(try await catalogue.entries(of: .upscale).map(\.name) == ["upscale-2x"])
        #expect(try await catalogue.allEntries().map(\.name) == ["text2img", "upscale-2x"])
        do { _ = try await catalogue.entry(named: "nope"); Issue.record("found a missing template") }
        catch { #expect(StudioError.Code.unknownTemplate ~= error) }
    }

    @Test func aTrainingTemplateMustDeclareTheInputsTheWorkflowFills() async throws {
        let data = try Data(contentsOf: Self.shippedTemplates.appendingPathComponent("lora_train.json"))
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var inputs = json["inputs"] as! [String: Any]
        inputs["lora_prefix"] = nil
        json["inputs"] = inputs
        try folder.write(try JSONSerialization.data(withJSONObject: json), to: "train.json")
        let report = try await catalogue.seed(from: folder.url)
        #expect(report.loaded.isEmpty)
        #expect(report.rejected.map(\.message) == ["train.json: a lora_train template declares input 'lora_prefix' of type string"])
    }

    @Test func anInputOnAMissingNodeIsRejectedNamingTheFile() async throws {
        try folder.write(try shipped { json in
            var inputs = json["inputs"] as! [String: Any]
            inputs["prompt"] = ["node": "99", "input": "text", "type": "string"]
            json["inputs"] = inputs
        }, to: "broken.json")
        try folder.write(try shipped { $0["name"] = "fine" }, to: "fine.json")
        let report = try await catalogue.seed(from: folder.url)
        #expect(report.loaded == ["fine"])
        #expect(report.rejected.map(\.message) == ["broken.json: input 'prompt' refers to node 99, which is not in the graph"])
        #expect(report.rejected.first?.code == .invalidWorkflow)
        #expect(try await catalogue.allEntries().map(\.name) == ["fine"])
    }

    @Test(arguments: [
        ("links", "node 3 input 'model' links to node 42, which is not in the graph"),
        ("kind", "kind: unknown kind 'text2video' (known: text2img, img2img, upscale, rmbg, inpaint, lora_train)"),
        ("outputs", "output node 77 is not in the graph"),
        ("default", "input 'steps' default: expected at most 48 but received 60"),
        ("field", "input 'cfg' refers to 'guidance', which node 3 (KSampler) does not have"),
        ("missing", "missing 'graph'"),
        ("cost", "cost points_per_second must be above 0 and at most 1000000, not -1.0"),
    ])
    func everyKindOfBadTemplateIsRejectedClearly(defect: String, message: String) throws {
        let data = try shipped { json in
            var graph = json["graph"] as! [String: Any], inputs = json["inputs"] as! [String: Any]
            switch defect {
            case "links":
                var sampler = graph["3"] as! [String: Any], samplerInputs = sampler["inputs"] as! [String: Any]
                samplerInputs["model"] = ["42", 0]
                sampler["inputs"] = samplerInputs
                graph["3"] = sampler
            case "kind": json["kind"] = "text2video"
            case "outputs": json["outputs"] = ["77"]
            case "default": inputs["steps"] = ["node": "3", "input": "steps", "type": "int", "default": 60, "min": 1, "max": 48]
            case "field": inputs["cfg"] = ["node": "3", "input": "guidance", "type": "float"]
            case "missing": json["graph"] = nil
            default: json["cost"] = ["points_per_second": -1]
            }
            if json["graph"] != nil { json["graph"] = graph }
            json["inputs"] = inputs
        }
        let file = try folder.write(data, to: "\(defect).json")
        do {
            _ = try WorkflowCatalogue.load(file: URL(fileURLWithPath: file))
            Issue.record("accepted a template with a bad \(defect)")
        } catch let error as StudioError {
            #expect(error.code == .invalidWorkflow)
            #expect(error.message.hasPrefix("\(defect).json: "))
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func malformedJSONAndDuplicateNamesAreRejected() async throws {
        try folder.write(Data("{ not json".utf8), to: "garbage.json")
        try folder.write(try shipped { _ in }, to: "a.json")
        try folder.write(try shipped { _ in }, to: "b.json")
        let report = try await catalogue.seed(from: folder.url)
        #expect(report.loaded.isEmpty)
        #expect(Set(report.rejected.map(\.message)) == ["garbage.json: malformed JSON", "a.json, b.json: all declare the template 'text2img'"])
    }

    @Test func reseedingUpdatesChangedTemplatesAndTheyPersist() async throws {
        try folder.write(try shipped { _ in }, to: "text2img.json")
        try await catalogue.seed(from: folder.url)
        try folder.write(try shipped { $0["description"] = "second edition" }, to: "text2img.json")
        try await catalogue.seed(from: folder.url)
        let reopened = WorkflowCatalogue(store: try db.reopened().templates)
        #expect(try await reopened.entry(named: "text2img").template.description == "second edition")
    }
}
