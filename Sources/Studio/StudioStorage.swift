/// Every store of one database, as the composition root hands them to the services: the
/// embedded SQLite file or a PostgreSQL server shared by several instances. Callers see only the
/// store protocols; which engine stands behind them is the composition root's choice.
public struct StudioStorage: Sendable {
    /// The engine's name, for logs and `darkroom serve`'s banner ("SQLite", "PostgreSQL").
    public let engine: String
    /// Where the data lives, without any password (a file path or a `postgres://` address).
    public let location: String
    public let points: any PointsStore
    public let sessions: any SessionStore
    public let templates: any TemplateStore
    public let media: any MediaStore
    public let jobs: any JobStore
    public let datasets: any DatasetStore
    public let collections: any CollectionStore
    public let apiKeys: any APIKeyStore
    public let leases: any WorkLeaseStore
    /// Where the readers of outside feeds are up to (the Telegram poller's next update).
    public let cursors: any CursorStore
    /// How job events reach the other instances over the same database; `nil` for an engine
    /// only one instance uses (SQLite).
    public let events: (any JobEventChannel)?
    /// Whether the database answers a trivial query now (what `GET /ready` reports).
    public let answers: @Sendable () async -> Bool
    /// Closes the connections (a no-op for an embedded file); the stores fail afterwards.
    public let close: @Sendable () async -> Void

    public init(engine: String, location: String, points: any PointsStore, sessions: any SessionStore,
                templates: any TemplateStore, media: any MediaStore, jobs: any JobStore, datasets: any DatasetStore,
                collections: any CollectionStore, apiKeys: any APIKeyStore, leases: any WorkLeaseStore, cursors: any CursorStore,
                events: (any JobEventChannel)? = nil,
                answers: @escaping @Sendable () async -> Bool, close: @escaping @Sendable () async -> Void = {}) {
        self.engine = engine
        self.location = location
        self.points = points
        self.sessions = sessions
        self.templates = templates
        self.media = media
        self.jobs = jobs
        self.datasets = datasets
        self.collections = collections
        self.apiKeys = apiKeys
        self.leases = leases
        self.cursors = cursors
        self.events = events
        self.answers = answers
        self.close = close
    }
}
