public import Studio
import StudioPostgres
import StudioSQLite
public import Testing
import TestSupport
import Foundation

/// The Studio stores of one engine, opened on a fresh database, with the services on them.
@dynamicMemberLookup
public struct StudioStores: Sendable {
    /// The engine that stores live on (and `storage.events` carries their instances' job events).
    public let storage: StudioStorage
    public let clock: ManualClock
    /// The same database opened again, as a restarted process (or another instance) would.
    public let reopened: @Sendable () async throws -> StudioStores

    public init(_ storage: StudioStorage, clock: ManualClock, reopened: @escaping @Sendable () async throws -> StudioStores) {
        self.storage = storage
        self.clock = clock
        self.reopened = reopened
    }

    /// Every store of ``storage`` by its name: `stores.jobs`, `stores.points`…
    public subscript<Store>(dynamicMember path: KeyPath<StudioStorage, Store>) -> Store { storage[keyPath: path] }

    public var pointsService: PointsService { PointsService(store: storage.points, clock: clock) }
    public var sessionService: SessionService { SessionService(store: storage.sessions, points: pointsService, clock: clock) }
    public var catalogue: WorkflowCatalogue { WorkflowCatalogue(store: storage.templates) }
}

/// Storage of one engine as a test opens it: the stores, how to open the same database again
/// (as another process would), and how to end it (remove what it wrote).
public struct OpenedEngine: Sendable {
    public let storage: StudioStorage
    public let reopen: @Sendable () async throws -> StudioStorage
    public let end: @Sendable () async -> Void

    public init(storage: StudioStorage, reopen: @escaping @Sendable () async throws -> StudioStorage,
                end: @escaping @Sendable () async -> Void) {
        self.storage = storage
        self.reopen = reopen
        self.end = end
    }
}

/// A database engine the store contract suite runs against: every store implementation runs
/// the same tests (`StoreContractTests` and the other `…ContractTests`).
public struct StoreEngine: Sendable, CustomTestStringConvertible {
    public let name: String
    /// Opens fresh, empty storage.
    public let open: @Sendable () async throws -> OpenedEngine

    public init(name: String, open: @escaping @Sendable () async throws -> OpenedEngine) {
        self.name = name
        self.open = open
    }

    /// Runs `body` on fresh, empty stores of this engine, which live (their database with them)
    /// until `body` returns.
    public func withStores<Result>(clock: ManualClock = ManualClock(),
                                   _ body: (StudioStores) async throws -> Result) async throws -> Result {
        let engine = try await open()
        let opened = OpenedStorage()
        opened.append(engine.storage)
        @Sendable func reopen() async throws -> StudioStores {
            let another = try await engine.reopen()
            opened.append(another)
            return StudioStores(another, clock: clock, reopened: reopen)
        }
        do {
            let result = try await body(StudioStores(engine.storage, clock: clock, reopened: reopen))
            await engine.end()
            await opened.closeAll()
            return result
        } catch {
            await engine.end()
            await opened.closeAll()
            throw error
        }
    }

    public var testDescription: String { name }

    /// Every engine the contract suite runs on: SQLite, and PostgreSQL at DARKROOM_POSTGRES_URL
    /// (the test command starts one; without it the PostgreSQL cases fail saying so).
    public static var all: [StoreEngine] { [.sqlite, .postgres] }

    /// A real SQLite file in a temporary folder.
    public static let sqlite = StoreEngine(name: "SQLite") {
        let folder = TemporaryDirectory("darkroom-store")
        let path = folder.path("studio.sqlite")
        return OpenedEngine(storage: try StudioDatabase(path: path).storage,
                            reopen: { try StudioDatabase(path: path).storage },
                            end: { withExtendedLifetime(folder) {} })
    }

    /// A schema of its own on the PostgreSQL server at DARKROOM_POSTGRES_URL, dropped afterwards.
    public static let postgres = StoreEngine(name: "PostgreSQL") {
        let address = try TestPostgres.freshSchema()
        let database = try await PostgresDatabase.open(address, connections: 4)
        return OpenedEngine(storage: database.storage,
                            reopen: { try await PostgresDatabase.open(address, connections: 4).storage },
                            end: { try? await database.dropSchema() })
    }
}

/// The storage a test opened, closed together when it ends.
private final class OpenedStorage: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [StudioStorage] = []

    func append(_ storage: StudioStorage) { lock.withLock { all.append(storage) } }

    func closeAll() async {
        for storage in lock.withLock({ all.reversed() }) { await storage.close() }
    }
}
