import ArgumentParser
import ComfyUIModel
import CommandSupport
import Foundation
import Studio
import Workflows

/// `darkroom train start <id>`: trains an approved dataset on ComfyUI, with progress.
struct TrainStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Train an approved dataset on ComfyUI: upload, train, fetch and store the LoRA.",
        discussion: Help.discussion("""
            The dataset's prepared images and captions go to an input subfolder of one server, the
            lora_train template runs (--set its inputs: checkpoint, steps, rank, learning_rate,
            batch_size, seed, training_dtype, lora_dtype), and the saved LoRA is fetched, checked and
            stored as the owner's model. The held price is settled when it is stored and released if
            the run fails. Ctrl-C interrupts the run on the server. --resume picks up trainings a
            stopped process left open. Servers: --server, else DARKROOM_COMFYUI, else
            http://127.0.0.1:8188.

            Exit codes: 0 trained, 64 bad usage, 65 refused (not approved, unknown dataset or
            template, a graph the server cannot run), 69 no server answers, 70 the run failed,
            75 timed out, 130 interrupted.
            """, examples: [
                "darkroom train start ds-0b5f… --set checkpoint=sd15.safetensors --set steps=400",
                "darkroom train start --resume",
            ]))

    @Argument(help: "The dataset id.") var id: String?
    @Option(name: .customLong("set"), help: "A template input, name=value; repeat for several.") var assignments: [String] = []
    @Option(help: "The lora_train template (default: the catalogue's first).") var template: String?
    @Option(help: "Hours the training may take from submission.") var hours: Double = 4
    @Flag(help: "Finish or release the trainings a stopped run left open, instead of starting one.") var resume = false
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Print the dataset as JSON; progress stays on standard error.") var json = false

    func validate() throws {
        guard resume == (id == nil) else { throw ValidationError(resume ? "--resume takes no dataset id" : "give a dataset id, or --resume") }
    }

    func run() async throws {
        let composition = try await Composition(dataOptions)
        let values = try await parsedValues(composition.catalogue)
        let workflow = composition.trainModel(servers: try serverOptions.urls(), requestTimeout: max(serverOptions.timeout, .seconds(30)),
                                              template: template, values: values,
                                              deadline: .milliseconds(Int64(min(max(0.001, hours), 72) * 3_600_000)))
        if resume {
            let ended = try await WorkflowExit.running { try await workflow.resumeOpenTraining() }
            if ended.isEmpty { Console.line("no training was left open") }
            ended.forEach { DatasetOutput.print($0, json: json) }
            return
        }
        let user = try dataOptions.userID()
        let progress = RunProgress()
        let id = self.id ?? ""
        let task = Task { try await workflow.train(id, owner: user) { progress.show($0) } }
        let interrupt = InterruptSignal { task.cancel() }
        defer { interrupt.stop() }
        let dataset: TrainingDataset
        do { dataset = try await WorkflowExit.running { try await task.value } } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        DatasetOutput.print(dataset, json: json)
    }

    /// `--set` typed by the template's inputs.
    private func parsedValues(_ catalogue: WorkflowCatalogue) async throws -> [String: JSONValue] {
        guard !assignments.isEmpty else { return [:] }
        let entry = try await WorkflowExit.running {
            if let template { return try await catalogue.entry(named: template) }
            guard let first = try await catalogue.entries(of: .loraTrain).first else {
                throw WorkflowError(.unknownTemplate, "the catalogue has no lora_train template")
            }
            return first
        }
        let raw = try Dictionary(assignments.map { try TemplateValues.split($0) }) { $1 }
        return try TemplateValues.parse(raw, for: entry.template)
    }
}
