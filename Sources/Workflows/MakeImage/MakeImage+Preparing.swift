import Foundation
import ComfyUIModel
import Media
import Studio
import Vips

extension MakeImage {
    /// Everything a job needs decided before points are held.
    struct Prepared: Sendable {
        var entry: CatalogueEntry
        var values: GenerationValues
        var estimate: Int
        var limits: SettingsLimits
        var watermarked: Bool
        var format: ImageFormat
        /// The input image's bytes and record (img2img).
        var image: Data?
        var inputMedia: String?
    }

    /// Merges the settings, chooses and fills the template, prices the job, fetches the input image.
    func prepare(_ request: Request) async throws -> Prepared {
        let prompt = request.prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !prompt.isEmpty, prompt.count <= Self.maximumPromptLength else {
            throw WorkflowError(.invalidParams, "the prompt must have 1 … \(Self.maximumPromptLength) characters, not \(prompt.count)")
        }
        let session = try await dependencies.sessions.session(of: request.user)
        let limits = SettingsLimits(standing: session.standing)
        let settings = try session.preferences.applying(request.settings, limits: limits)
        let entry = try await dependencies.catalogue.entry(named: request.template ?? settings.template)
        let template = entry.template
        guard template.kind == .text2img || template.kind == .img2img else {
            throw WorkflowError(.invalidParams, "template '\(entry.name)' is a \(template.kind.rawValue) template; makeImage runs text2img and img2img")
        }
        let imageInput = template.inputs.first { $0.value.type == .image }?.key
        var image: Data?, inputMedia: String?
        switch (imageInput, request.image) {
        case (nil, .some):
            throw WorkflowError(.invalidParams, "template '\(entry.name)' takes no input image")
        case (.some, nil):
            throw WorkflowError(.invalidParams, "template '\(entry.name)' needs an input image")
        case (.some, .some(let input)):
            let record = try await dependencies.media.stored(input, owner: request.user)
            image = try await dependencies.media.data(record.id, owner: request.user).data
            inputMedia = record.id
        case (nil, nil):
            break
        }
        let values = try GenerationValues(template: template, settings: settings, prompt: prompt, inputs: request.inputs)
        func number(_ name: String, _ fallback: Int) -> Int { values.values[name]?.int64.map { Int($0) } ?? fallback }
        let batch = max(1, number("batch", 1))
        let estimate = entry.pricing.estimate.map { max(1, $0 * batch) }
            ?? dependencies.points.policy.estimate(isTextToImage: template.kind == .text2img, width: number("width", settings.width),
                                                   height: number("height", settings.height), steps: number("steps", settings.steps),
                                                   batch: batch)
        return Prepared(entry: entry, values: values, estimate: estimate, limits: limits,
                        watermarked: settings.watermarkApplies(standing: session.standing), format: request.format,
                        image: image, inputMedia: inputMedia)
    }

    /// What a resumed job needs to be completed: its template's pricing and how it is delivered.
    func prepare(resuming job: GenerationJob) async throws -> Prepared {
        let entry = try await dependencies.catalogue.entry(named: job.template)
        let values = GenerationValues(recorded: job.values)
        return Prepared(entry: entry, values: values, estimate: job.estimate, limits: SettingsLimits(standing: 0),
                        watermarked: job.watermarked, format: ImageFormat(rawValue: job.format) ?? .png,
                        image: nil, inputMedia: job.inputMedia)
    }
}
