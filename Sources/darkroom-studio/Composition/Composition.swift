import ArgumentParser
import ComfyUI
import ComfyUIModel
import CommandSupport
import Server
import Foundation
import Media
import Studio
import StudioPostgres
import StudioSQLite
import Workflows

/// The composition root: the database (the SQLite file in the data folder, or the PostgreSQL
/// server --database names), the content folder in the data folder, the catalogue seeded from
/// the templates folder, the ComfyUI pool. The one place that picks concrete adapters; the
/// workflows see only what their `Dependencies` name.
struct Composition {
    let storage: StudioStorage
    let media: MediaService
    let points: PointsService
    let catalogue: WorkflowCatalogue
    let seedReport: WorkflowCatalogue.SeedReport?
    let dataFolder: URL
    /// The leases under which this process follows jobs: one for every workflow of the process.
    let leases: JobLeases

    /// Opens (creating) the data folder and opens and migrates the database.
    init(_ options: DataOptions) async throws {
        let folder = options.dataFolder
        dataFolder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let address = try options.postgresAddress() {
            do {
                storage = try await PostgresDatabase.open(address, connections: options.databaseConnections).storage
            } catch let error as PostgresUnavailable {
                throw Failure(.unavailable, error.description, code: "database_unavailable")
            }
        } else {
            storage = try StudioDatabase(path: folder.appendingPathComponent("studio.sqlite").path).storage
        }
        leases = JobLeases(store: storage.leases, duration: options.jobLease)
        let content = try LocalContentStore(folder: folder.appendingPathComponent("media"))
        media = MediaService(.init(records: storage.media, content: content,
                                   fetcher: MediaFetcher(limits: FetchLimits(addresses: try options.addressPolicy()))))
        points = PointsService(store: storage.points)
        catalogue = WorkflowCatalogue(store: storage.templates)
        seedReport = if let templates = options.templatesFolder { try await catalogue.seed(from: templates) } else { nil }
    }

    /// The session service over the database.
    var sessions: SessionService { SessionService(store: storage.sessions, points: points) }

    /// The makeImage workflow, generating on `servers`. Without servers it can still list jobs
    /// and cancel them: a job's ticket names the server it went to.
    func makeImage(servers: [URL] = [], requestTimeout: Duration = .seconds(10), deadline: Duration = .seconds(600)) -> MakeImage {
        let pool = ComfyUIPool(servers: servers, requestTimeout: requestTimeout)
        return MakeImage(.init(sessions: sessions, points: points,
                               catalogue: catalogue, jobs: storage.jobs, media: media, generator: ComfyUIRunner(pool: pool),
                               deadline: deadline, leases: leases))
    }

    /// The settings workflow, asking `servers` what they list.
    func userSettings(servers: [URL], requestTimeout: Duration) -> UserSettings {
        let pool = ComfyUIPool(servers: servers, failureThreshold: 1, requestTimeout: requestTimeout)
        return UserSettings(.init(sessions: sessions, catalogue: catalogue,
                                  generator: ComfyUIRunner(pool: pool)))
    }

    /// The trainModel workflow, training on `servers` with `template` (a `lora_train` one; `nil`:
    /// the catalogue's first) and `values` for its inputs; submissions wait for review unless
    /// `review` says otherwise, or DARKROOM_TRAINING_REVIEW is `off` (or `false`, `no`, `0`).
    func trainModel(servers: [URL] = [], requestTimeout: Duration = .seconds(30), template: String? = nil,
                    values: [String: JSONValue] = [:], deadline: Duration = .seconds(4 * 3_600), review: Bool? = nil) -> TrainModel {
        let review = review ?? ProcessInfo.processInfo.environment["DARKROOM_TRAINING_REVIEW"]
            .map { !["off", "false", "no", "0"].contains($0.lowercased()) } ?? true
        let pool = ComfyUIPool(servers: servers, requestTimeout: requestTimeout)
        return TrainModel(.init(media: media, points: points, datasets: storage.datasets, catalogue: catalogue,
                                trainer: ComfyUIRunner(pool: pool), reviewRequired: review, trainingTemplate: template,
                                trainingValues: values, trainingDeadline: deadline, leases: leases))
    }

    /// The mediaProcessing workflow, its ComfyUI work on `servers`.
    func mediaProcessing(servers: [URL], requestTimeout: Duration) -> MediaProcessing {
        let pool = ComfyUIPool(servers: servers, requestTimeout: requestTimeout)
        return MediaProcessing(.init(media: media, points: points, catalogue: catalogue, generator: ComfyUIRunner(pool: pool)))
    }

    /// The collections workflow, cooking through makeImage on `servers`.
    func collections(servers: [URL] = [], requestTimeout: Duration = .seconds(10)) -> Collections {
        collections(makeImage: makeImage(servers: servers, requestTimeout: requestTimeout))
    }

    /// The collections workflow, cooking through `makeImage`.
    func collections(makeImage: MakeImage) -> Collections {
        Collections(.init(collections: storage.collections, media: media, makeImage: makeImage, datasets: storage.datasets))
    }

    /// What `GET /ready` reports: a query on the database, and each ComfyUI server asked for its
    /// queue within 2 s.
    static func readiness(storage: StudioStorage, servers: [URL]) -> @Sendable () async -> Readiness {
        { () async -> Readiness in
            let databaseAnswers = await storage.answers()
            var states: [Readiness.Server] = []
            for url in servers {
                let answers = (try? await ComfyUIClient(baseURL: url, requestTimeout: .seconds(2)).queueRemaining()) != nil
                states.append(Readiness.Server(url: url, answers: answers))
            }
            return Readiness(database: databaseAnswers, comfyui: states)
        }
    }

    /// The key that signs on-the-fly image paths: `hex` (as `serve` resolved it), else
    /// DARKROOM_SIGNING_KEY (64 hex digits or more), else `signing.key` in the data folder, made
    /// (readable by its owner only) when missing.
    func signingKey(hex given: String? = nil) throws -> Data {
        if let text = given ?? ProcessInfo.processInfo.environment["DARKROOM_SIGNING_KEY"] {
            guard let key = Self.bytes(hex: text), key.count >= 32 else {
                throw ValidationError("signing.key (DARKROOM_SIGNING_KEY): expected 64 or more hex digits")
            }
            return key
        }
        let file = dataFolder.appendingPathComponent("signing.key")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            guard let key = Self.bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 else {
                throw ValidationError("\(file.path): expected 64 or more hex digits")
            }
            return key
        }
        let key = URLSigner.newKey()
        let hex = key.map { String(format: "%02x", $0) }.joined()
        guard FileManager.default.createFile(atPath: file.path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("\(file.path): cannot be written")
        }
        return key
    }

    static func bytes(hex: String) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var data = Data()
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            data.append(byte)
        }
        return data
    }
}
