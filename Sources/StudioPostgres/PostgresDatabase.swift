public import Logging
import NIOCore
import NIOSSL
import PostgresNIO
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The engine for more than one instance: a PostgreSQL server, reached through a connection pool
/// (postgres-nio's `PostgresClient`), migrated when opened. Hands out the Studio stores built on it.
///
/// Concurrency between instances is the database's: every change that reads before it writes
/// takes a transaction-scoped advisory lock on what it reads (an account, a hold, an owner's
/// count), so two instances serialise exactly where one process's SQLite writer would.
public final class PostgresDatabase: Sendable {
    /// Where the server is (no password).
    public let address: PostgresAddress
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    private init(address: PostgresAddress, client: PostgresClient, runner: Task<Void, Never>, logger: Logger) {
        self.address = address
        self.client = client
        self.runner = runner
        self.logger = logger
        eventChannel = PostgresEventChannel(client: client, logger: logger, channel: "darkroom_job_events_" + (address.searchPath ?? "public"))
    }

    /// The pool's client for `address`, not yet running.
    private static func client(_ address: PostgresAddress, connections: Int, logger: Logger) -> PostgresClient {
        var configuration: PostgresClient.Configuration
        if let folder = address.socketFolder {
            configuration = .init(unixSocketPath: "\(folder)/.s.PGSQL.\(address.port)", username: address.username,
                                  password: address.password, database: address.database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch address.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
            configuration = .init(host: address.host, port: address.port, username: address.username,
                                  password: address.password, database: address.database, tls: tls)
        }
        configuration.options.maximumConnections = max(1, connections)
        configuration.options.additionalStartupParameters = Self.startupParameters(address)
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    deinit { runner.cancel() }

    /// Connects to `address` (failing within `connectTimeout` with the server's own reason when it
    /// cannot: refused, unknown host, wrong password), applies the migrations not yet applied, and
    /// opens a pool of up to `connections` connections.
    public static func open(_ address: PostgresAddress, connections: Int = 10, connectTimeout: Duration = .seconds(10),
                            logger: Logger = Logger(label: "darkroom.postgres")) async throws -> PostgresDatabase {
        try await PostgresMigrator.migrate(address, connectTimeout: connectTimeout, logger: logger)
        let client = Self.client(address, connections: connections, logger: logger)
        // Handed out once the pool runs: `run()` marks it running before its first suspension.
        let (started, signal) = AsyncStream<Void>.makeStream()
        let runner = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        await Task.yield()
        return PostgresDatabase(address: address, client: client, runner: runner, logger: logger)
    }

    /// Closes the pool; the stores fail afterwards.
    public func close() async {
        eventChannel.stop()
        runner.cancel()
        await runner.value
    }

    /// Removes the schema the address names (`search_path`) with every table in it: what a test
    /// does with the schema of its own when it ends. Refused when the address names none.
    public func dropSchema() async throws {
        guard let schema = address.searchPath else {
            throw PostgresAddressError("no search_path in \(address): refusing to drop the server's default schema")
        }
        _ = try await rows(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
    }

    /// The points store.
    public var points: PostgresPointsStore { PostgresPointsStore(database: self) }
    /// The session store.
    public var sessions: PostgresSessionStore { PostgresSessionStore(database: self) }
    /// The template store of the workflow catalogue.
    public var templates: PostgresTemplateStore { PostgresTemplateStore(database: self) }
    /// The generation job store.
    public var jobs: PostgresJobStore { PostgresJobStore(database: self) }
    /// The media record store.
    public var media: PostgresMediaStore { PostgresMediaStore(database: self) }
    /// The training dataset store.
    public var datasets: PostgresDatasetStore { PostgresDatasetStore(database: self) }
    /// The collection store.
    public var collections: PostgresCollectionStore { PostgresCollectionStore(database: self) }
    /// The API key store.
    public var apiKeys: PostgresAPIKeyStore { PostgresAPIKeyStore(database: self) }

    /// The store of leases on cooks and training runs.
    public var leases: PostgresWorkLeaseStore { PostgresWorkLeaseStore(database: self) }
    /// Where the readers of outside feeds are up to.
    public var cursors: PostgresCursorStore { PostgresCursorStore(database: self) }

    /// The channel the instances over this database pass job events on (one per database value).
    public var events: PostgresEventChannel { eventChannel }
    private let eventChannel: PostgresEventChannel

    /// Every store, for the composition root.
    public var storage: StudioStorage {
        StudioStorage(engine: "PostgreSQL", location: address.description, points: points, sessions: sessions,
                      templates: templates, media: media, jobs: jobs, datasets: datasets, collections: collections,
                      apiKeys: apiKeys, leases: leases, cursors: cursors, events: events, answers: { [self] in await answers(within: .seconds(2)) },
                      close: { [self] in await close() })
    }

    /// Whether a trivial query comes back within `limit`.
    public func answers(within limit: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { [client] in
                do {
                    for try await value in try await client.query("SELECT 1").decode(Int.self) { return value == 1 }
                    return false
                } catch { return false }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// The rows `query` returns, read whole.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRecord] {
        try await client.query(query, logger: logger).collect().map(PostgresRecord.init)
    }

    /// Runs `body` in one transaction (READ COMMITTED; the body takes the locks it needs),
    /// committed when it returns and rolled back when it throws, which rethrows the body's own
    /// error. A deadlock or serialisation failure is retried, up to 5 times, from the start.
    func transaction<Result: Sendable>(_ body: (PostgresTransaction) async throws -> Result) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    let transaction = PostgresTransaction(connection: connection, logger: logger)
                    try await transaction.execute("BEGIN")
                    do {
                        let result = try await body(transaction)
                        try await transaction.execute("COMMIT")
                        return result
                    } catch {
                        try? await transaction.execute("ROLLBACK")
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < 5 && Self.isRetryable(error) {
                continue
            }
        }
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    static func startupParameters(_ address: PostgresAddress) -> [(String, String)] {
        var parameters = [("application_name", "darkroom")]
        if let schema = address.searchPath { parameters.append(("search_path", schema)) }
        return parameters
    }
}
