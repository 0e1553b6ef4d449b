import ComfyUI
import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Media
import Studio
import StudioSQLite
import StudioTestSupport
import Testing
import TestSupport
import Workflows

/// The mediaProcessing workflow on real parts: a SQLite file, a content folder, real libvips,
/// the catalogue seeded from the repository's `templates/`, and the ComfyUI test server.
struct MediaProcessingFixture {
    let database: TestDatabase
    /// The in-process ComfyUI, unless the fixture was pointed at another server.
    let server: ComfyUITestServer?
    let folder: TemporaryDirectory
    let media: MediaService
    let workflow: MediaProcessing
    let user = UserID.telegramTester

    static let shippedTemplates = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates")

    /// A fixture on `comfyUI` (a real server, or one that is down), else on a new test server.
    init(comfyUI: URL? = nil, runDeadline: Duration = .seconds(60)) async throws {
        database = try TestDatabase()
        let server = comfyUI == nil ? try await ComfyUITestServer.start() : nil
        self.server = server
        folder = TemporaryDirectory("media-processing")
        let content = try LocalContentStore(folder: folder.url.appendingPathComponent("media"))
        media = MediaService(.init(records: database.database.media, content: content, clock: database.clock))
        let catalogue = WorkflowCatalogue(store: database.database.templates)
        let report = try await catalogue.seed(from: Self.shippedTemplates)
        precondition(report.rejected.isEmpty, "\(report.rejected)")
        // The shipped upscale template with small tiles (so a test image is tiled), and whole.
        let upscale = try await catalogue.entry(named: "upscale")
        var small = upscale, whole = upscale
        small.template.name = "upscale-small-tiles"
        small.tiling = TemplateTiling(size: 128, overlap: 16)
        whole.template.name = "upscale-whole"
        whole.tiling = nil
        try await database.database.templates.save([small, whole])
        let pool = ComfyUIPool(servers: [comfyUI ?? server!.url], failureThreshold: 1, requestTimeout: .seconds(60))
        workflow = MediaProcessing(.init(media: media, points: database.points, catalogue: catalogue,
                                         generator: ComfyUIRunner(pool: pool), runDeadline: runDeadline))
    }

    /// Runs `operation` on `input` for the test user.
    func run(_ operation: MediaOperation, on input: MediaInput) async throws -> MediaProcessing.Result {
        try await workflow.run(.init(user: user, input: input, operation: operation))
    }

    func code(_ body: () async throws -> Void) async -> String? { await workflowErrorCode(body) }

    /// How many requests the test server had for `endpoint` (`"POST /prompt"`).
    func requests(_ endpoint: String) async throws -> Int {
        try await #require(server).requests(endpoint)
    }

    /// The kinds of the user's ledger entries, newest first.
    func ledger() async throws -> [LedgerEntry.Kind] {
        try await database.points.ledger(of: user).map(\.kind)
    }
}
