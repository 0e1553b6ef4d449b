import CommandSupport
import ArgumentParser
import ComfyUI
import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// `darkroom comfyui run`: fill, upload, submit, follow, save.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a template or graph on a server and save every output image.",
        discussion: Help.discussion("""
            Image inputs given as local files are uploaded first. The graph is checked against
            the server before it is queued. Progress shows live (a bar on a terminal, lines
            otherwise). Prints the prompt id, the run time the server measured, whether it was
            cached, and the saved files. Ctrl-C interrupts the prompt on the server, then exits 130.
            """, examples: [
            "darkroom comfyui run templates/text2img.json --set prompt='a lighthouse at dusk' --out renders/",
            "darkroom comfyui run upscale.json --set image=photo.png --timeout 300 --json",
        ])
    )

    @Argument(help: "A template (graph + inputs) or an API-format graph.") var file: String
    @Option(name: .customLong("set"), help: "name=value for a template input; repeat. Image inputs may name local files.") var settings: [String] = []
    @Option(help: "Folder for the output images.") var out = "."
    @Option(help: "Seconds the run may take before it is interrupted.") var timeout: Double = 600
    @Flag(help: "Print the result (or the failure) as JSON on standard output; progress stays on standard error.") var json = false
    @OptionGroup var serverOptions: ServerOptions

    /// What a finished run prints with `--json`.
    struct Report: Encodable {
        struct SavedImage: Encodable {
            var node: String
            var path: String
            var bytes: Int
        }
        var promptID: String
        var server: String
        var runSeconds: Double
        var cached: Bool
        var seed: JSONValue?
        var images: [SavedImage]
    }

    func run() async throws {
        try await JSONOutput.reportingFailures(json) { try await execute() }
    }

    private func execute() async throws {
        let input = try GraphInput.load(file)
        var values = try GraphInput.values(settings)
        let client = try await ComfyUIPool(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout).pick()
        for (name, declared) in input.template?.inputs ?? [:] where declared.type == .image {
            if let path = values[name]?.string, FileManager.default.fileExists(atPath: path) {
                guard let bytes = FileManager.default.contents(atPath: path) else { throw Failure(.input, "\(path): cannot be read") }
                let uploaded = try await client.upload(bytes, filename: URL(fileURLWithPath: path).lastPathComponent)
                values[name] = .string(uploaded)
            }
        }
        let (graph, used) = try input.filled(with: values)
        try await client.check(graph)
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw Failure(.processing, "\(out): cannot create the output folder; nothing was queued")
        }
        let progress = RunProgress()
        let task = Task {
            try await client.run(graph, clientID: ComfyUIClient.newClientID("cli"),
                                 deadline: .milliseconds(Int64(max(1, timeout) * 1000))) { progress.show($0) }
        }
        let interrupt = InterruptHandler { task.cancel() }
        defer { interrupt.stop() }
        let result: RunResult
        do { result = try await task.value } catch is CancellationError {
            progress.finish()
            throw Failure(.interrupted, "interrupted: the prompt was stopped on the server")
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        var saved: [Report.SavedImage] = []
        for image in result.images {
            let path = URL(fileURLWithPath: out).appendingPathComponent(image.file.filename).path
            do { try image.bytes.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw Failure(.processing, "\(path): cannot be written; prompt \(result.promptID) ran, and its images stay on the server")
            }
            saved.append(.init(node: image.node, path: path, bytes: image.bytes.count))
        }
        if json {
            JSONOutput.print(Report(promptID: result.promptID, server: client.baseURL.absoluteString, runSeconds: result.runSeconds,
                                    cached: result.cached, seed: used["seed"], images: saved))
            return
        }
        Console.line("prompt \(result.promptID) on \(client.baseURL.absoluteString)")
        if let seed = used["seed"] { Console.line("seed \(seed)") }
        Console.line("run time \(Format.decimal(result.runSeconds, places: 2)) s (measured by the server)\(result.cached ? ", cached" : "")")
        for image in saved { Console.line("saved \(image.path)") }
    }
}

/// Shows run events: a one-line bar on a terminal, plain lines otherwise (on standard error).
final class RunProgress: Sendable {
    private let isTerminal = Console.standardErrorIsTerminal

    func show(_ event: RunEvent) {
        switch event {
        case .queued(let id): Console.errorLine("queued \(id)")
        case .started: Console.errorLine("started")
        case .cached(let nodes): Console.errorLine("cached nodes \(nodes.joined(separator: ", "))")
        case .executing(let node):
            if isTerminal { Console.error("\r\u{1B}[Knode \(node)") } else { Console.errorLine("node \(node)") }
        case .progress(let node, let value, let max):
            if isTerminal {
                let filled = max > 0 ? 20 * value / max : 20
                Console.error("\r\u{1B}[Knode \(node ?? "?") \(String(repeating: "█", count: filled))\(String(repeating: "░", count: 20 - filled)) \(value)/\(max)")
            } else {
                Console.errorLine("node \(node ?? "?") step \(value)/\(max)")
            }
        case .preview: break
        case .socketDropped: Console.errorLine("connection lost; reconnecting and polling the server")
        }
    }

    func finish() { if isTerminal { Console.error("\r\u{1B}[K") } }
}

/// Runs `action` on the first Ctrl-C (SIGINT) while it exists.
final class InterruptHandler {
    private let source: any DispatchSourceSignal

    init(_ action: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: action)
        source.resume()
        self.source = source
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
