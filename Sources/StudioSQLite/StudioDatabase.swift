public import GRDB
public import Studio
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The embedded default database: one SQLite file in WAL mode, foreign keys on, migrated when
/// opened. Hands out the Studio stores built on it.
public struct StudioDatabase: Sendable {
    /// The GRDB writer; exposed for maintenance tools and tests.
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        writer = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(writer)
    }

    /// The points store.
    public var points: SQLitePointsStore { SQLitePointsStore(writer: writer) }
    /// The session store.
    public var sessions: SQLiteSessionStore { SQLiteSessionStore(writer: writer) }
    /// The template store of the workflow catalogue.
    public var templates: SQLiteTemplateStore { SQLiteTemplateStore(writer: writer) }
    /// The generation job store.
    public var jobs: SQLiteJobStore { SQLiteJobStore(writer: writer) }
    /// The media record store.
    public var media: SQLiteMediaStore { SQLiteMediaStore(writer: writer) }
    /// The training dataset store.
    public var datasets: SQLiteDatasetStore { SQLiteDatasetStore(writer: writer) }
    /// The collection store.
    public var collections: SQLiteCollectionStore { SQLiteCollectionStore(writer: writer) }
    /// The API key store.
    public var apiKeys: SQLiteAPIKeyStore { SQLiteAPIKeyStore(writer: writer) }

    /// The store of leases on cooks and training runs.
    public var leases: SQLiteWorkLeaseStore { SQLiteWorkLeaseStore(writer: writer) }
    /// Where the readers of outside feeds are up to.
    public var cursors: SQLiteCursorStore { SQLiteCursorStore(writer: writer) }

    /// Every store, for the composition root.
    public var storage: StudioStorage {
        let writer = writer
        return StudioStorage(engine: "SQLite", location: writer.path, points: points, sessions: sessions, templates: templates,
                             media: media, jobs: jobs, datasets: datasets, collections: collections, apiKeys: apiKeys, leases: leases,
                             cursors: cursors,
                             answers: { (try? await writer.read { try Int.fetchOne($0, sql: "SELECT 1") }) == 1 })
    }

    /// The schema, one migration per step; never edit a shipped migration, add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: users, points, sessions, history") { db in
            try db.create(table: "users") { table in
                table.primaryKey("id", .text)
                table.column("standing", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
                table.column("standing_checked_at", .double)
                table.column("created_at", .double).notNull()
            }
            try db.create(table: "points_accounts") { table in
                table.primaryKey("user", .text).references("users", onDelete: .cascade)
                table.column("used", .integer).notNull().check { $0 >= 0 }
                table.column("regeneration_anchor", .double).notNull()
                table.column("regeneration_remainder", .integer).notNull()
                table.column("credits", .integer).notNull().check { $0 >= 0 }
                table.column("held", .integer).notNull().check { $0 >= 0 }
                table.column("exp", .integer).notNull().check { $0 >= 0 }
            }
            try db.create(table: "holds") { table in
                table.primaryKey("job", .text)
                table.column("user", .text).notNull().indexed().references("users", onDelete: .cascade)
                table.column("amount", .integer).notNull().check { $0 > 0 }
                table.column("status", .text).notNull()
                table.column("cost", .integer)
                table.column("from_allowance", .integer).notNull()
                table.column("from_credits", .integer).notNull()
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
            }
            try db.create(table: "ledger") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("user", .text).notNull().indexed().references("users", onDelete: .cascade)
                table.column("kind", .text).notNull()
                table.column("key", .text).notNull().unique()
                table.column("job", .text)
                table.column("amount", .integer).notNull()
                table.column("from_allowance", .integer).notNull()
                table.column("from_credits", .integer).notNull()
                table.column("available_after", .integer).notNull()
                table.column("note", .text)
                table.column("at", .double).notNull()
            }
            try db.create(table: "sessions") { table in
                table.primaryKey("user", .text).references("users", onDelete: .cascade)
                table.column("preferences", .jsonText).notNull()
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
            }
            try db.create(table: "history") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("user", .text).notNull().indexed().references("sessions", column: "user", onDelete: .cascade)
                table.column("at", .double).notNull()
                table.column("entry", .jsonText).notNull()
            }
        }
        migrator.registerMigration("v2: templates") { db in
            try db.create(table: "templates") { table in
                table.primaryKey("name", .text)
                table.column("kind", .text).notNull().indexed()
                table.column("definition", .jsonText).notNull()
                table.column("updated_at", .double).notNull()
            }
        }
        migrator.registerMigration("v3: media") { db in
            try db.create(table: "media") { table in
                table.primaryKey("id", .text)
                table.column("owner", .text).notNull().references("users", onDelete: .cascade)
                table.column("kind", .text).notNull()
                table.column("format", .text).notNull()
                table.column("byte_count", .integer).notNull().check { $0 >= 0 }
                table.column("width", .integer)
                table.column("height", .integer)
                table.column("digest", .text).notNull().indexed()
                table.column("source", .text).notNull()
                table.column("derived_from", .text).references("media", onDelete: .setNull)
                table.column("created_at", .double).notNull()
            }
            try db.create(index: "media_by_owner", on: "media", columns: ["owner", "created_at"])
        }
        migrator.registerMigration("v4: jobs") { db in
            try db.create(table: "jobs") { table in
                table.primaryKey("id", .text)
                table.column("user", .text).notNull().references("users", onDelete: .cascade)
                table.column("state", .text).notNull()
                table.column("definition", .jsonText).notNull()
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
            }
            try db.create(index: "jobs_by_user", on: "jobs", columns: ["user", "created_at"])
            try db.create(index: "jobs_by_state", on: "jobs", columns: ["state"])
        }
        migrator.registerMigration("v5: recent jobs") { db in
            // Wait estimates read the latest completed jobs.
            try db.create(index: "jobs_by_state_and_update", on: "jobs", columns: ["state", "updated_at"])
        }
        migrator.registerMigration("v6: training datasets") { db in
            try db.create(table: "datasets") { table in
                table.primaryKey("id", .text)
                table.column("owner", .text).notNull().references("users", onDelete: .cascade)
                table.column("state", .text).notNull().indexed()
                table.column("definition", .jsonText).notNull()
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
            }
            try db.create(index: "datasets_by_owner", on: "datasets", columns: ["owner", "created_at"])
        }
        migrator.registerMigration("v7: api keys") { db in
            try db.create(table: "api_keys") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("role", .text).notNull()
                table.column("platform", .text)
                table.column("requests_per_minute", .integer).notNull()
                table.column("secret_hash", .text).notNull()
                table.column("created_at", .double).notNull()
                table.column("revoked_at", .double)
            }
        }
        migrator.registerMigration("v8: collections") { db in
            try db.create(table: "collections") { table in
                table.primaryKey("id", .text)
                table.column("owner", .text).notNull().references("users", onDelete: .cascade)
                table.column("state", .text).notNull().indexed()
                table.column("definition", .jsonText).notNull()
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
            }
            try db.create(index: "collections_by_owner", on: "collections", columns: ["owner", "created_at"])
            try db.create(table: "collection_items") { table in
                table.column("collection_id", .text).notNull().references("collections", onDelete: .cascade)
                table.column("media_id", .text).notNull().indexed().references("media", onDelete: .cascade)
                table.column("kind", .text).notNull()
                table.column("position", .integer).notNull()
                table.column("added_at", .double).notNull()
                table.primaryKey(["collection_id", "media_id"])
            }
            try db.create(table: "collection_pieces") { table in
                table.column("collection_id", .text).notNull().references("collections", onDelete: .cascade)
                table.column("number", .integer).notNull()
                table.column("state", .text).notNull()
                table.column("definition", .jsonText).notNull()
                table.column("updated_at", .double).notNull()
                table.primaryKey(["collection_id", "number"])
            }
        }
        migrator.registerMigration("v9: job leases") { db in
            // Which process follows an open job, and until when (see JobLease).
            try db.alter(table: "jobs") { table in
                table.add(column: "lease_owner", .text)
                table.add(column: "lease_until", .double)
            }
        }
        migrator.registerMigration("v10: work leases") { db in
            // Which process follows a cook or a training run, and until when (see WorkLeaseStore).
            try db.create(table: "work_leases") { table in
                table.primaryKey("key", .text)
                table.column("owner", .text).notNull()
                table.column("until", .double).notNull()
            }
        }
        migrator.registerMigration("v11: cursors") { db in
            // Where a reader of an outside feed is up to (see CursorStore).
            try db.create(table: "cursors") { table in
                table.primaryKey("name", .text)
                table.column("position", .integer).notNull()
            }
        }
        return migrator
    }

    /// Makes sure a `users` row exists for `user` (created at `now`).
    static func ensureUser(_ user: String, now: Double, in db: Database) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO users (id, standing, created_at) VALUES (?, 0, ?)", arguments: [user, now])
    }
}
