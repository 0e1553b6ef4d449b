import CommandSupport
import ArgumentParser
import ComfyUI
import ComfyUIModel
import Foundation

/// `darkroom comfyui status`: each server's health, version, devices and queue.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each server: reachable or not, version, devices and memory, queue, and which is picked next.",
        discussion: Help.discussion("Exits 69 when no server answers.", examples: [
            "darkroom comfyui status",
            "darkroom comfyui status --server http://gpu1:8188 --server http://gpu2:8188 --json",
        ])
    )

    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var url: String
        var reachable: Bool
        var error: String?
        var version: String?
        var devices: [String]?
        var ramFreeMiB: Int64?
        var running: Int?
        var pending: Int?
        var next: Bool
    }

    func run() async throws {
        let urls = try serverOptions.urls()
        var reports: [Report] = []
        for url in urls {
            let client = ComfyUIClient(baseURL: url, requestTimeout: serverOptions.timeout)
            do {
                let stats = try await client.systemStats()
                let queue = try await client.queue()
                reports.append(Report(url: url.absoluteString, reachable: true, version: stats.system.comfyuiVersion,
                                      devices: stats.devices.map { "\($0.name) (\($0.type), \($0.vramFree / 1_048_576) MiB free)" },
                                      ramFreeMiB: stats.system.ramFree / 1_048_576, running: queue.running.count,
                                      pending: queue.pending.count, next: false))
            } catch let error as ComfyUIError {
                reports.append(Report(url: url.absoluteString, reachable: false, error: error.message, next: false))
            }
        }
        if let next = try? await ComfyUIPool(servers: urls, requestTimeout: serverOptions.timeout).pick(),
           let index = reports.firstIndex(where: { $0.url == next.baseURL.absoluteString }) {
            reports[index].next = true
        }
        guard reports.contains(where: \.reachable) else {
            throw Failure(.unavailable, (["no ComfyUI server answers"] + reports.map { "  \($0.url): \($0.error ?? "no answer")" })
                            .joined(separator: "\n"), problems: reports.map {
                Failure.Problem(message: "\($0.url): \($0.error ?? "no answer")")
            })
        }
        if json {
            JSONOutput.print(reports)
        } else {
            for report in reports {
                if report.reachable {
                    Console.line("\(report.url)  up  ComfyUI \(report.version ?? "?")  queue \(report.running ?? 0) running, \(report.pending ?? 0) pending  RAM \(report.ramFreeMiB ?? 0) MiB free\(report.next ? "  ← next" : "")")
                    for device in report.devices ?? [] { Console.line("    \(device)") }
                } else {
                    Console.line("\(report.url)  down  \(report.error ?? "")")
                }
            }
        }
    }
}
