import ComfyUIModel
import Studio

/// The template input values of a generation: the merged settings mapped onto the inputs the
/// template declares (the user's base prompt before the prompt, a seed of -1 drawn now so the
/// job records the seed it ran with), then the request's own input values.
struct GenerationValues {
    var values: [String: JSONValue]
    var seed: Int64?

    /// The values a job recorded.
    init(recorded values: [String: JSONValue]) {
        self.values = values
        self.seed = values["seed"]?.int64
    }

    init(template: WorkflowTemplate, settings: GenerationSettings, prompt: String, inputs: [String: JSONValue]) throws {
        let unknown = inputs.keys.filter { template.inputs[$0] == nil }.sorted()
        guard unknown.isEmpty else {
            throw WorkflowError(.invalidParams, "template '\(template.name)' has no input \(unknown.map { "'\($0)'" }.joined(separator: ", ")); it has \(template.inputs.keys.sorted().joined(separator: ", "))")
        }
        var seed = settings.seed
        if seed == -1 { seed = Int64.random(in: 0...4_294_967_295) }
        let base = settings.basePrompt.map { $0.isEmpty ? "" : "\($0), " } ?? ""
        var mapped: [String: JSONValue] = [
            "prompt": .string(base + prompt),
            "negative_prompt": .string(settings.negativePrompt),
            "width": .integer(Int64(settings.width)),
            "height": .integer(Int64(settings.height)),
            "steps": .integer(Int64(settings.steps)),
            "batch": .integer(Int64(settings.batch)),
            "cfg": .number(settings.cfg),
            "sampler": .string(settings.sampler),
            "scheduler": .string(settings.scheduler),
            "seed": .integer(seed),
            "denoise": .number(settings.strength),
        ]
        if let checkpoint = settings.checkpoint { mapped["checkpoint"] = .string(checkpoint) }
        var values = mapped.filter { template.inputs[$0.key] != nil }
        values.merge(inputs) { $1 }
        self.values = values
        self.seed = template.inputs["seed"] == nil ? nil : values["seed"]?.int64
    }
}
