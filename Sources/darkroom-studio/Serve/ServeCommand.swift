import ArgumentParser
import ComfyUI
import CommandSupport
import Foundation
import Logging
import Server
import Studio
import StudioSQLite
import Vips
import Workflows

/// `darkroom serve`: the HTTP API on the embedded defaults, the main job.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API over the workflows (SQLite and the media store in --data).",
        discussion: Help.discussion("""
            Listens on --host:--port (DARKROOM_HOST, DARKROOM_PORT; default 127.0.0.1:8080) and
            prints where, which ComfyUI servers answer, and a first request to try. Without a
            ComfyUI server it still serves everything that does not generate. Every /v1 request
            needs an API key (`Authorization: Bearer <key>`, made with `darkroom keys create`); on
            the first start of a data folder with no key, an admin key is made and shown once.
            GET /health and GET /ready need none. Ctrl-C (or SIGTERM) stops accepting, lets the
            requests in flight finish, and exits.

            Settings (option, else environment, else default): --data DARKROOM_DATA
            ./darkroom-data; --templates DARKROOM_TEMPLATES; --server DARKROOM_COMFYUI
            http://127.0.0.1:8188 (comma-separated); --host DARKROOM_HOST 127.0.0.1; --port
            DARKROOM_PORT 8080; the key that signs on-the-fly image paths: DARKROOM_SIGNING_KEY, else
            signing.key in the data folder (made on first start; `darkroom sign` uses it). A bad
            value stops the start with a message naming it.
            """, examples: ["darkroom serve", "darkroom serve --port 9000 --server http://gpu1:8188 --templates templates"]))

    @Option(help: "The address to listen on (DARKROOM_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "The port (DARKROOM_PORT; default 8080; 0 picks a free one).") var port: Int?
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions

    func run() async throws {
        // A server runs many small images at once: one libvips thread per image, the parallelism
        // from the worker pool (as sharp does).
        VipsRuntime.configure(.server)
        let environment = ProcessInfo.processInfo.environment
        let host = host ?? environment["DARKROOM_HOST"] ?? "127.0.0.1"
        let portText = port.map(String.init) ?? environment["DARKROOM_PORT"] ?? "8080"
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw ValidationError("port (--port or DARKROOM_PORT): expected 0 … 65535, received '\(portText)'")
        }
        let servers = try serverOptions.urls()
        let composition = try await Composition(dataOptions)
        if let report = composition.seedReport, !report.rejected.isEmpty {
            report.rejected.forEach { Console.errorLine("darkroom serve: template refused: \($0.message)") }
        }
        let keys = APIKeys(store: composition.database.apiKeys)
        let firstKey = try await keys.list().isEmpty ? try await keys.create(name: "first admin key", role: .admin, platform: nil).secret : nil
        let readiness = Composition.readiness(database: composition.database, servers: servers)
        let makeImage = composition.makeImage(servers: servers, requestTimeout: serverOptions.timeout)
        let trainModel = composition.trainModel(servers: servers)
        let api = DarkroomAPI(.init(keys: keys, points: composition.points, catalogue: composition.catalogue,
                                    settings: composition.userSettings(servers: servers, requestTimeout: serverOptions.timeout),
                                    makeImage: makeImage, media: composition.media,
                                    mediaProcessing: composition.mediaProcessing(servers: servers, requestTimeout: serverOptions.timeout),
                                    trainModel: trainModel, collections: composition.collections(makeImage: makeImage),
                                    signer: URLSigner(key: try composition.signingKey()),
                                    readiness: readiness))
        // Work a stopped process left open is finished (or released) while the server serves:
        // jobs first (a cook's piece may be one), then trainings and cooks.
        Task {
            if let ended = try? await makeImage.resumeOpenJobs(), !ended.isEmpty {
                Console.line("darkroom serve: resumed \(ended.count) open job\(ended.count == 1 ? "" : "s") of an earlier run: "
                             + ended.map { "\($0.id) \($0.state.rawValue)" }.joined(separator: ", "))
            }
            async let trainings = try? trainModel.resumeOpenTraining()
            async let cooks = try? api.resumeOpenCooks()
            if let ended = await trainings, !ended.isEmpty {
                Console.line("darkroom serve: resumed \(ended.count) training\(ended.count == 1 ? "" : "s"): "
                             + ended.map { "\($0.id) \($0.state.rawValue)" }.joined(separator: ", "))
            }
            if let ended = await cooks, !ended.isEmpty {
                Console.line("darkroom serve: resumed \(ended.count) cook\(ended.count == 1 ? "" : "s"): "
                             + ended.map { "\($0.id) \($0.cook.state.rawValue)" }.joined(separator: ", "))
            }
        }
        var logger = Logger(label: "darkroom.serve")
        logger.logLevel = .warning
        try await APIServer(api: api, host: host, port: port).run(logger: logger) { bound in
            let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(bound)"
            Console.line("darkroom serve: listening on \(base) (data in \(dataOptions.dataFolder.path))")
            let state = await readiness()
            for server in state.comfyui { Console.line("  ComfyUI \(server.url.absoluteString): \(server.answers ? "answers" : "does not answer")") }
            if !state.generation { Console.line("  no ComfyUI server answers: everything that does not generate is served") }
            if let firstKey { Console.line("  made an admin key for this data folder (shown once, keep it): \(firstKey)") }
            Console.line("  try: curl \(base)/ready")
            Console.line("       curl -H 'Authorization: Bearer \(firstKey ?? "<key>")' \(base)/v1/templates")
        }
    }
}
