public import Studio
import StudioSQLite
public import Testing
import TestSupport

/// The Studio stores of one engine, opened on a fresh database, with the services on them.
public struct StudioStores: Sendable {
    public let points: any PointsStore
    public let sessions: any SessionStore
    public let templates: any TemplateStore
    public let media: any MediaStore
    public let jobs: any JobStore
    public let datasets: any DatasetStore
    public let collections: any CollectionStore
    public let clock: ManualClock
    /// The same database opened again, as a restarted process (or another instance) would.
    public let reopened: @Sendable () throws -> StudioStores
    /// Keeps the database's folder (or server schema) alive as long as the stores.
    let lifetime: any Sendable

    public var pointsService: PointsService { PointsService(store: points, clock: clock) }
    public var sessionService: SessionService { SessionService(store: sessions, points: pointsService, clock: clock) }
    public var catalogue: WorkflowCatalogue { WorkflowCatalogue(store: templates) }
}

/// A database engine the store contract suite runs against: every store implementation runs
/// the same tests (`StoreContractTests`). SQLite today; PostgreSQL joins it with its stores.
public struct StoreEngine: Sendable, CustomTestStringConvertible {
    public let name: String
    private let open: @Sendable (ManualClock) throws -> StudioStores

    public init(name: String, open: @escaping @Sendable (ManualClock) throws -> StudioStores) {
        self.name = name
        self.open = open
    }

    /// Runs `body` on fresh, empty stores of this engine, which live (their database with them)
    /// until `body` returns.
    public func withStores<Result>(clock: ManualClock = ManualClock(),
                                   _ body: (StudioStores) async throws -> Result) async throws -> Result {
        let stores = try open(clock)
        defer { withExtendedLifetime(stores) {} }
        return try await body(stores)
    }

    public var testDescription: String { name }

    /// Every engine this machine can run.
    public static var all: [StoreEngine] { [.sqlite] }

    /// A real SQLite file in a temporary folder.
    public static let sqlite = StoreEngine(name: "SQLite") { clock in
        let folder = TemporaryDirectory("darkroom-store")
        let path = folder.path("studio.sqlite")
        @Sendable func open() throws -> StudioStores {
            let database = try StudioDatabase(path: path)
            return StudioStores(points: database.points, sessions: database.sessions, templates: database.templates,
                                media: database.media, jobs: database.jobs, datasets: database.datasets,
                                collections: database.collections, clock: clock, reopened: open, lifetime: folder)
        }
        return try open()
    }
}
