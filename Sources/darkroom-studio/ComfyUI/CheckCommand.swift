import CommandSupport
import ArgumentParser
import ComfyUI
import ComfyUIModel
import Foundation

/// `darkroom comfyui check`: would the server accept this? Nothing is queued.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Fill a template (or take a graph) and check it against the server's /object_info, queueing nothing.",
        discussion: Help.discussion("""
            Reports unknown node classes, missing inputs, values that are not installed (a
            checkpoint, a LoRA, a sampler), numbers out of bounds and broken links, one per line,
            naming the node, its class and the input. Exits 65 when anything is wrong.
            """, examples: [
            "darkroom comfyui check templates/text2img.json --set prompt='a lighthouse' --set checkpoint=sd15.safetensors",
            "darkroom comfyui check workflow_api.json --server http://gpu1:8188 --json",
        ])
    )

    @Argument(help: "A template (graph + inputs) or an API-format graph.") var file: String
    @Option(name: .customLong("set"), help: "name=value for a template input; repeat.") var settings: [String] = []
    @Flag(help: "Print the verdict as JSON (problems included) on standard output.") var json = false
    @OptionGroup var serverOptions: ServerOptions

    /// What `--json` prints when the graph fits.
    struct Report: Encodable {
        var ok = true
        var file: String
        var server: String
        var nodes: Int
    }

    func run() async throws {
        do {
            let input = try GraphInput.load(file)
            let graph = try input.filled(with: try input.values(settings))
            let client = try await ComfyUIPool(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout).pick()
            try await client.check(graph)
            if json {
                JSONOutput.print(Report(file: file, server: client.baseURL.absoluteString, nodes: graph.count))
            } else {
                Console.line("ok: \(file) fits \(client.baseURL.absoluteString) (\(graph.count) nodes)")
            }
        }
    }
}
