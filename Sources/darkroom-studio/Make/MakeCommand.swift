import ArgumentParser
import CommandSupport
import ComfyUIModel
import Foundation
import Media
import Studio
import Vips
import Workflows

/// `darkroom make "a prompt"`: the makeImage workflow on the embedded store.
struct MakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make",
        abstract: "Generate images from a prompt: held points, a recorded job, live progress, post-processed and stored results.",
        discussion: Help.discussion("""
            Settings come from --set over the user's preferences over the defaults (width, height,
            steps, batch, cfg, strength, seed, sampler, scheduler, negative_prompt, base_prompt,
            checkpoint, template, watermark), checked against the user's limits; any other --set
            name is a template input (lora, lora_strength…), read by its declared type. The images
            are stored in the data folder and written to --out. --resume finishes (or releases) the
            jobs a stopped run left open instead of starting one. Servers: --server, else
            DARKROOM_COMFYUI, else http://127.0.0.1:8188.

            Exit codes: 0 success, 64 bad usage, 65 refused (invalid settings or parameters, not
            enough points, too many jobs, a graph the server refuses), 69 no server answers, 70
            the run failed, 75 timed out, 130 interrupted (the prompt is stopped and the points released).
            """, examples: [
                "darkroom make 'a lighthouse at dusk' --set checkpoint=v1-5-pruned-emaonly.safetensors",
                "darkroom make 'a cat' --set width=512 --set height=512 --set steps=20 --set seed=42 --out renders/",
                "darkroom make --resume",
            ])
    )

    @Argument(help: "The prompt.") var prompt: String?
    @Option(help: "The template (default: the user's preference, text2img).") var template: String?
    @Option(name: .customLong("set"), help: "name=value: a setting or a template input; repeat for several.") var assignments: [String] = []
    @Option(help: "An input image (img2img): a file.") var image: String?
    @Option(help: "The folder the images are written to.") var out = "."
    @Option(help: "The images' format: png, jpeg, webp, avif.") var format = "png"
    @Option(help: "Seconds the job may take from submission.") var timeout: Double = 600
    @Flag(help: "Finish or release the jobs a stopped run left open, instead of starting one.") var resume = false
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Print the result (or the failure) as JSON; progress stays on standard error.") var json = false

    struct Report: Encodable {
        var job: String
        var seed: Int64?
        var cost: Int
        var available: Int
        var runSeconds: Double
        var images: [Saved]
        struct Saved: Encodable {
            var media: String
            var preview: String
            var path: String
            var width: Int?
            var height: Int?
        }
    }

    func run() async throws {
        let user = try dataOptions.userID()
        guard let format = ImageFormat(rawValue: format == "jpg" ? "jpeg" : format) else {
            throw ValidationError("--format must be one of \(ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(format)'")
        }
        let composition = try await Composition(dataOptions)
        let workflow = composition.makeImage(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout,
                                             deadline: .milliseconds(Int64(min(max(1, timeout), 86_400) * 1000)))
        if resume {
            let ended = try await workflow.resumeOpenJobs()
            if ended.isEmpty { Console.line("no open jobs") }
            for job in ended { Console.line("\(job.id): \(job.state.rawValue)\(job.failure.map { " (\($0.code): \($0.message))" } ?? "")") }
            return
        }
        guard let prompt else { throw ValidationError("give a prompt, or --resume") }
        let (settings, inputs) = try await parseAssignments(catalogue: composition.catalogue, user: user, composition: composition)
        var input: MediaInput?
        if let image {
            guard let data = FileManager.default.contents(atPath: image) else { throw Failure(.input, "\(image): cannot be read") }
            input = .upload(data)
        }
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw Failure(.processing, "\(out): cannot create the output folder; nothing was queued")
        }
        let request = MakeImage.Request(user: user, prompt: prompt, template: template, settings: settings, inputs: inputs,
                                        image: input, format: format)
        let progress = RunProgress()
        let task = Task {
            try await workflow.run(request) { event in
                switch event {
                case .held(let job, let points): Console.errorLine("job \(job): \(points) points held")
                case .queued(let position, let wait):
                    let place = position.map { $0 == 0 ? "queued: next" : "queued: \($0) ahead" } ?? "queued"
                    Console.errorLine(place + (wait.map { ", ready in about \(Format.roughly($0))" } ?? ""))
                case .generation(let event): progress.show(event)
                case .finishing:
                    progress.finish()
                    Console.errorLine("post-processing and storing")
                }
            }
        }
        let interrupt = InterruptSignal { task.cancel() }
        defer { interrupt.stop() }
        let result: MakeImage.Result
        do { result = try await task.value } catch {
            progress.finish()
            throw error
        }
        var saved: [Report.Saved] = []
        for (index, image) in result.images.enumerated() {
            let data = try await composition.media.data(image.media.id, owner: user).data
            let name = "\(result.job.suffix(8))-\(index + 1).\(format.fileExtension)"
            let path = URL(fileURLWithPath: out).appendingPathComponent(name).path
            do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw Failure(.processing, "\(path): cannot be written; the image is stored as \(image.media.id)")
            }
            saved.append(.init(media: image.media.id, preview: image.preview.id, path: path, width: image.media.width, height: image.media.height))
        }
        if json {
            return JSONOutput.print(Report(job: result.job, seed: result.seed, cost: result.cost, available: result.available,
                                           runSeconds: result.runSeconds, images: saved))
        }
        for image in saved { Console.line("saved \(image.path) (\(image.width ?? 0)×\(image.height ?? 0), media \(image.media))") }
        if let seed = result.seed { Console.line("seed \(seed)") }
        Console.line("charged \(result.cost) point\(result.cost == 1 ? "" : "s") for \(Format.decimal(result.runSeconds, places: 2)) s of ComfyUI time; \(result.available) available")
    }

    /// `--set` split into settings (validated by the workflow) and template inputs (typed by the template).
    private func parseAssignments(catalogue: WorkflowCatalogue, user: UserID,
                                  composition: Composition) async throws -> ([String: SettingValue], [String: JSONValue]) {
        var settings: [String: SettingValue] = [:], raw: [String: String] = [:]
        for assignment in assignments {
            let (name, value) = try TemplateValues.split(assignment)
            if GenerationSettings.settingNames.contains(name) { settings[name] = SettingValue(parsing: value) } else { raw[name] = value }
        }
        guard !raw.isEmpty else { return (settings, [:]) }
        let name = template ?? settings["template"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "text2img"
        let entry: CatalogueEntry
        do { entry = try await catalogue.entry(named: name) } catch { throw WorkflowExit.failure(WorkflowError(error)) }
        let inputs = try TemplateValues.parse(raw, for: entry.template, unknown: "neither a setting nor an input")
        return (settings, inputs)
    }
}

extension SettingValue {
    /// A command-line value: a whole number, a number, true/false, null, or text.
    init(parsing text: String) {
        if let value = Int64(text) { self = .int(value) }
        else if let value = Double(text), value.isFinite { self = .double(value) }
        else if text == "true" || text == "false" { self = .bool(text == "true") }
        else if text == "null" { self = .null }
        else { self = .string(text) }
    }
}
