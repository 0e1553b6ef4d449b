import ComfyUI
import ComfyUIModel
import ComfyUITestSupport
import Foundation
import Media
import Studio
import StudioSQLite
import StudioTestSupport
import TestSupport
import Workflows
import WorkflowsTestSupport

/// makeImage on real parts: a SQLite file, a content folder, real libvips, the catalogue seeded
/// from `templates/`, the ComfyUI test server. `restarted()` opens a second instance over the
/// same database and content folder, as a process started again would.
struct MakeImageFixture {
    let database: TestDatabase
    let server: ComfyUITestServer
    let folder: TemporaryDirectory
    let workflow: MakeImage
    let media: MediaService
    let user = UserID.telegramTester

    /// The test server's models: what every request here names.
    static let models: [String: JSONValue] = ["lora": .string("tiny-random-lora.safetensors")]
    static let small: [String: SettingValue] = ["checkpoint": .string("tiny-random-sd15.safetensors"), "width": .int(64),
                                                "height": .int(64), "steps": .int(4)]

    init(server: ComfyUITestServer? = nil, database: TestDatabase? = nil, folder: TemporaryDirectory? = nil,
         deadline: Duration = .seconds(60), queuePollInterval: Duration = .seconds(2), leaseRenewal: Duration? = nil,
         generator: ((ComfyUIRunner) -> any ImageGenerating)? = nil) async throws {
        self.database = try database ?? TestDatabase()
        if let server { self.server = server } else { self.server = try await ComfyUITestServer.start() }
        self.folder = folder ?? TemporaryDirectory("make-image")
        let content = try LocalContentStore(folder: self.folder.url.appendingPathComponent("media"))
        media = MediaService(.init(records: self.database.database.media, content: content, clock: self.database.clock))
        let catalogue = WorkflowCatalogue(store: self.database.database.templates)
        _ = try await catalogue.seed(from: MediaProcessingFixture.shippedTemplates)
        // 60 s a request: the test server answers from inside the test process, late while the
        // whole run shares two cores (a timeout here guards against hangs, not slowness).
        let runner = ComfyUIRunner(pool: ComfyUIPool(servers: [self.server.url], failureThreshold: 1, requestTimeout: .seconds(60)))
        workflow = MakeImage(.init(sessions: self.database.sessions, points: self.database.points, catalogue: catalogue,
                                   jobs: self.database.database.jobs, media: media, generator: generator?(runner) ?? runner,
                                   clock: self.database.clock, deadline: deadline, queuePollInterval: queuePollInterval,
                                   leases: JobLeases(store: self.database.database.leases, renewal: leaseRenewal)))
    }

    /// How often a process that is about to die renews its leases: never (in a test's time), so
    /// they end 30 s (on the test's clock) after they were taken.
    static let dying: Duration = .seconds(86_400)

    /// A second instance over the same database, content folder and server.
    func restarted() async throws -> MakeImageFixture {
        try await MakeImageFixture(server: server, database: database, folder: folder)
    }

    func request(_ prompt: String = "a lighthouse at dusk", settings: [String: SettingValue] = [:]) -> MakeImage.Request {
        MakeImage.Request(user: user, prompt: prompt, settings: Self.small.merging(settings) { $1 }, inputs: Self.models)
    }

    func code(_ body: () async throws -> Void) async -> String? { await workflowErrorCode(body) }

    func ledger() async throws -> [LedgerEntry.Kind] { try await database.points.ledger(of: user).map(\.kind) }

    /// Waits until job `id` reaches one of `states` (it was recorded and moved on), 60 s at most:
    /// the whole test run shares two cores at its start.
    func waitForJob(_ id: String, in states: Set<GenerationJob.State>) async throws -> GenerationJob {
        for _ in 0..<6_000 {
            if let job = try await database.database.jobs.job(id: id), states.contains(job.state) { return job }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }
}

