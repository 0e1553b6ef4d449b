import Logging
import NIOCore
import NIOSSL
import PostgresNIO
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The schema, one migration per step, applied in order when a database is opened and recorded
/// in `darkroom_migrations`; never edit a shipped migration, add a new one. Instances starting
/// together take turns (an advisory lock), so each migration is applied exactly once.
enum PostgresMigrator {
    /// A named step: statements applied in one transaction.
    struct Migration {
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(name: "v1: the studio schema", statements: [
            """
            CREATE TABLE users (
              id TEXT PRIMARY KEY,
              standing BIGINT NOT NULL DEFAULT 0 CHECK (standing >= 0),
              standing_checked_at DOUBLE PRECISION,
              created_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE points_accounts (
              user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
              used BIGINT NOT NULL CHECK (used >= 0),
              regeneration_anchor DOUBLE PRECISION NOT NULL,
              regeneration_remainder BIGINT NOT NULL,
              credits BIGINT NOT NULL CHECK (credits >= 0),
              held BIGINT NOT NULL CHECK (held >= 0),
              exp BIGINT NOT NULL CHECK (exp >= 0))
            """,
            """
            CREATE TABLE holds (
              job TEXT PRIMARY KEY,
              user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              amount BIGINT NOT NULL CHECK (amount > 0),
              status TEXT NOT NULL,
              cost BIGINT,
              from_allowance BIGINT NOT NULL,
              from_credits BIGINT NOT NULL,
              created_at DOUBLE PRECISION NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX holds_by_user ON holds (user_id)",
            """
            CREATE TABLE ledger (
              id BIGSERIAL PRIMARY KEY,
              user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              kind TEXT NOT NULL,
              key TEXT NOT NULL UNIQUE,
              job TEXT,
              amount BIGINT NOT NULL,
              from_allowance BIGINT NOT NULL,
              from_credits BIGINT NOT NULL,
              available_after BIGINT NOT NULL,
              note TEXT,
              at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX ledger_by_user ON ledger (user_id, id)",
            """
            CREATE TABLE sessions (
              user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
              preferences TEXT NOT NULL,
              created_at DOUBLE PRECISION NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE history (
              id BIGSERIAL PRIMARY KEY,
              user_id TEXT NOT NULL REFERENCES sessions(user_id) ON DELETE CASCADE,
              at DOUBLE PRECISION NOT NULL,
              entry TEXT NOT NULL)
            """,
            "CREATE INDEX history_by_user ON history (user_id, at)",
            """
            CREATE TABLE templates (
              name TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              definition JSONB NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX templates_by_kind ON templates (kind)",
            """
            CREATE TABLE media (
              id TEXT PRIMARY KEY,
              owner TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              kind TEXT NOT NULL,
              format TEXT NOT NULL,
              byte_count BIGINT NOT NULL CHECK (byte_count >= 0),
              width BIGINT,
              height BIGINT,
              digest TEXT NOT NULL,
              source TEXT NOT NULL,
              derived_from TEXT REFERENCES media(id) ON DELETE SET NULL,
              created_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX media_by_digest ON media (digest)",
            "CREATE INDEX media_by_owner ON media (owner, created_at)",
            """
            CREATE TABLE jobs (
              id TEXT PRIMARY KEY,
              user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              state TEXT NOT NULL,
              definition JSONB NOT NULL,
              created_at DOUBLE PRECISION NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX jobs_by_user ON jobs (user_id, created_at)",
            "CREATE INDEX jobs_by_state ON jobs (state, updated_at)",
            "CREATE INDEX jobs_completed_by_template ON jobs ((definition->>'template'), updated_at) WHERE state = 'completed'",
            """
            CREATE TABLE datasets (
              id TEXT PRIMARY KEY,
              owner TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              state TEXT NOT NULL,
              definition JSONB NOT NULL,
              created_at DOUBLE PRECISION NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX datasets_by_state ON datasets (state)",
            "CREATE INDEX datasets_by_owner ON datasets (owner, created_at)",
            """
            CREATE TABLE api_keys (
              id TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              role TEXT NOT NULL,
              platform TEXT,
              requests_per_minute BIGINT NOT NULL,
              secret_hash TEXT NOT NULL,
              created_at DOUBLE PRECISION NOT NULL,
              revoked_at DOUBLE PRECISION)
            """,
            """
            CREATE TABLE collections (
              id TEXT PRIMARY KEY,
              owner TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              state TEXT NOT NULL,
              definition JSONB NOT NULL,
              created_at DOUBLE PRECISION NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX collections_by_state ON collections (state)",
            "CREATE INDEX collections_by_owner ON collections (owner, created_at)",
            """
            CREATE TABLE collection_items (
              collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
              media_id TEXT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
              kind TEXT NOT NULL,
              position BIGINT NOT NULL,
              added_at DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (collection_id, media_id))
            """,
            "CREATE INDEX collection_items_by_media ON collection_items (media_id)",
            """
            CREATE TABLE collection_pieces (
              collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
              number BIGINT NOT NULL,
              state TEXT NOT NULL,
              definition JSONB NOT NULL,
              updated_at DOUBLE PRECISION NOT NULL,
              PRIMARY KEY (collection_id, number))
            """,
        ]),
        Migration(name: "v2: job leases", statements: [
            // Which instance follows an open job, and until when (see JobLease).
            "ALTER TABLE jobs ADD COLUMN lease_owner TEXT",
            "ALTER TABLE jobs ADD COLUMN lease_until DOUBLE PRECISION",
        ]),
        Migration(name: "v3: work leases", statements: [
            // Which instance follows a cook or a training run, and until when (see WorkLeaseStore).
            "CREATE TABLE work_leases (key TEXT PRIMARY KEY, owner TEXT NOT NULL, until DOUBLE PRECISION NOT NULL)",
        ]),
        Migration(name: "v4: cursors", statements: [
            // Where a reader of an outside feed is up to (see CursorStore).
            "CREATE TABLE cursors (name TEXT PRIMARY KEY, position BIGINT NOT NULL)",
        ]),
    ]

    /// Connects once (so that a server that cannot be reached fails here, with its reason),
    /// creates the schema when the address names one that is missing, and applies what is not
    /// yet applied.
    static func migrate(_ address: PostgresAddress, connectTimeout: Duration, logger: Logger) async throws {
        let connection = try await connect(address, timeout: connectTimeout, logger: logger)
        do {
            try await apply(on: connection, schema: address.searchPath, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    private static func apply(on connection: PostgresConnection, schema: String?, logger: Logger) async throws {
        let transaction = PostgresTransaction(connection: connection, logger: logger)
        try await transaction.execute("BEGIN")
        do {
            try await transaction.lock("darkroom migrations")
            if let schema { try await transaction.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\"")) }
            try await transaction.execute("""
                CREATE TABLE IF NOT EXISTS darkroom_migrations (name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)
                """)
            let applied = Set(try await transaction.rows("SELECT name FROM darkroom_migrations").map { try $0.first(String.self) })
            for migration in migrations where !applied.contains(migration.name) {
                logger.info("applying migration", metadata: ["migration": "\(migration.name)"])
                for statement in migration.statements { try await transaction.execute(PostgresQuery(unsafeSQL: statement)) }
                try await transaction.execute("""
                    INSERT INTO darkroom_migrations (name, applied_at) VALUES (\(migration.name), \(Date().timeIntervalSince1970))
                    """)
            }
            try await transaction.execute("COMMIT")
        } catch {
            try? await transaction.execute("ROLLBACK")
            throw error
        }
    }

    private static func connect(_ address: PostgresAddress, timeout: Duration, logger: Logger) async throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let folder = address.socketFolder {
            configuration = .init(unixSocketPath: "\(folder)/.s.PGSQL.\(address.port)", username: address.username,
                                  password: address.password, database: address.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS = switch address.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: address.host, port: address.port, username: address.username,
                                  password: address.password, database: address.database, tls: tls)
        }
        let (seconds, attoseconds) = timeout.components
        configuration.options.connectTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        configuration.options.additionalStartupParameters = PostgresDatabase.startupParameters(address)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw PostgresUnavailable(address: address, reason: PostgresUnavailable.reason(of: error))
        }
    }
}
