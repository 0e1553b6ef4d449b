import CommandSupport
import ArgumentParser
import ComfyUI
import ComfyUIModel
import Foundation

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
        let input = try GraphInput.load(file)
        var values = try input.values(settings)
        var uploads: [String: RunRequest.Upload] = [:]
        for (name, declared) in input.template?.inputs ?? [:] where declared.type == .image {
            guard let path = values[name]?.string, FileManager.default.fileExists(atPath: path) else { continue }
            guard let bytes = FileManager.default.contents(atPath: path) else { throw Failure(.input, "\(path): cannot be read") }
            uploads[name] = RunRequest.Upload(data: bytes, filename: URL(fileURLWithPath: path).lastPathComponent)
            values[name] = nil
        }
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw Failure(.processing, "\(out): cannot create the output folder; nothing was queued")
        }
        let request = RunRequest(input.source(values), uploads: uploads, clientID: ClientID.new("cli"),
                                 deadline: .milliseconds(Int64(min(max(1, timeout), 86_400 * 7) * 1000)))
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout))
        let progress = RunProgress()
        let task = Task { try await runner.run(request) { progress.show($0) } }
        let interrupt = InterruptSignal { task.cancel() }
        defer { interrupt.stop() }
        let outcome: RunOutcome
        do { outcome = try await task.value } catch is CancellationError {
            progress.finish()
            throw Failure(.interrupted, "interrupted: the prompt was stopped on the server")
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        let result = outcome.result, server = outcome.ticket.server.absoluteString
        var names = OutputNames()
        var saved: [Report.SavedImage] = []
        for image in result.images {
            let path = URL(fileURLWithPath: out).appendingPathComponent(names.claim(image.file.filename)).path
            do { try image.bytes.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw Failure(.processing, "\(path): cannot be written; prompt \(result.promptID) ran, and its images stay on the server")
            }
            saved.append(.init(node: image.node, path: path, bytes: image.bytes.count))
        }
        if json {
            JSONOutput.print(Report(promptID: result.promptID, server: server, runSeconds: result.runSeconds,
                                    cached: result.cached, seed: outcome.values["seed"], images: saved))
            return
        }
        Console.line("prompt \(result.promptID) on \(server)")
        if let seed = outcome.values["seed"] { Console.line("seed \(seed)") }
        Console.line("run time \(Format.decimal(result.runSeconds, places: 2)) s (measured by the server)\(result.cached ? ", cached" : "")")
        for image in saved { Console.line("saved \(image.path)") }
    }
}

/// Shows run events: a one-line bar on a terminal, plain lines otherwise (on standard error).
final class RunProgress: Sendable {
    private let isTerminal = Console.standardErrorIsTerminal

    func show(_ event: RunEvent) {
        switch event {
        case .serverChosen(let url): Console.errorLine("server \(url.absoluteString)")
        case .uploaded(let input, let name): Console.errorLine("uploaded \(input) as \(name)")
        case .queued(let id): Console.errorLine("queued \(id)")
        case .started: Console.errorLine("started")
        case .cached(let nodes): Console.errorLine("cached nodes \(nodes.joined(separator: ", "))")
        case .executing(let node):
            if isTerminal { Console.error("\r\u{1B}[Knode \(Console.safe(node))") } else { Console.errorLine("node \(node)") }
        case .progress(let node, let value, let max):
            if isTerminal {
                // The watcher keeps 0 ≤ value ≤ max, so the bar is never longer than 20.
                let filled = max > 0 ? 20 * value / max : 20
                Console.error("\r\u{1B}[Knode \(Console.safe(node ?? "?")) \(String(repeating: "█", count: filled))\(String(repeating: "░", count: 20 - filled)) \(value)/\(max)")
            } else {
                Console.errorLine("node \(node ?? "?") step \(value)/\(max)")
            }
        case .preview: break
        case .socketDropped: Console.errorLine("connection lost; reconnecting and polling the server")
        }
    }

    func finish() { if isTerminal { Console.error("\r\u{1B}[K") } }
}
